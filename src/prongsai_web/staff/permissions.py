"""Who reaches the administration pages: a national admin (``accounts.services.is_admin``). Anyone
else signed in gets 404, as for anything outside their scope; anyone not signed in goes to the
login page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from prongsai_web.accounts.services import is_admin

View = Callable[..., HttpResponse]


def admin_only(view: View) -> View:
    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_admin(request.user):
            raise Http404("no such page")
        return view(request, *args, **kwargs)

    return login_required(checked)
