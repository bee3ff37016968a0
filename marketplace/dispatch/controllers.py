"""派单 dispatch endpoints: matching runs, proposals, commit/discard, responses, stale claims."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Annotated

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.channels import ChannelsPlugin
from litestar.params import Parameter
from litestar.response import ServerSentEvent
from litestar.response.sse import ServerSentEventMessage
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED

from marketplace import messages
from marketplace.accounts.rules import Actor
from marketplace.dispatch import responses, service
from marketplace.dispatch.executors import Executor, with_worker_status
from marketplace.dispatch.runner import run_channel
from marketplace.dispatch.schemas import (
    CommitInput,
    CommitRead,
    DeclineInput,
    ProposalRead,
    RunCreate,
    RunRead,
    StaleClaimRead,
)
from marketplace.notifications.controllers import live_events
from marketplace.notifications.service import Publisher
from marketplace.settings import Settings
from marketplace.tasks.schemas import TaskRead


class MatchingRunController(Controller):
    path = "/matching-runs"
    tags = ["dispatch 派单"]

    @post("/", status_code=HTTP_202_ACCEPTED)
    async def request_run(self, actor: Actor, data: RunCreate, executor: Executor) -> RunRead:
        """Ask for the optimal matching of a community or sub-district (coordinators)."""
        return await service.request_run(actor=actor, data=data, executor=executor)

    @get("/")
    async def list_runs(
        self,
        request: Request,
        actor: Actor,
        executor: Executor,
        limit: Annotated[int, Parameter(ge=1, le=100)] = 20,
    ) -> list[RunRead]:
        lang = messages.language(request.headers.get("accept-language"))
        runs = await service.list_runs(actor=actor, limit=limit)
        return [await with_worker_status(run, executor, lang) for run in runs]

    @get("/{run_id:int}")
    async def get_run(
        self, request: Request, actor: Actor, run_id: int, executor: Executor
    ) -> RunRead:
        """The run's state and progress (poll this, or follow /events); a queued run with no
        worker alive says so (worker_missing, notice)."""
        lang = messages.language(request.headers.get("accept-language"))
        run = await service.get_run(actor=actor, run_id=run_id)
        return await with_worker_status(run, executor, lang)

    @get("/{run_id:int}/events")
    async def events(self, actor: Actor, run_id: int, channels: ChannelsPlugin) -> ServerSentEvent:
        """Live progress as server-sent events: first the current state, then each stage."""
        run = await service.get_run(actor=actor, run_id=run_id)
        return ServerSentEvent(_progress(run, channels))

    @get("/{run_id:int}/proposal")
    async def proposal(self, actor: Actor, run_id: int) -> ProposalRead:
        return await service.proposal(actor=actor, run_id=run_id)

    @get("/{run_id:int}/map.svg", media_type="image/svg+xml")
    async def map_svg(self, request: Request, actor: Actor, run_id: int) -> Response[str]:
        lang = messages.language(request.headers.get("accept-language"))
        svg = await service.map_svg(actor=actor, run_id=run_id, lang=lang)
        return Response(svg, media_type="image/svg+xml")

    @post("/{run_id:int}/commit", status_code=HTTP_200_OK)
    async def commit(
        self,
        actor: Actor,
        run_id: int,
        settings: Settings,
        publisher: Publisher,
        data: CommitInput | None = None,
    ) -> CommitRead:
        """Dispatch all (or the listed) assignments in one transaction."""
        ids = data.assignment_ids if data else None
        return await service.commit(
            actor=actor, run_id=run_id, assignment_ids=ids, settings=settings, publisher=publisher
        )

    @post("/{run_id:int}/discard", status_code=HTTP_200_OK)
    async def discard(self, actor: Actor, run_id: int) -> RunRead:
        return await service.discard(actor=actor, run_id=run_id)


async def _progress(
    run: RunRead, channels: ChannelsPlugin
) -> AsyncGenerator[ServerSentEventMessage, None]:
    current = {"run": run.id, "state": run.state, "stage": run.stage, "progress": run.progress}
    yield ServerSentEventMessage(event="progress", data=msgspec.json.encode(current).decode())
    if run.state not in ("queued", "running"):
        return
    async for message in live_events(channels, [run_channel(run.id)], "progress"):
        yield message
        if message.event == "progress" and any(
            s in str(message.data) for s in ('"proposed"', '"failed"')
        ):
            return


class DispatchResponseController(Controller):
    path = "/tasks"
    tags = ["dispatch 派单"]

    @post("/{task_id:int}/accept", status_code=HTTP_200_OK)
    async def accept(self, actor: Actor, task_id: int) -> TaskRead:
        """Accept a task dispatched to you (before the deadline)."""
        return await responses.accept(actor=actor, task_id=task_id)

    @post("/{task_id:int}/decline", status_code=HTTP_200_OK)
    async def decline(
        self, actor: Actor, task_id: int, data: DeclineInput | None = None
    ) -> TaskRead:
        """Decline: the task returns to the pool and you will not be proposed for it again."""
        return await responses.decline(
            actor=actor, task_id=task_id, reason=(data or DeclineInput()).reason
        )

    @post("/{task_id:int}/coordinator-release", status_code=HTTP_200_OK)
    async def coordinator_release(
        self, actor: Actor, task_id: int, publisher: Publisher
    ) -> TaskRead:
        """A coordinator releases a stale claim back to the pool."""
        return await responses.release_by_coordinator(
            actor=actor, task_id=task_id, publisher=publisher
        )


class StaleClaimController(Controller):
    path = "/claims"
    tags = ["dispatch 派单"]

    @get("/stale")
    async def stale(self, actor: Actor, settings: Settings) -> list[StaleClaimRead]:
        """Claims unfulfilled past the limit in the communities you coordinate."""
        return await responses.stale_claims(actor=actor, settings=settings)
