"""Who is coming to a wish (上门核验)."""

from __future__ import annotations

from litestar import Controller, get

from marketplace.accounts.rules import Actor
from marketplace.visits import service
from marketplace.visits.schemas import VisitRead


class VisitController(Controller):
    path = "/wishes/{wish_id:int}/visit"
    tags = ["wishes 心愿"]

    @get("/")
    async def who_is_coming(self, actor: Actor, wish_id: int) -> VisitRead | None:
        """The volunteer's name and unit; the 4-digit visit code for the resident and poster."""
        return await service.for_wish(actor=actor, wish_id=wish_id)
