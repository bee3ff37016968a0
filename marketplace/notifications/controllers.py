"""The inbox, and its live stream over server-sent events."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

from litestar import Controller, get, post
from litestar.channels import ChannelsPlugin
from litestar.params import Parameter
from litestar.response import ServerSentEvent
from litestar.response.sse import ServerSentEventMessage
from litestar.status_codes import HTTP_200_OK

from marketplace.accounts.rules import Actor
from marketplace.notifications import service
from marketplace.notifications.schemas import NotificationRead
from marketplace.schemas import Message


class NotificationController(Controller):
    path = "/me/notifications"
    tags = ["notifications"]

    @get("/")
    async def inbox(
        self,
        actor: Actor,
        unread: bool = False,
        limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
    ) -> list[NotificationRead]:
        return await service.inbox(actor=actor, unread_only=unread, limit=limit)

    @post("/{notification_id:int}/read", status_code=HTTP_200_OK)
    async def mark_read(self, actor: Actor, notification_id: int) -> Message:
        await service.mark_read(actor=actor, notification_id=notification_id)
        return Message(message="Marked as read.")

    @get("/stream")
    async def stream(self, actor: Actor, channels: ChannelsPlugin) -> ServerSentEvent:
        """Live notifications as server-sent events (event: notification)."""
        return ServerSentEvent(
            live_events(channels, [service.person_channel(actor.person_id)], "notification")
        )


async def live_events(
    channels: ChannelsPlugin, names: list[str], event: str
) -> AsyncGenerator[ServerSentEventMessage, None]:
    """Relay channel messages as SSE; a first `ready` event says the subscription is live."""
    async with channels.start_subscription(names) as subscriber:
        yield ServerSentEventMessage(event="ready", data="ok")
        async for message in subscriber.iter_events():
            data = message.decode() if isinstance(message, bytes) else str(message)
            yield ServerSentEventMessage(event=event, data=data)
