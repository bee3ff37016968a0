"""The service record (and its CSV), commitments, and the responsibility figures."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, put
from litestar.datastructures import CacheControlHeader
from litestar.status_codes import HTTP_200_OK

from marketplace.accounts.rules import Actor
from marketplace.schemas import Message, told
from marketplace.service_record import service
from marketplace.service_record.schemas import (
    CommitmentInput,
    CommitmentRead,
    RecordRead,
    ResponsibilityRead,
)


def _csv(rec: RecordRead) -> Response[bytes]:
    return Response(
        service.record_csv(rec),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="service-record-{rec.person_id}.csv"'
        },
    )


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
        return _csv(await service.record(person_id=actor.person_id))

    @get("/people/{person_id:int}")
    async def person(self, actor: Actor, person_id: int) -> RecordRead:
        """A volunteer's record, for the coordinators of their community (service certificates)."""
        return await service.person_record(actor=actor, person_id=person_id)

    @get(
        "/people/{person_id:int}/csv",
        media_type="text/csv",
        cache_control=CacheControlHeader(no_store=True),
    )
    async def person_csv(self, actor: Actor, person_id: int) -> Response[bytes]:
        """A volunteer's record as CSV, for the coordinators of their community."""
        return _csv(await service.person_record(actor=actor, person_id=person_id))

    @put("/people/{person_id:int}/commitment", status_code=HTTP_200_OK)
    async def set_commitment(
        self, request: Request, actor: Actor, person_id: int, data: CommitmentInput
    ) -> Message:
        """A coordinator records a volunteer's weekly commitment (hours and visits)."""
        await service.set_commitment(
            actor=actor, person_id=person_id, hours=data.hours, visits=data.visits
        )
        return told(request, "record_commitment_saved")

    @get("/below-commitment")
    async def below(self, actor: Actor) -> list[CommitmentRead]:
        """Volunteers under their weekly commitment this week (coordinators)."""
        return await service.below_commitment(actor=actor)

    @get("/responsibility")
    async def responsibility(self, actor: Actor) -> ResponsibilityRead:
        """Counts and fulfilment rates by responsible level and duty type (coordinators)."""
        return await service.responsibility(actor=actor)
