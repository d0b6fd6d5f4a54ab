"""Page bodies kept until anything changes: the part of a page below the top bar, cached under what
decides it (the page, the parameters, what the caller may do there) together with the latest audit
event and the day. Every write records an audit event in its own transaction (docs/web.md,
"Writes"), so a change shows on the next request; the day is there for what is due and overdue.

The top bar (the user's name, the logout form's CSRF token) and the messages are rendered per request
around the cached body; a body never holds a form that needs a CSRF token or anything of the user
beyond the key's parts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable

from django.core.cache import cache
from django.utils import timezone
from django.utils.safestring import SafeString

from prongsai_web.audit.models import AuditEvent

SECONDS = 600  # at most; any write makes a new key anyway


def latest_change() -> int:
    """The id of the latest audit event: one indexed query."""
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def body_key(page: str, *parts: Hashable) -> str:
    today = timezone.localdate().isoformat()
    digest = hashlib.sha256(repr((parts, today)).encode()).hexdigest()[:32]
    return f"prongsai:body:{page}:{latest_change()}:{digest}"


def cached_body(key: str, make: Callable[[], SafeString]) -> SafeString:
    """The body under ``key`` (from ``body_key``), made and kept when not there yet."""
    found: SafeString | None = cache.get(key)
    if found is None:
        found = make()
        cache.set(key, found, timeout=SECONDS)
    return found
