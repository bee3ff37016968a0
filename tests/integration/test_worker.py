"""The job worker on its own: a process that imports only the worker runs every sweep and job
(it once failed with KeyError: 'wish' because the task sources were registered by the app), the
app says when no worker is running, and a dead worker's run is retried within 30 seconds."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import as_, make_world
from tests.fixtures import PG_URL, REDIS_URL, redis_reason, settings_for, start_app
from tests.integration.test_dispatch import published, run_to_proposal

SCRIPT = textwrap.dedent(
    """
    import asyncio, json, sys
    from saq import Queue
    from marketplace.dispatch import worker
    from marketplace.settings import get_settings

    assert "marketplace.app" not in sys.modules, "the worker must not need the app"

    async def main():
        settings = get_settings()
        ctx = await worker.open_context(settings, Queue.from_url(settings.redis_url, name="t"))
        try:
            retried = await worker.sweep_job(ctx)
            for run_id in retried:
                await worker.run_matching(ctx, run_id=run_id)
        finally:
            await worker.close_context(ctx)
        print(json.dumps({"retried": retried}))

    asyncio.run(main())
    """
)


def _database_url() -> str:
    from marketplace.db import engine

    e = engine()
    if e.engine_type == "sqlite":
        return f"sqlite:///{e.path}"
    return f"{PG_URL.rpartition('/')[0]}/{e.config['dsn'].rpartition('/')[2]}"


@pytest.mark.settings(sweep_every_s=3600)  # the app's own sweeper must not get there first
async def test_a_process_with_only_the_worker_runs_every_sweep_and_job(running):
    if reason := await redis_reason():
        pytest.skip(reason)
    from marketplace.dispatch.tables import MatchingRun
    from marketplace.tasks.tables import Claim

    world = await make_world(volunteers=1)
    t1, t2 = await published(running, world, 2)
    run = await run_to_proposal(running, world)
    coord = await as_(running, world, "coord")
    await coord.post(f"/api/v1/matching-runs/{run['id']}/commit")
    past = datetime.now(UTC) - timedelta(days=8)
    await Claim.update({Claim.respond_by: past}).where(Claim.task == t1)
    await Claim.update({Claim.claimed_at: past, Claim.accepted_at: past}).where(Claim.task == t2)
    stuck = MatchingRun(
        scope_kind="community",
        scope_id=world.communities[1],
        active_scope=f"community:{world.communities[1]}",
        requested_by=world.people["coord"],
        state="running",
        attempts=1,
        options={},
        created_at=datetime.now(UTC),
        heartbeat_at=datetime.now(UTC) - timedelta(minutes=5),
    )
    await stuck.save()

    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": REDIS_URL,
        "LIANXIN_ENV_FILE": "",
    }
    out = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-c", SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {"retried": [stuck.id]}
    assert (await coord.get(f"/api/v1/tasks/{t1}")).json()["status"] == "open"  # lapsed
    escalated = await Claim.select(Claim.escalated_at).where(Claim.task == t2).first()
    assert escalated["escalated_at"] is not None
    row = await MatchingRun.select(MatchingRun.state).where(MatchingRun.id == stuck.id).first()
    assert row["state"] == "proposed"


async def test_the_worker_refuses_to_start_without_its_database(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": "postgresql://postgres@127.0.0.1:1/nowhere",
        "REDIS_URL": REDIS_URL,
        "LIANXIN_ENV_FILE": "",
    }
    out = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "marketplace.cli", "worker"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode != 0
    assert "cannot use the database postgresql://127.0.0.1:1/nowhere" in out.stderr


async def test_the_worker_reads_the_env_file(tmp_path):
    from marketplace.settings import Settings, read_env_file

    env_file = tmp_path / ".env"
    env_file.write_text(
        "# shared by the app and the worker\nexport DATABASE_URL='sqlite:///x.db'\n"
    )
    assert read_env_file(env_file) == {"DATABASE_URL": "sqlite:///x.db"}
    script = "from marketplace.settings import get_settings; print(get_settings().database_url)"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["LIANXIN_ENV_FILE"] = str(env_file)
    out = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.stdout.strip() == "sqlite:///x.db", out.stderr
    assert Settings().run_heartbeat_timeout_s + Settings().sweep_every_s <= 30


async def test_queued_runs_say_when_no_worker_is_running(clean):
    if reason := await redis_reason():
        pytest.skip(reason)
    from marketplace.dispatch.executors import beat

    settings = settings_for(
        "redis",
        redis_namespace=f"s{uuid.uuid4().hex[:8]}",
        executor="saq",
        job_queue=f"test-{uuid.uuid4().hex[:8]}",
    )
    running = await start_app(settings)
    try:
        world = await make_world(volunteers=1)
        await published(running, world, 1)
        coord = await as_(running, world, "coord")
        r = await coord.post(
            "/api/v1/matching-runs",
            json={"scope_kind": "community", "scope_id": world.communities[0]},
        )
        run = (await coord.get(f"/api/v1/matching-runs/{r.json()['id']}")).json()
        assert run["state"] == "queued" and run["worker_missing"] is True
        assert "派单任务进程" in run["notice"]
        page = await coord.get(f"/matching/{run['id']}")
        assert "没有正在运行的" in page.text
        await beat(running.app.state.executor.queue.redis, settings)
        run = (await coord.get(f"/api/v1/matching-runs/{run['id']}")).json()
        assert run["worker_missing"] is False
    finally:
        await running.stop()
