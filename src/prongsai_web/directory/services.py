"""Writes of the agency directory (one transaction, audited)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from prongsai.agency import normalise_type
from prongsai_web.access import Action, agency_filter
from prongsai_web.audit.services import record
from prongsai_web.directory.models import Agency


@transaction.atomic
def add_agency(
    name: str,
    *,
    type: str = "",
    province: str = "",
    district: str = "",
    department: str = "",
    code: str | None = None,
    actor: User | AnonymousUser | None = None,
) -> Agency:
    """A new agency; its type as the core spells it (ทต. -> เทศบาลตำบล) when the core knows it."""
    if actor is not None and agency_filter(actor, Action.ADMIN) != Q():
        raise PermissionDenied("only an admin of the whole country adds agencies")
    agency = Agency.objects.create(
        name=name.strip(),
        type=(normalise_type(type) or type.strip()) if type else "",
        province=province.strip(),
        district=district.strip(),
        department=department.strip(),
        code=code or None,
    )
    record(actor, "agency.added", agency=agency, target=agency, name=agency.name, province=agency.province)
    return agency
