"""Dispatch with the moving parts: SSE over a real server, Redis channels across two app
instances, the SAQ executor with a worker, recovery from a worker that died, deadlines."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import uvicorn

from tests.factories import PASSWORD, as_, make_world
from tests.fixtures import redis_reason, settings_for, start_app
from tests.integration.test_dispatch import published, run_to_proposal, wait_run


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.asynccontextmanager
async def served(settings):
    """The app under a real uvicorn server on a free localhost port (streams need a real socket)."""
    from marketplace.app import create_app

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            timeout_graceful_shutdown=2,  # open pages hold a live stream (notices.js)
        )
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def test_sse_delivers_a_dispatch_notice(clean):
    world = await make_world(volunteers=1)
    async with (
        served(settings_for("memory")) as base,
        httpx.AsyncClient(base_url=base, timeout=30) as vol,
        httpx.AsyncClient(base_url=base) as coord,
    ):
        for client, key in ((vol, "vol0"), (coord, "coord")):
            r = await client.post(
                "/api/v1/auth/login", json={"phone": world.phones[key], "password": PASSWORD}
            )
            assert r.status_code == 200
        wid = (
            await coord.post(
                "/api/v1/residents/search", json={"community_id": world.communities[0]}
            )
        ).json()
        assert wid  # residents exist
        seen: list[str] = []
        async with vol.stream("GET", "/api/v1/me/notifications/stream") as stream:
            lines = stream.aiter_lines()
            while "event: ready" not in seen:
                seen.append(await asyncio.wait_for(anext(lines), 10))
            await _dispatch_one(coord, world)
            while not any("dispatch.received" in line for line in seen):
                seen.append(await asyncio.wait_for(anext(lines), 30))
    assert "event: notification" in seen


async def _dispatch_one(coord: httpx.AsyncClient, world) -> None:
    from tests.factories import WISH

    resident = world.people["resident"]
    wish = (await coord.post("/api/v1/wishes", json={**WISH, "resident_id": resident})).json()
    assert (await coord.post(f"/api/v1/wishes/{wish['id']}/publish")).status_code == 200
    run = (
        await coord.post(
            "/api/v1/matching-runs",
            json={"scope_kind": "community", "scope_id": world.communities[0]},
        )
    ).json()
    run = await wait_run(coord, run["id"])
    assert run["state"] == "proposed"
    assert (await coord.post(f"/api/v1/matching-runs/{run['id']}/commit")).status_code == 200


async def test_redis_channels_reach_another_app_instance(clean):
    if reason := await redis_reason():
        pytest.skip(reason)
    ns = uuid.uuid4().hex[:8]
    a = await start_app(settings_for("redis", redis_namespace=f"a{ns}", executor="inprocess"))
    b = await start_app(settings_for("redis", redis_namespace=f"b{ns}", executor="inprocess"))
    try:
        channel = f"person:{ns}"
        async with b.app.state.channels.start_subscription([channel]) as sub:
            await asyncio.sleep(0.2)  # the Redis SUBSCRIBE is in place
            await a.app.state.publisher.publish(b'{"kind":"dispatch.received"}', channel)
            events = sub.iter_events()
            got = await asyncio.wait_for(anext(events), 10)
        assert b"dispatch.received" in got
    finally:
        await a.stop()
        await b.stop()


async def test_saq_executor_runs_on_a_worker(clean):
    if reason := await redis_reason():
        pytest.skip(reason)
    from marketplace.dispatch.worker import make_worker

    settings = settings_for(
        "redis",
        redis_namespace=f"s{uuid.uuid4().hex[:8]}",
        executor="saq",
        job_queue=f"test-{uuid.uuid4().hex[:8]}",
    )
    running = await start_app(settings)
    worker = make_worker(settings)
    worker_task = asyncio.create_task(worker.start())
    try:
        world = await make_world(volunteers=2)
        await published(running, world, 2)
        assert type(running.app.state.executor).__name__ == "SaqExecutor"
        run = await run_to_proposal(running, world)
        assert run["summary"]["tasks_served"] == 2
    finally:
        await worker.stop()
        worker_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await worker_task
        await running.stop()


async def _stuck_run(world, attempts: int) -> int:
    from marketplace.dispatch.tables import MatchingRun

    run = MatchingRun(
        scope_kind="community",
        scope_id=world.communities[0],
        active_scope=f"community:{world.communities[0]}",
        requested_by=world.people["coord"],
        state="running",
        attempts=attempts,
        options={},
        created_at=datetime.now(UTC),
        heartbeat_at=datetime.now(UTC) - timedelta(hours=1),
    )
    await run.save()
    return run.id


async def test_a_run_whose_worker_died_is_retried_then_failed(running):
    from marketplace.dispatch import sweeps
    from marketplace.dispatch.tables import MatchingRun
    from marketplace.settings import Settings

    world = await make_world()
    await published(running, world, 1)
    run_id = await _stuck_run(world, attempts=1)
    retry = await sweeps.stale_runs(settings=Settings(), publisher=None)
    assert retry == [run_id]
    await running.app.state.executor.submit(run_id)
    coord = await as_(running, world, "coord")
    assert (await wait_run(coord, run_id))["state"] == "proposed"

    other = await _stuck_run(world, attempts=2)
    assert await sweeps.stale_runs(settings=Settings(), publisher=None) == []
    row = await MatchingRun.select().where(MatchingRun.id == other).first()
    assert row["state"] == "failed" and row["active_scope"] is None and "too many" in row["error"]


async def test_a_failure_while_saving_leaves_no_half_proposal(running, monkeypatch):
    from marketplace.dispatch import summary
    from marketplace.dispatch.tables import ProposedAssignment

    world = await make_world()
    await published(running, world, 2)
    real = summary.of
    calls = []

    def flaky(result, loaded):
        calls.append(1)
        if len(calls) == 2:  # the baseline's summary, after the assignments were written
            raise RuntimeError("disk full")
        return real(result, loaded)

    monkeypatch.setattr(summary, "of", flaky)
    coord = await as_(running, world, "coord")
    r = await coord.post(
        "/api/v1/matching-runs", json={"scope_kind": "community", "scope_id": world.communities[0]}
    )
    run = await wait_run(coord, r.json()["id"])
    assert run["state"] == "failed" and "disk full" in run["error"]
    assert await ProposedAssignment.count() == 0
    monkeypatch.setattr(summary, "of", real)
    assert (await run_to_proposal(running, world))["state"] == "proposed"


async def test_unanswered_dispatch_lapses_and_stale_claims_escalate(running):
    from marketplace.dispatch import sweeps
    from marketplace.dispatch.tables import DeclinedPair
    from marketplace.settings import Settings
    from marketplace.tasks.tables import Claim

    world = await make_world(volunteers=1)
    t1, t2 = await published(running, world, 2)
    run = await run_to_proposal(running, world)
    coord = await as_(running, world, "coord")
    await coord.post(f"/api/v1/matching-runs/{run['id']}/commit")
    vol = await as_(running, world, "vol0")
    assert (await vol.post(f"/api/v1/tasks/{t2}/accept")).status_code == 200
    await Claim.update({Claim.respond_by: datetime.now(UTC) - timedelta(minutes=1)}).where(
        Claim.task == t1
    )
    assert await sweeps.lapse_unanswered(publisher=None) == 1
    assert (await vol.get(f"/api/v1/tasks/{t1}")).json()["status"] == "open"
    assert await DeclinedPair.count().where(DeclinedPair.task == t1) == 1

    await Claim.update({Claim.claimed_at: datetime.now(UTC) - timedelta(days=8)}).where(
        Claim.task == t2
    )
    assert await sweeps.escalate_stale_claims(settings=Settings(), publisher=None) == 1
    assert await sweeps.escalate_stale_claims(settings=Settings(), publisher=None) == 0  # only once
    inbox = (await coord.get("/api/v1/me/notifications")).json()
    assert {"dispatch.lapsed", "claim.stale"} <= {n["kind"] for n in inbox}
    stale = (await coord.get("/api/v1/claims/stale")).json()
    assert [s["task_id"] for s in stale] == [t2] and stale[0]["escalated"] is True
    assert (await vol.post(f"/api/v1/tasks/{t2}/coordinator-release")).status_code == 403
    r = await coord.post(f"/api/v1/tasks/{t2}/coordinator-release")
    assert r.status_code == 200 and r.json()["status"] == "open"
    assert any(
        n["kind"] == "claim.released" for n in (await vol.get("/api/v1/me/notifications")).json()
    )
