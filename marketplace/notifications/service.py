"""The inbox: notices stored as a code and params in the state change's transaction, then pushed
live over channels and sent by text message (to those who chose it) once it has committed."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Protocol, runtime_checkable

import msgspec

from marketplace import db
from marketplace.accounts.rules import Actor
from marketplace.accounts.tables import Person
from marketplace.db import after_commit
from marketplace.errors import InvalidInput, NotFound
from marketplace.notifications import rules
from marketplace.notifications.schemas import NotificationRead, PreferenceRead
from marketplace.notifications.tables import NoticePreference, Notification
from marketplace.sms.sender import Sender
from marketplace.sms.sender import sender_for as sms_sender_for

log = logging.getLogger(__name__)


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


# Set once per process at start-up (the app's plugin, the worker's backend, the SMS sender), so
# that services in other domains notify with one call and no plumbing.
_delivery: dict[str, Any] = {"publisher": None, "sender": None}


def use_publisher(publisher: Publisher | None) -> None:
    _delivery["publisher"] = publisher


def use_sender(sender: Sender | None) -> None:
    _delivery["sender"] = sender


def sender_for(settings: Any) -> Sender | None:
    """The text-message sender chosen by LIANXIN_SMS_BACKEND (marketplace.sms); without settings
    none, and the inbox alone carries the notices."""
    return sms_sender_for(settings) if settings is not None else None


def start_delivery(*, publisher: Publisher | None, settings: Any) -> None:
    """At a process's start-up: where notices are pushed live and texted."""
    use_publisher(publisher)
    use_sender(sender_for(settings))


def person_channel(person_id: int) -> str:
    return f"person:{person_id}"


async def notify(
    *,
    person_ids: Iterable[int],
    code: str,
    params: dict | None = None,
    link: str = "",
    kind: str = "",
    publisher: Publisher | None = None,
) -> None:
    """Store a notice for each person (in the current transaction); after commit, push it live
    and text it to those who chose text messages."""
    params = params or {}
    notices = [(pid, params) for pid in sorted(set(person_ids))]
    await _store(notices, code=code, link=link, kind=kind, publisher=publisher)


async def notify_each(*, notices: Iterable[tuple[int, dict]], code: str, link: str = "") -> None:
    """One notice per (person, params): the same step told differently to each reader."""
    await _store(list(notices), code=code, link=link, kind="", publisher=None)


async def _store(
    notices: list[tuple[int, dict]], *, code: str, link: str, kind: str, publisher: Publisher | None
) -> None:
    """All the notices of one step in one insert; delivered together once it has committed."""
    if not notices:
        return
    now = datetime.now(UTC)
    kind = kind or rules.KINDS.get(code, code)
    rows = [
        {
            "person": pid,
            "kind": kind,
            "code": code,
            "params": params,
            "link": link,
            "created_at": now,
        }
        for pid, params in notices
    ]
    saved = await db.insert_rows(Notification, rows, returning=("id", "person"))
    # RETURNING's order is not promised (SQLite): each saved row takes its person's params
    waiting: dict[int, list[dict]] = {}
    for pid, params in notices:
        waiting.setdefault(pid, []).append(params)
    delivered = [(row["id"], row["person"], waiting[row["person"]].pop(0)) for row in saved]
    event = {"kind": kind, "code": code, "link": link}
    after_commit(_deliverer(delivered, event, publisher or _delivery["publisher"]))


def _deliverer(delivered: list[tuple[int, int, dict]], event: dict, publisher):
    async def deliver() -> None:
        # The notices are committed: a failed push or text only costs the live copy.
        for notice_id, person_id, params in delivered:
            if publisher is not None:
                try:
                    await publisher.publish(
                        msgspec.json.encode({"id": notice_id, **event, "params": params}),
                        person_channel(person_id),
                    )
                except Exception:
                    log.warning("could not push notice %s", notice_id, exc_info=True)
        await _text([(person_id, params) for _, person_id, params in delivered], event["code"])

    return deliver


async def _text(notices: list[tuple[int, dict]], code: str) -> None:
    """Text each notice to its reader if they chose text messages (one query for them all)."""
    sender = _delivery["sender"]
    if sender is None or not notices:
        return
    person_ids = sorted({pid for pid, _ in notices})
    marks = ", ".join("{}" for _ in person_ids)
    rows = await db.raw(
        "SELECT n.person, p.phone FROM notice_preference n JOIN person p ON p.id = n.person "
        f"WHERE n.by_sms AND n.person IN ({marks})",
        *person_ids,
    )
    phones = {row["person"]: row["phone"] for row in rows if row["phone"]}
    for person_id, params in notices:
        if person_id not in phones:
            continue
        try:
            await sender.send(
                phone=phones[person_id],
                template=code,
                params={k: str(v) for k, v in rules.render_params(params, "zh-CN").items()},
            )
        except Exception:
            log.warning("could not text notice %s", code, exc_info=True)


def read_one(row: dict, lang: str) -> NotificationRead:
    """A stored notice in the reader's language, its time in Beijing time."""
    params = row["params"]
    if isinstance(params, str):
        params = msgspec.json.decode(params or "{}")
    return NotificationRead(
        id=row["id"],
        kind=row["kind"],
        code=row["code"],
        params=params,
        title=rules.text(row["code"], params, lang, row["title"]),
        body=row["body"],
        link=row["link"],
        created_at=row["created_at"],
        created_local=rules.beijing(row["created_at"], "%Y-%m-%d %H:%M"),
        read=row["read_at"] is not None,
    )


async def inbox(
    *, actor: Actor, unread_only: bool, limit: int, lang: str = "zh-CN"
) -> list[NotificationRead]:
    """The person's notices, newest first."""
    query = Notification.select().where(Notification.person == actor.person_id)
    if unread_only:
        query = query.where(Notification.read_at.is_null())
    rows = (
        await query.order_by(Notification.id, ascending=False).limit(limit).output(load_json=True)
    )
    return [read_one(r, lang) for r in rows]


async def unread_count(*, person_id: int) -> int:
    return await Notification.count().where(
        (Notification.person == person_id) & Notification.read_at.is_null()
    )


async def mark_read(*, actor: Actor, notification_id: int) -> str:
    """Mark one of the person's notices read; returns the link of what it is about."""
    done = (
        await Notification.update({Notification.read_at: datetime.now(UTC)})
        .where((Notification.id == notification_id) & (Notification.person == actor.person_id))
        .returning(Notification.link)
    )
    if not done:
        raise NotFound("No such notification.", code="notice_not_found")
    return done[0]["link"]


async def mark_all_read(*, actor: Actor) -> int:
    done = (
        await Notification.update({Notification.read_at: datetime.now(UTC)})
        .where((Notification.person == actor.person_id) & Notification.read_at.is_null())
        .returning(Notification.id)
    )
    return len(done)


async def preference(*, actor: Actor) -> PreferenceRead:
    row = await NoticePreference.select().where(NoticePreference.person == actor.person_id).first()
    phone = await Person.select(Person.phone).where(Person.id == actor.person_id).first()
    return PreferenceRead(
        by_sms=bool(row and row["by_sms"]),
        has_phone=bool(phone and phone["phone"]),
        sms_available=_delivery["sender"] is not None,
    )


async def set_preference(*, actor: Actor, by_sms: bool) -> PreferenceRead:
    """Choose whether notices also come by text message (the inbox always has them); refused
    for an account without a phone number, which no text could reach."""
    if by_sms and not (await preference(actor=actor)).has_phone:
        raise InvalidInput(
            "The account has no phone number for text messages.",
            code="notice_sms_no_phone",
            field="by_sms",
        )
    now = datetime.now(UTC)
    updated = (
        await NoticePreference.update(
            {NoticePreference.by_sms: by_sms, NoticePreference.updated_at: now}
        )
        .where(NoticePreference.person == actor.person_id)
        .returning(NoticePreference.id)
    )
    if not updated:
        await NoticePreference(person=actor.person_id, by_sms=by_sms, updated_at=now).save()
    return await preference(actor=actor)
