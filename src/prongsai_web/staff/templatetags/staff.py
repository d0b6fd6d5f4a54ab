"""For the top bar: ``{% load staff %}{% if user|national_admin %}`` shows the administration link to
national admins only (the pages answer 404 to anyone else)."""

from __future__ import annotations

from django import template
from django.contrib.auth.models import AnonymousUser, User

from prongsai_web.accounts.services import is_admin

register = template.Library()


@register.filter
def national_admin(user: User | AnonymousUser | None) -> bool:
    return is_admin(user)
