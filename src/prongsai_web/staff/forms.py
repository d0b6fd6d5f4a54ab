"""What the administration forms send, read into the services' inputs (the services check it)."""

from __future__ import annotations

from django.http import QueryDict

from prongsai_web.accounts.services import FieldProblem, Grant, NewAccount
from prongsai_web.directory.services import AgencyFields

Errors = dict[str, list[FieldProblem]]  # form field ('' for the whole form) -> its problems


def _get(data: QueryDict, name: str) -> str:
    return str(data.get(name, ""))


def grant_of(data: QueryDict) -> Grant:
    return Grant(
        role=_get(data, "role"),
        scope=_get(data, "scope"),
        agency=_get(data, "agency"),
        province=_get(data, "province"),
        department=_get(data, "department"),
    )


def new_account_of(data: QueryDict) -> NewAccount:
    return NewAccount(
        username=_get(data, "username"),
        grant=grant_of(data),
        email=_get(data, "email"),
        first_name=_get(data, "first_name"),
        last_name=_get(data, "last_name"),
        password=_get(data, "password"),
    )


def agency_fields_of(data: QueryDict) -> AgencyFields:
    return AgencyFields(
        name=_get(data, "name"),
        type=_get(data, "type"),
        province=_get(data, "province"),
        district=_get(data, "district"),
        department=_get(data, "department"),
        code=_get(data, "code"),
    )


def form_values(data: QueryDict, names: tuple[str, ...]) -> dict[str, str]:
    """The values typed, to show again with the problems (never a password)."""
    return {name: _get(data, name) for name in names if name != "password"}
