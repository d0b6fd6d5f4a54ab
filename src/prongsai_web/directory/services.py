"""Writes of the agency directory (one transaction, audited)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q

from prongsai.agency import known_type_names, normalise_type
from prongsai_web.access import Action, agency_filter
from prongsai_web.accounts.services import (
    FieldProblem,
    Refused,
    echo,
    field_problem,
    known_province,
    require_admin,
)
from prongsai_web.audit.services import record
from prongsai_web.directory.models import Agency
from prongsai_web.staff.provinces import province_name


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


# --------------------------------------------------------------------------------------------------
# The agencies page (staff/, docs/web-staff.md): the rules of ``prongsai web addagency`` (a name,
# unique with its district and province; a unique code), and on a page also a type the core knows and
# one of Thailand's provinces; each problem at its field.
# --------------------------------------------------------------------------------------------------

LIMITS = {"name": 200, "type": 100, "province": 100, "district": 100, "department": 200, "code": 50}


@dataclass(frozen=True)
class AgencyFields:
    """An agency as the form gives it."""

    name: str
    type: str = ""
    province: str = ""
    district: str = ""
    department: str = ""
    code: str = ""

    def cleaned(self) -> AgencyFields:
        """Spaces trimmed (and collapsed), the province as agencies are registered under it, the type
        as the core spells it (ทต. -> เทศบาลตำบล) when it knows the spelling."""
        tidy = {name: " ".join(str(getattr(self, name)).split()) for name in LIMITS}
        tidy["type"] = (normalise_type(tidy["type"]) or tidy["type"]) if tidy["type"] else ""
        tidy["province"] = province_name(tidy["province"])
        return AgencyFields(**tidy)

    def values(self) -> dict[str, str | None]:
        """As the model holds them (no code is NULL: codes are unique when given)."""
        return {name: getattr(self, name) or (None if name == "code" else "") for name in LIMITS}


def _length_problems(fields: AgencyFields) -> list[FieldProblem]:
    return [
        field_problem(name, "staff_too_long", limit=limit)
        for name, limit in LIMITS.items()
        if len(getattr(fields, name)) > limit
    ]


def _type_problems(fields: AgencyFields, current: Agency | None) -> list[FieldProblem]:
    """A type the core knows (one kept as it was is fine: the command line takes any words)."""
    if not fields.type or fields.type in known_type_names():
        return []
    if current is not None and fields.type == current.type:
        return []
    choices = ", ".join(known_type_names())
    return [field_problem("type", "staff_agency_type_unknown", type=echo(fields.type), choices=choices)]


def _province_problems(fields: AgencyFields, current: Agency | None) -> list[FieldProblem]:
    """A new agency names its province; a province given or changed is one of Thailand's."""
    if not fields.province:
        return [field_problem("province", "staff_province_empty")] if current is None else []
    if current is not None and fields.province == current.province:
        return []
    if known_province(fields.province):
        return []
    return [field_problem("province", "staff_province_unknown", province=echo(fields.province))]


def _place_th(fields: AgencyFields) -> str:
    """' อำเภอหาดใหญ่ จังหวัดสงขลา' (with its leading space), or '' when neither is given."""
    parts = (fields.district and f"อำเภอ{fields.district}", fields.province and f"จังหวัด{fields.province}")
    return "".join(f" {p}" for p in parts if p)


def _clash_problems(fields: AgencyFields, current: Agency | None) -> list[FieldProblem]:
    others = Agency.objects.exclude(pk=current.pk) if current is not None else Agency.objects.all()
    problems = []
    same = others.filter(name=fields.name, district=fields.district, province=fields.province).first()
    if same is not None:
        problems.append(
            field_problem(
                "name", "staff_agency_exists", name=fields.name, place=_place_th(fields), other=same.pk
            )
        )
    holder = others.filter(code=fields.code).first() if fields.code else None
    if holder is not None:
        problems.append(field_problem("code", "staff_agency_code_taken", code=fields.code, other=holder.name))
    return problems


def agency_problems(fields: AgencyFields, current: Agency | None = None) -> list[FieldProblem]:
    """Every problem of ``fields`` (already cleaned) for a new agency, or for ``current`` changed."""
    if not fields.name:
        return [
            field_problem("name", "staff_agency_name_empty"),
            *_type_problems(fields, current),
            *_province_problems(fields, current),
        ]
    problems = (
        _length_problems(fields) + _type_problems(fields, current) + _province_problems(fields, current)
    )
    return problems or _clash_problems(fields, current)


def _raced(fields: AgencyFields, current: Agency | None) -> Refused:
    """A unique constraint refused the row: someone saved the same agency or code a moment ago."""
    found = _clash_problems(fields, current)
    place = _place_th(fields)
    return Refused(
        found or [field_problem("name", "staff_agency_exists", name=fields.name, place=place, other="-")]
    )


@transaction.atomic
def create_agency(actor: User | AnonymousUser | None, fields: AgencyFields) -> Agency:
    """A new agency from the agencies page, by a national admin; ``agency.added``."""
    admin = require_admin(actor)
    tidy = fields.cleaned()
    problems = agency_problems(tidy)
    if problems:
        raise Refused(problems)
    try:
        with transaction.atomic():
            return add_agency(
                tidy.name,
                type=tidy.type,
                province=tidy.province,
                district=tidy.district,
                department=tidy.department,
                code=tidy.code or None,
                actor=admin,
            )
    except IntegrityError:  # the same agency, added a moment ago by someone else
        raise _raced(tidy, None) from None


@transaction.atomic
def change_agency(
    actor: User | AnonymousUser | None, agency: Agency, fields: AgencyFields
) -> dict[str, list[str]]:
    """Change an agency's name, type, place, department or code; ``agency.changed`` with each changed
    field's old and new value (none changed: nothing recorded)."""
    admin = require_admin(actor)
    tidy = fields.cleaned()
    problems = agency_problems(tidy, agency)
    if problems:
        raise Refused(problems)
    wanted = tidy.values()
    changed = {
        name: [getattr(agency, name) or "", value or ""]
        for name, value in wanted.items()
        if (getattr(agency, name) or None) != (value or None)
    }
    if not changed:
        return {}
    for name in changed:
        setattr(agency, name, wanted[name])
    try:
        with transaction.atomic():
            agency.save(update_fields=list(changed))
    except IntegrityError:
        raise _raced(tidy, agency) from None
    record(admin, "agency.changed", agency=agency, target=agency, name=agency.name, changed=changed)
    return changed
