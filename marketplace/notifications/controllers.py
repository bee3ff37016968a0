"""The inbox, its unread count, the text-message choice, and the live stream over SSE."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable
from typing import Annotated

import msgspec
from litestar import Controller, Request, get, post, put
from litestar.channels import ChannelsPlugin
from litestar.params import Parameter
from litestar.response import ServerSentEvent
from litestar.response.sse import ServerSentEventMessage
from litestar.status_codes import HTTP_200_OK

from marketplace import messages
from marketplace.accounts.rules import Actor
from marketplace.notifications import rules, service
from marketplace.notifications.schemas import (
    NotificationRead,
    PreferenceInput,
    PreferenceRead,
    UnreadRead,
)
from marketplace.schemas import Message, told


def _lang(request: Request) -> str:
    return messages.language(request.headers.get("accept-language"))


class NotificationController(Controller):
    path = "/me/notifications"
    tags = ["notifications"]

    @get("/")
    async def inbox(
        self,
        request: Request,
        actor: Actor,
        unread: bool = False,
        limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
    ) -> list[NotificationRead]:
        """Newest first, each in the reader's language (Accept-Language) and Beijing time."""
        return await service.inbox(
            actor=actor, unread_only=unread, limit=limit, lang=_lang(request)
        )

    @get("/unread")
    async def unread(self, actor: Actor) -> UnreadRead:
        return UnreadRead(unread=await service.unread_count(person_id=actor.person_id))

    @post("/{notification_id:int}/read", status_code=HTTP_200_OK)
    async def mark_read(self, request: Request, actor: Actor, notification_id: int) -> Message:
        await service.mark_read(actor=actor, notification_id=notification_id)
        return told(request, "notice_marked_read")

    @post("/read-all", status_code=HTTP_200_OK)
    async def mark_all_read(self, request: Request, actor: Actor) -> Message:
        await service.mark_all_read(actor=actor)
        return told(request, "notice_marked_read")

    @get("/preferences")
    async def preferences(self, actor: Actor) -> PreferenceRead:
        return await service.preference(actor=actor)

    @put("/preferences")
    async def set_preferences(self, actor: Actor, data: PreferenceInput) -> PreferenceRead:
        """Also receive notices by text message (SMS), or only in the inbox."""
        return await service.set_preference(actor=actor, by_sms=data.by_sms)

    @get("/stream")
    async def stream(
        self, request: Request, actor: Actor, channels: ChannelsPlugin, lang: str | None = None
    ) -> ServerSentEvent:
        """Live notices as server-sent events (event: notification), in the reader's language
        (Accept-Language, or `lang` from a page that follows its own language choice)."""
        lang = messages.language(lang) if lang else _lang(request)
        return ServerSentEvent(
            live_events(
                channels,
                [service.person_channel(actor.person_id)],
                "notification",
                lambda data: rendered(data, lang),
            )
        )


def rendered(data: str, lang: str) -> str:
    """A pushed notice ({id, code, params, link}) with its text in the reader's language."""
    try:
        event = msgspec.json.decode(data)
    except msgspec.DecodeError:
        return data
    if isinstance(event, dict) and "code" in event:
        event["title"] = rules.text(event["code"], event.get("params", {}), lang)
    return msgspec.json.encode(event).decode()


async def live_events(
    channels: ChannelsPlugin,
    names: list[str],
    event: str,
    transform: Callable[[str], str] | None = None,
) -> AsyncGenerator[ServerSentEventMessage, None]:
    """Relay channel messages as SSE; a first `ready` event says the subscription is live."""
    async with channels.start_subscription(names) as subscriber:
        yield ServerSentEventMessage(event="ready", data="ok")
        async for message in subscriber.iter_events():
            data = message.decode() if isinstance(message, bytes) else str(message)
            yield ServerSentEventMessage(event=event, data=transform(data) if transform else data)
