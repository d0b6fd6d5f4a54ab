"""Writes about people: accounts, memberships and API tokens (each in one transaction, audited)."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from prongsai.thai import to_arabic_digits
from prongsai_web.access import memberships
from prongsai_web.accounts.models import ApiToken, Membership, Role, Scope
from prongsai_web.audit.services import record
from prongsai_web.directory.models import Agency
from prongsai_web.messages import text
from prongsai_web.staff.provinces import PROVINCES, province_name


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def add_user(
    username: str,
    password: str,
    role: str,
    *,
    agency: Agency | None = None,
    province: str = "",
    department: str = "",
    actor: User | AnonymousUser | None = None,
) -> User:
    """A user with one membership: an agency for a clerk or executive, else a province, a department
    or (nothing given) the whole country. Command-line callers have no actor (the system)."""
    if role not in Role.values:
        raise ValueError(f"role must be one of {', '.join(Role.values)}")
    if agency is not None:
        scope = Scope.AGENCY
    elif province:
        scope = Scope.PROVINCE
    elif department:
        scope = Scope.DEPARTMENT
    else:
        scope = Scope.NATIONAL
    if role in (Role.CLERK, Role.EXECUTIVE) and scope != Scope.AGENCY:
        raise ValueError("a clerk or an executive belongs to one agency (--agency)")
    user = get_user_model().objects.create_user(username=username, password=password)
    membership = Membership.objects.create(
        user=user, role=role, scope=scope, agency=agency, province=province, department=department
    )
    record(actor, "user.added", agency=agency, target=user, username=username, role=role, scope=scope)
    record(actor, "membership.granted", agency=agency, target=membership, role=role, scope=scope)
    return user


@transaction.atomic
def issue_token(user: User) -> str:
    """A new API token for ``user``; only its digest is stored."""
    token = secrets.token_urlsafe(32)
    made = ApiToken.objects.create(user=user, digest=token_digest(token))
    record(user, "api_token.issued", target=made)
    return token


def user_of_token(token: str) -> User | None:
    found = ApiToken.objects.select_related("user").filter(digest=token_digest(token)).first()
    if found is None or not found.user.is_active:
        return None
    ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
    return found.user


@transaction.atomic
def set_password(
    user: User, password: str, *, actor: User | AnonymousUser | None = None, **detail: Any
) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    record(actor, "user.password_set", target=user, **detail)


# --------------------------------------------------------------------------------------------------
# The administration pages' writes (staff/, docs/web-staff.md): each checks that the actor is a
# national admin, changes the rows in one transaction and records what it did. What a person typed
# wrong is Refused, every problem at its form field, with nothing written.
# --------------------------------------------------------------------------------------------------

MIN_PASSWORD = 10
NAME_MAX = 150  # Django's user name, first and last name
EMAIL_MAX = 254
ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0 O 1 l I: printed
ONE_TIME_LENGTH = 14
USERNAME_RE = re.compile(r"[\w.@+-]+")  # as Django's UnicodeUsernameValidator


@dataclass(frozen=True)
class FieldProblem:
    """A person's mistake at a form field ('' for the form as a whole), in Thai and English."""

    field: str
    th: str
    en: str


def field_problem(field: str, key: str, /, **params: Any) -> FieldProblem:
    """The text ``key`` of texts/*.yaml at ``field``."""
    th, en = text(key, **params)
    return FieldProblem(field, th, en)


class Refused(Exception):
    """A write refused for what was typed or asked: every problem at its field, nothing written."""

    def __init__(self, problems: Sequence[FieldProblem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.en}" for p in problems))
        self.problems = tuple(problems)

    def by_field(self) -> dict[str, list[FieldProblem]]:
        found: dict[str, list[FieldProblem]] = {}
        for problem in self.problems:
            found.setdefault(problem.field, []).append(problem)
        return found


def is_admin(user: User | AnonymousUser | None) -> bool:
    """A national admin: an active superuser, or an active user who is admin of the whole country
    (for whom ``access.agencies(user, Action.ADMIN)`` is every agency)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return any(m.role == Role.ADMIN and m.scope == Scope.NATIONAL for m in memberships(user))


def require_admin(actor: User | AnonymousUser | None) -> User:
    """The actor, when a national admin; PermissionDenied otherwise (pages answer 404 before this)."""
    if not isinstance(actor, User) or not is_admin(actor):
        raise PermissionDenied("only a national admin manages users, agencies and frameworks")
    return actor


ID_MAX = 2**63 - 1  # the largest id a database key holds


def as_id(typed: str) -> int | None:
    """An id a person typed or a link carries (Thai digits too); None when it cannot be one."""
    digits = to_arabic_digits(typed.strip())
    if not (digits.isascii() and digits.isdigit()) or len(digits) > len(str(ID_MAX)) or int(digits) > ID_MAX:
        return None
    return int(digits)


def one_time_password() -> str:
    """A password to print and hand over: 14 characters no one misreads (about 80 bits)."""
    return "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(ONE_TIME_LENGTH))


# --- a role in a scope ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Grant:
    """A role in a scope as a form gives it: the agency's id, a province or a department as typed
    (only the one the scope names is read)."""

    role: str
    scope: str
    agency: str = ""
    province: str = ""
    department: str = ""


@dataclass(frozen=True)
class Place:
    """A scope that was checked: the agency, province or department exists."""

    scope: str
    agency: Agency | None = None
    province: str = ""
    department: str = ""


ECHO_MAX = 60  # what a message repeats of a value typed


def echo(typed: str) -> str:
    """A value as a message repeats it: at most ECHO_MAX characters."""
    value = typed.strip()
    return value if len(value) <= ECHO_MAX else value[: ECHO_MAX - 1] + "…"


def role_words(role: str) -> str:
    """The role's Thai name: 'ผู้จัดทำ'."""
    return str(Role(role).label).split(" (")[0] if role in Role.values else role


def place_words(scope: str, agency: Agency | None, province: str, department: str) -> tuple[str, str]:
    """Where a membership applies, in Thai and English: the agency's name, 'จังหวัดสงขลา', ..."""
    if scope == Scope.AGENCY and agency is not None:
        return agency.name, agency.name
    if scope == Scope.PROVINCE:
        return f"จังหวัด{province}", f"province {province}"
    if scope == Scope.DEPARTMENT:
        return f"สังกัด{department}", f"department {department}"
    return "ทั้งประเทศ", "the whole country"


def membership_words(membership: Membership) -> tuple[str, str]:
    return place_words(membership.scope, membership.agency, membership.province, membership.department)


def checked_grant(grant: Grant) -> tuple[Place | None, list[FieldProblem]]:
    """The scope of ``grant`` when the role may hold it and it exists; else every problem."""
    problems: list[FieldProblem] = []
    if grant.role not in Role.values:
        problems.append(
            field_problem("role", "staff_role_unknown", role=echo(grant.role), choices=", ".join(Role.values))
        )
    if grant.scope not in Scope.values:
        choices = ", ".join(Scope.values)
        return None, [
            *problems,
            field_problem("scope", "staff_scope_unknown", scope=echo(grant.scope), choices=choices),
        ]
    if grant.role in (Role.CLERK, Role.EXECUTIVE) and grant.scope != Scope.AGENCY:
        problems.append(
            field_problem("scope", "staff_scope_agency_only", label=role_words(grant.role), role=grant.role)
        )
    place, found = _place(grant)
    problems += found
    return (None if problems else place), problems


def _place(grant: Grant) -> tuple[Place | None, list[FieldProblem]]:
    if grant.scope == Scope.AGENCY:
        return _agency_place(grant.agency)
    if grant.scope == Scope.PROVINCE:
        return _province_place(grant.province)
    if grant.scope == Scope.DEPARTMENT:
        return _department_place(grant.department)
    return Place(Scope.NATIONAL), []


def _agency_place(typed: str) -> tuple[Place | None, list[FieldProblem]]:
    if not typed.strip():
        return None, [field_problem("agency", "staff_agency_empty")]
    wanted = as_id(typed)
    agency = Agency.objects.filter(pk=wanted).first() if wanted is not None else None
    if agency is None:
        return None, [field_problem("agency", "staff_agency_unknown", agency=echo(typed))]
    return Place(Scope.AGENCY, agency=agency), []


def known_province(name: str) -> bool:
    """One of Thailand's provinces, or a province an agency is already registered under."""
    return name in PROVINCES or Agency.objects.filter(province=name).exists()


def _province_place(typed: str) -> tuple[Place | None, list[FieldProblem]]:
    province = province_name(typed)
    if not province:
        return None, [field_problem("province", "staff_province_empty")]
    if not known_province(province):
        return None, [field_problem("province", "staff_province_unknown", province=echo(typed))]
    return Place(Scope.PROVINCE, province=province), []


def _department_place(typed: str) -> tuple[Place | None, list[FieldProblem]]:
    department = " ".join(typed.split())
    if not department:
        return None, [field_problem("department", "staff_department_empty")]
    if not Agency.objects.filter(department=department).exists():
        return None, [field_problem("department", "staff_department_unknown", department=echo(department))]
    return Place(Scope.DEPARTMENT, department=department), []


# --- accounts -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewAccount:
    """A user as the add form gives it; an empty password asks for a one-time password."""

    username: str
    grant: Grant
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    password: str = ""


def _username_problems(username: str) -> list[FieldProblem]:
    if not username:
        return [field_problem("username", "staff_username_empty")]
    if len(username) > NAME_MAX or not USERNAME_RE.fullmatch(username):
        return [field_problem("username", "staff_username_invalid", limit=NAME_MAX)]
    if get_user_model().objects.filter(username__iexact=username).exists():
        return [field_problem("username", "staff_username_taken", username=username)]
    return []


def _email_problems(email: str) -> list[FieldProblem]:
    if not email:
        return []
    try:
        if len(email) > EMAIL_MAX:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError:
        return [field_problem("email", "staff_email_invalid", email=echo(email))]
    return []


def _name_problems(first_name: str, last_name: str) -> list[FieldProblem]:
    fields = (("first_name", first_name), ("last_name", last_name))
    return [
        field_problem(f, "staff_name_too_long", limit=NAME_MAX)
        for f, value in fields
        if len(value) > NAME_MAX
    ]


def _password_problems(password: str) -> list[FieldProblem]:
    if password and len(password) < MIN_PASSWORD:
        return [field_problem("password", "staff_password_short", minimum=MIN_PASSWORD)]
    return []


@transaction.atomic
def create_account(actor: User | AnonymousUser | None, new: NewAccount) -> tuple[User, str]:
    """A new user with one membership, as ``add_user`` (``prongsai web adduser``) makes it, by a
    national admin. Returns the user and the password to hand over: the one typed, or a one-time
    password made here (shown once, never stored in clear)."""
    admin = require_admin(actor)
    username = new.username.strip()
    email = new.email.strip()
    first_name, last_name = new.first_name.strip(), new.last_name.strip()
    place, problems = checked_grant(new.grant)
    problems = [
        *_username_problems(username),
        *_email_problems(email),
        *_name_problems(first_name, last_name),
        *_password_problems(new.password),
        *problems,
    ]
    if problems or place is None:
        raise Refused(problems)
    password = new.password or one_time_password()
    try:
        user = add_user(
            username,
            password,
            new.grant.role,
            agency=place.agency,
            province=place.province,
            department=place.department,
            actor=admin,
        )
    except IntegrityError:  # the same name, added a moment ago by someone else
        raise Refused([field_problem("username", "staff_username_taken", username=username)]) from None
    user.email, user.first_name, user.last_name = email, first_name, last_name
    user.save(update_fields=["email", "first_name", "last_name"])
    return user, password


@transaction.atomic
def change_details(
    actor: User | AnonymousUser | None, user: User, *, email: str, first_name: str, last_name: str
) -> list[str]:
    """A user's e-mail and name; the fields that changed (none: nothing recorded)."""
    admin = require_admin(actor)
    wanted = {"email": email.strip(), "first_name": first_name.strip(), "last_name": last_name.strip()}
    problems = [*_email_problems(wanted["email"]), *_name_problems(wanted["first_name"], wanted["last_name"])]
    if problems:
        raise Refused(problems)
    changed = [name for name, value in wanted.items() if getattr(user, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(user, name, wanted[name])
    user.save(update_fields=changed)
    record(admin, "user.changed", target=user, username=user.username, fields=changed)
    return changed


def _membership_detail(user: User, place: Place, role: str) -> dict[str, str]:
    detail = {"username": user.username, "role": role, "scope": place.scope}
    if place.province:
        detail["province"] = place.province
    if place.department:
        detail["department"] = place.department
    return detail


@transaction.atomic
def grant_membership(actor: User | AnonymousUser | None, user: User, grant: Grant) -> Membership:
    """One more role in a scope for ``user``."""
    admin = require_admin(actor)
    place, problems = checked_grant(grant)
    if place is None:
        raise Refused(problems)
    fields = {
        "user": user,
        "role": grant.role,
        "scope": place.scope,
        "agency": place.agency,
        "province": place.province,
        "department": place.department,
    }
    if Membership.objects.filter(**fields).exists():
        raise Refused([field_problem("role", "staff_membership_exists")])
    membership = Membership.objects.create(**fields)
    detail = _membership_detail(user, place, grant.role)
    record(admin, "membership.granted", agency=place.agency, target=membership, **detail)
    return membership


def _admins_left(*, without_user: int | None = None, without_membership: int | None = None) -> set[int]:
    """The active national admins (their ids) that remain without the given user or membership. The
    admin memberships are locked first, so that two admins removing each other at the same moment
    cannot both succeed."""
    memberships = Membership.objects.select_for_update().filter(
        role=Role.ADMIN, scope=Scope.NATIONAL, user__is_active=True
    )
    if without_membership is not None:
        memberships = memberships.exclude(pk=without_membership)
    ids = set(memberships.values_list("user_id", flat=True))
    ids.update(
        get_user_model().objects.filter(is_superuser=True, is_active=True).values_list("pk", flat=True)
    )
    ids.discard(without_user)
    return ids


@transaction.atomic
def revoke_membership(actor: User | AnonymousUser | None, membership: Membership) -> None:
    """Take a role in a scope away; never the last national admin's."""
    admin = require_admin(actor)
    user = membership.user
    national_admin = membership.role == Role.ADMIN and membership.scope == Scope.NATIONAL
    if national_admin and not _admins_left(without_membership=membership.pk):
        raise Refused([field_problem("", "staff_last_admin", username=user.username)])
    place = Place(membership.scope, membership.agency, membership.province, membership.department)
    detail = _membership_detail(user, place, membership.role)
    record(admin, "membership.revoked", agency=membership.agency, target=membership, **detail)
    membership.delete()


@transaction.atomic
def set_active(actor: User | AnonymousUser | None, user: User, active: bool) -> bool:
    """Deactivate (no sign-in, no API, sessions end) or reactivate an account; never delete it, so
    that the audit log keeps its actor. Whether anything changed."""
    admin = require_admin(actor)
    if user.is_active == active:
        return False
    if not active:
        problems = []
        if user.pk == admin.pk:
            problems.append(field_problem("", "staff_deactivate_self"))
        if is_admin(user) and not _admins_left(without_user=user.pk):
            problems.append(field_problem("", "staff_last_admin", username=user.username))
        if problems:
            raise Refused(problems)
    user.is_active = active
    user.save(update_fields=["is_active"])
    action = "user.reactivated" if active else "user.deactivated"
    record(admin, action, target=user, username=user.username)
    return True


@transaction.atomic
def reset_password(actor: User | AnonymousUser | None, user: User, password: str = "") -> str:
    """A new password for ``user`` (a one-time password when none is typed); the user's sessions end.
    Returns the password to hand over."""
    admin = require_admin(actor)
    problems = _password_problems(password)
    if problems:
        raise Refused(problems)
    chosen = password or one_time_password()
    set_password(user, chosen, actor=admin, username=user.username, generated=not password)
    return chosen
