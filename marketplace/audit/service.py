"""The audit log: one row per consequential act, written in the act's own transaction."""

from __future__ import annotations

from datetime import UTC, datetime

from marketplace import db
from marketplace.audit.tables import AuditEntry


async def record(
    *, actor_id: int | None, action: str, object_type: str, object_id: int, **detail: object
) -> None:
    """Record `action` (e.g. matching_run.committed) on an object, inside the caller's transaction."""
    await db.insert(
        AuditEntry,
        actor=actor_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
        at=datetime.now(UTC),
    )


async def contact_viewed(
    *, actor_id: int, resident_id: int | None, object_type: str, object_id: int, via: str
) -> None:
    """PIPL: who saw a resident's full contact (name, phone, address), when, on which wish or
    task. A resident looking at their own wish is not recorded."""
    if resident_id is not None and actor_id == resident_id:
        return
    await record(
        actor_id=actor_id,
        action="contact.viewed",
        object_type=object_type,
        object_id=object_id,
        resident_id=resident_id,
        via=via,
    )


async def entries(*, object_type: str | None, object_id: int | None, limit: int) -> list[dict]:
    query = AuditEntry.select(
        *AuditEntry.all_columns(), AuditEntry.actor.name.as_alias("actor_name")
    ).output(load_json=True)
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    if object_id is not None:
        query = query.where(AuditEntry.object_id == object_id)
    return await query.order_by(AuditEntry.id, ascending=False).limit(limit)
