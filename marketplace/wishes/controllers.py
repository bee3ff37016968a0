"""微心愿 wish endpoints: thin — decode, call one service function, return."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import Parameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from marketplace.accounts.rules import Actor
from marketplace.audit import service as audit
from marketplace.settings import Settings
from marketplace.wishes import lifecycle, service
from marketplace.wishes.rules import View
from marketplace.wishes.schemas import (
    ConfirmInput,
    PublishInput,
    ReasonInput,
    RejectInput,
    ReviewRead,
    WishCreate,
    WishRead,
)

MAX_OFFSET = 1_000_000  # past this a page is empty anyway; bigger numbers overflow the engines


class WishController(Controller):
    path = "/wishes"
    tags = ["wishes 微心愿"]

    @post("/", status_code=HTTP_201_CREATED)
    async def create(self, actor: Actor, data: WishCreate, settings: Settings) -> WishRead:
        """许愿: make a wish for yourself, or post it for a resident (give resident_id)."""
        return await service.create(actor=actor, data=data, settings=settings)

    @get("/")
    async def list_wishes(
        self,
        actor: Actor,
        mine: bool = False,
        status: str | None = None,
        community_id: int | None = None,
        limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
        offset: Annotated[int, Parameter(ge=0, le=MAX_OFFSET)] = 0,
    ) -> list[WishRead]:
        """My wishes (mine=true), or the wishes of the communities I serve."""
        return await service.list_wishes(
            actor=actor,
            mine=mine,
            status=status,
            community_id=community_id,
            limit=limit,
            offset=offset,
        )

    @get("/{wish_id:int}")
    async def get_one(self, actor: Actor, wish_id: int) -> WishRead:
        row, view = await service.visible(actor, wish_id)
        if view is View.FULL:
            await audit.contact_viewed(
                actor_id=actor.person_id,
                resident_id=row["resident"],
                object_type="wish",
                object_id=wish_id,
                via="wish.full_view",
            )
        return await service.read(row, view)

    @get("/{wish_id:int}/review")
    async def review(self, actor: Actor, wish_id: int, settings: Settings) -> ReviewRead:
        """What a reviewing coordinator sees, with the negative-list items the text touches."""
        return await lifecycle.review(actor=actor, wish_id=wish_id, settings=settings)

    @post("/{wish_id:int}/publish", status_code=HTTP_200_OK)
    async def publish(
        self, actor: Actor, wish_id: int, settings: Settings, data: PublishInput | None = None
    ) -> WishRead:
        """收集发布: publish the wish as a task."""
        return await lifecycle.publish(
            actor=actor, wish_id=wish_id, data=data or PublishInput(), settings=settings
        )

    @post("/{wish_id:int}/reject", status_code=HTTP_200_OK)
    async def reject(
        self, actor: Actor, wish_id: int, data: RejectInput, settings: Settings
    ) -> WishRead:
        return await lifecycle.reject(actor=actor, wish_id=wish_id, data=data, settings=settings)

    @post("/{wish_id:int}/cancel", status_code=HTTP_200_OK)
    async def cancel(self, actor: Actor, wish_id: int, data: ReasonInput | None = None) -> WishRead:
        return await lifecycle.cancel(
            actor=actor, wish_id=wish_id, reason=(data or ReasonInput()).reason
        )

    @post("/{wish_id:int}/confirm", status_code=HTTP_200_OK)
    async def confirm(
        self, actor: Actor, wish_id: int, data: ConfirmInput, settings: Settings
    ) -> WishRead:
        """The resident (or a grid worker for them) confirms and rates 1–5."""
        return await lifecycle.confirm(actor=actor, wish_id=wish_id, data=data, settings=settings)

    @post("/{wish_id:int}/reopen", status_code=HTTP_200_OK)
    async def reopen(self, actor: Actor, wish_id: int, data: ReasonInput | None = None) -> WishRead:
        return await lifecycle.reopen(
            actor=actor, wish_id=wish_id, reason=(data or ReasonInput()).reason
        )

    @post("/{wish_id:int}/announce", status_code=HTTP_200_OK)
    async def announce(self, actor: Actor, wish_id: int) -> WishRead:
        """公示: put a confirmed wish on the public board."""
        return await lifecycle.announce(actor=actor, wish_id=wish_id)
