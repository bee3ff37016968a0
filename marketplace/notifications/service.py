"""The inbox: stored notifications, pushed live over channels once the transaction commits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Protocol, runtime_checkable

import msgspec

from marketplace.accounts.rules import Actor
from marketplace.db import after_commit
from marketplace.errors import NotFound
from marketplace.notifications.schemas import NotificationRead
from marketplace.notifications.tables import Notification


@runtime_checkable
class Publisher(Protocol):
    """Pushes an event to a channel: the app's ChannelsPlugin, or a worker's Redis backend."""

    async def publish(self, data: bytes, channel: str) -> None: ...


class PluginPublisher:
    """Publishes through the app's ChannelsPlugin (memory by default, Redis with REDIS_URL)."""

    def __init__(self, plugin: Any) -> None:
        self.plugin = plugin

    async def publish(self, data: bytes, channel: str) -> None:
        await self.plugin.wait_published(data, [channel])


class BackendPublisher:
    """Publishes straight to a channels backend (a worker process without the web app)."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend

    async def publish(self, data: bytes, channel: str) -> None:
        await self.backend.publish(data, [channel])


def person_channel(person_id: int) -> str:
    return f"person:{person_id}"


async def notify(
    *,
    person_ids: Iterable[int],
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    publisher: Publisher | None,
) -> None:
    """Store a notification for each person (in the current transaction) and push it after commit."""
    now = datetime.now(UTC)
    rows = [
        Notification(person=pid, kind=kind, title=title, body=body, link=link, created_at=now)
        for pid in set(person_ids)
    ]
    if not rows:
        return
    await Notification.insert(*rows)
    if publisher is None:
        return
    events = [
        (person_channel(r.person), {"kind": kind, "title": title, "body": body, "link": link})
        for r in rows
    ]

    async def push() -> None:
        for channel, event in events:
            await publisher.publish(msgspec.json.encode(event), channel)

    after_commit(push)


async def inbox(*, actor: Actor, unread_only: bool, limit: int) -> list[NotificationRead]:
    query = Notification.select().where(Notification.person == actor.person_id)
    if unread_only:
        query = query.where(Notification.read_at.is_null())
    rows = await query.order_by(Notification.id, ascending=False).limit(limit)
    return [
        NotificationRead(
            id=r["id"],
            kind=r["kind"],
            title=r["title"],
            body=r["body"],
            link=r["link"],
            created_at=r["created_at"],
            read=r["read_at"] is not None,
        )
        for r in rows
    ]


async def mark_read(*, actor: Actor, notification_id: int) -> None:
    done = (
        await Notification.update({Notification.read_at: datetime.now(UTC)})
        .where((Notification.id == notification_id) & (Notification.person == actor.person_id))
        .returning(Notification.id)
    )
    if not done:
        raise NotFound("No such notification.", code="notification_not_found")
