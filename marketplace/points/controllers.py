"""雷锋超市 points and the community store."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from marketplace.accounts.rules import Actor
from marketplace.points import service
from marketplace.points.schemas import (
    ItemCreate,
    ItemRead,
    PointsRead,
    RedemptionRead,
    RestockInput,
)


class PointsController(Controller):
    path = "/points"
    tags = ["points 雷锋超市"]

    @get("/me")
    async def mine(self, actor: Actor) -> PointsRead:
        """My balance (the ledger's sum) and ledger."""
        return await service.mine(actor=actor)

    @get("/store")
    async def store(self, actor: Actor, community_id: int) -> list[ItemRead]:
        return await service.store(actor=actor, community_id=community_id)

    @post("/store", status_code=HTTP_201_CREATED)
    async def add_item(self, actor: Actor, data: ItemCreate) -> ItemRead:
        """A coordinator stocks the community's store."""
        return await service.add_item(actor=actor, data=data)

    @post("/store/{item_id:int}/restock", status_code=HTTP_200_OK)
    async def restock(self, actor: Actor, item_id: int, data: RestockInput) -> ItemRead:
        """A coordinator adds stock to an item, or changes its price."""
        return await service.restock(actor=actor, item_id=item_id, data=data)

    @post("/store/{item_id:int}/redeem", status_code=HTTP_200_OK)
    async def redeem(self, actor: Actor, item_id: int) -> RedemptionRead:
        """Spend points on an item (409 when points or stock run out)."""
        return await service.redeem(actor=actor, item_id=item_id)

    @get("/redemptions")
    async def pending(self, actor: Actor, community_id: int) -> list[RedemptionRead]:
        """Redemptions waiting to be handed over (coordinators)."""
        return await service.pending(actor=actor, community_id=community_id)

    @post("/redemptions/{redemption_id:int}/hand-over", status_code=HTTP_200_OK)
    async def hand_over(self, actor: Actor, redemption_id: int) -> RedemptionRead:
        return await service.hand_over(actor=actor, redemption_id=redemption_id)
