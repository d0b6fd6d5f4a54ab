"""Login with a pause after repeated failures (per user name and per address), audited."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.http import HttpRequest


def _keys(request: HttpRequest | None, username: str) -> list[str]:
    address = request.META.get("REMOTE_ADDR", "-") if request is not None else "-"
    return [f"login-fail:user:{username.casefold()}", f"login-fail:addr:{address}"]


class ThrottledLoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง / The user name or password is not correct.",
        "inactive": "บัญชีนี้ถูกระงับ / This account is disabled.",
        "throttled": (
            "เข้าสู่ระบบไม่สำเร็จหลายครั้ง กรุณารอ 15 นาทีแล้วลองใหม่ / "
            "Too many failed logins: wait 15 minutes and try again."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        keys = _keys(self.request, username)
        if any((cache.get(k) or 0) >= settings.LOGIN_ATTEMPTS for k in keys):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            return super().clean()
        except forms.ValidationError:
            for key in keys:
                cache.add(key, 0, settings.LOGIN_PAUSE_SECONDS)
                cache.incr(key)
            raise
