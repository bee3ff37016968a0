"""Task feed and claims (领单): thin controllers over tasks.service."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import Parameter
from litestar.status_codes import HTTP_200_OK

from marketplace.accounts.rules import Actor
from marketplace.settings import Settings
from marketplace.tasks import hours, service
from marketplace.tasks.schemas import (
    ClaimRead,
    FulfilInput,
    HoursReviewInput,
    HoursReviewRead,
    TaskRead,
)


class TaskController(Controller):
    path = "/tasks"
    tags = ["tasks 任务"]

    @get("/")
    async def feed(
        self,
        actor: Actor,
        settings: Settings,
        lat: Annotated[float, Parameter(ge=-90, le=90)],
        lng: Annotated[float, Parameter(ge=-180, le=180)],
        radius_m: int = 3000,
        skill: str | None = None,
        category: str | None = None,
        limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
    ) -> list[TaskRead]:
        """Open tasks near a point, nearest first (places shown at compound level)."""
        service.check_radius(radius_m, settings)
        return await service.feed(
            actor=actor,
            lat=lat,
            lng=lng,
            radius_m=radius_m,
            skill=skill,
            category=category,
            limit=limit,
        )

    @get("/{task_id:int}")
    async def get_one(self, actor: Actor, task_id: int) -> TaskRead:
        """A task; its active assignee also sees the contact (address, phone)."""
        return await service.get_task(actor=actor, task_id=task_id)

    @post("/{task_id:int}/claim", status_code=HTTP_200_OK)
    async def claim(self, actor: Actor, task_id: int, settings: Settings) -> TaskRead:
        """领单: claim the task. 409 if someone else got it first."""
        return await service.claim(actor=actor, task_id=task_id, settings=settings)

    @post("/{task_id:int}/release", status_code=HTTP_200_OK)
    async def release(self, actor: Actor, task_id: int) -> TaskRead:
        """Give the task back to the pool before fulfilling it."""
        return await service.release(actor=actor, task_id=task_id)

    @post("/{task_id:int}/fulfil", status_code=HTTP_200_OK)
    async def fulfil(self, actor: Actor, task_id: int, data: FulfilInput) -> TaskRead:
        """圆梦: report the work done, with hours spent and a note."""
        return await service.fulfil(
            actor=actor, task_id=task_id, hours=data.hours, note=data.note, code=data.visit_code
        )

    @post("/{task_id:int}/hours-review", status_code=HTTP_200_OK)
    async def review_hours(
        self, actor: Actor, task_id: int, data: HoursReviewInput, settings: Settings
    ) -> HoursReviewRead:
        """A coordinator approves (or refuses) reported hours beyond the task's own (audited)."""
        return await hours.review(actor=actor, task_id=task_id, data=data, settings=settings)


class MyClaimsController(Controller):
    path = "/me/claims"
    tags = ["tasks 任务"]

    @get("/")
    async def my_claims(self, actor: Actor, active: bool = False) -> list[ClaimRead]:
        return await service.my_claims(actor=actor, active_only=active)
