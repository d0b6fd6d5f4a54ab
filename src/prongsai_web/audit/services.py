"""record(): the one way an audit event is written, inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import models, transaction

from prongsai_web.audit.models import AuditEvent
from prongsai_web.directory.models import Agency


def record(
    actor: User | AnonymousUser | None,
    action: str,
    *,
    agency: Agency | None = None,
    target: models.Model | None = None,
    **detail: Any,
) -> AuditEvent:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit events are written inside the change's transaction")
    who = actor if isinstance(actor, User) else None
    return AuditEvent.objects.create(
        actor=who,
        action=action,
        agency=agency,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        detail=detail,
    )
