"""Who may do what: Django's users, each with memberships (a role in a scope), and API tokens."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from prongsai_web.directory.models import Agency


class Role(models.TextChoices):
    CLERK = "clerk", "ผู้จัดทำ (clerk)"
    EXECUTIVE = "executive", "ผู้บริหาร (executive)"
    OVERSEER = "overseer", "ผู้กำกับติดตาม (overseer)"
    ADMIN = "admin", "ผู้ดูแลระบบ (admin)"


class Scope(models.TextChoices):
    AGENCY = "agency", "หน่วยงาน"
    PROVINCE = "province", "จังหวัด"
    DEPARTMENT = "department", "สังกัด"
    NATIONAL = "national", "ทั้งประเทศ"


class Membership(models.Model):
    """A role over an agency, a province, a department or the whole country (exactly one matches
    ``scope``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    scope = models.CharField(max_length=20, choices=Scope.choices)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, null=True, blank=True)
    province = models.CharField(max_length=100, blank=True)
    department = models.CharField(max_length=200, blank=True)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches",
                condition=(
                    models.Q(scope="agency", agency__isnull=False, province="", department="")
                    | models.Q(scope="province", agency__isnull=True, department="") & ~models.Q(province="")
                    | models.Q(scope="department", agency__isnull=True, province="")
                    & ~models.Q(department="")
                    | models.Q(scope="national", agency__isnull=True, province="", department="")
                ),
            )
        ]

    def __str__(self) -> str:
        where = self.agency or self.province or self.department or self.scope
        return f"{self.user} {self.role} {where}"


class ApiToken(models.Model):
    """An API token: only its SHA-256 is kept; the token itself is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
