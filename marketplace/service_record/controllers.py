"""The service record (and its CSV), commitments, and the responsibility figures."""

from __future__ import annotations

from litestar import Controller, Response, get
from litestar.datastructures import CacheControlHeader

from marketplace.accounts.rules import Actor
from marketplace.service_record import service
from marketplace.service_record.schemas import CommitmentRead, RecordRead, ResponsibilityRead


class ServiceRecordController(Controller):
    path = "/service-record"
    tags = ["service record"]

    @get("/me")
    async def mine(self, actor: Actor) -> RecordRead:
        """Each service with date, task, hours and confirmation; totals by month."""
        return await service.record(person_id=actor.person_id)

    @get("/me.csv", media_type="text/csv", cache_control=CacheControlHeader(no_store=True))
    async def mine_csv(self, actor: Actor) -> Response[bytes]:
        """The record as CSV (UTF-8 with BOM, opens in Excel) for a service certificate."""
        body = service.record_csv(await service.record(person_id=actor.person_id))
        return Response(
            body,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="service-record.csv"'},
        )

    @get("/below-commitment")
    async def below(self, actor: Actor) -> list[CommitmentRead]:
        """Volunteers under their weekly commitment this week (coordinators)."""
        return await service.below_commitment(actor=actor)

    @get("/responsibility")
    async def responsibility(self, actor: Actor) -> ResponsibilityRead:
        """Counts and fulfilment rates by responsible level and duty type (coordinators)."""
        return await service.responsibility(actor=actor)
