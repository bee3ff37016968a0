"""Two real app processes (uvicorn on two ports) on one PostgreSQL database and one Redis, as
the production notes run them: a session made on one works on the other (and its sign-out ends
it on both), and a claim race spread over both has exactly one winner."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio

from tests.fixtures import PG_URL, REDIS_URL, _pg_reachable, _with_database, redis_reason

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _cli(env: dict[str, str], *args: str) -> None:
    out = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "marketplace.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]


async def _ready(port: int, proc: subprocess.Popen) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(200):
            assert proc.poll() is None, "the app process exited"
            try:
                if (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.3)
    raise AssertionError(f"the app on port {port} did not start")


@pytest_asyncio.fixture(scope="module")
async def two_apps() -> AsyncIterator[tuple[dict[str, str], list[str]]]:
    """A fresh database with a small district, and two app processes on it: (env, base URLs)."""
    reason = await _pg_reachable(PG_URL) or await redis_reason()
    if reason:
        pytest.skip(reason)
    import asyncpg

    name = f"lianxin_two_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(dsn=PG_URL)
    await admin.execute(f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "DATABASE_URL": _with_database(PG_URL, name),
        "REDIS_URL": REDIS_URL,
        "LIANXIN_ENV_FILE": "",
        "LIANXIN_LOG_LEVEL": "ERROR",
    }
    procs: list[subprocess.Popen] = []
    try:
        await _cli(env, "migrate")
        await _cli(env, "demo", "--size", "district", "--tasks", "60", "--volunteers", "240")
        ports = [_free_port(), _free_port()]
        for port in ports:
            argv = [sys.executable, "-m", "uvicorn", "marketplace.asgi:app", "--port", str(port)]
            argv += ["--loop", "uvloop", "--http", "httptools", "--log-level", "warning"]
            procs.append(subprocess.Popen(argv, env=env))  # noqa: ASYNC220 - started, not awaited
        for port, proc in zip(ports, procs, strict=True):
            await _ready(port, proc)
        yield env, [f"http://127.0.0.1:{p}" for p in ports]
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            await asyncio.to_thread(proc.wait, 30)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def _sign_in(base: str, phone: str) -> str:
    from marketplace.demo import DEMO_PASSWORD

    async with httpx.AsyncClient(base_url=base) as client:
        r = await client.post(
            "/api/v1/auth/login", json={"phone": phone, "password": DEMO_PASSWORD}
        )
        assert r.status_code == 200, r.text
        return r.cookies["lianxin_session"]


async def test_a_session_made_on_one_process_works_on_the_other(two_apps):
    from marketplace.demo import DEMO_ACCOUNTS

    _, (a, b) = two_apps
    cookie = {"lianxin_session": await _sign_in(a, DEMO_ACCOUNTS["volunteer"][0])}
    async with httpx.AsyncClient(cookies=cookie) as client:
        on_a = await client.get(f"{a}/api/v1/me")
        on_b = await client.get(f"{b}/api/v1/me")
        assert on_a.status_code == on_b.status_code == 200, on_b.text
        assert on_a.json()["id"] == on_b.json()["id"]
        assert (await client.post(f"{b}/api/v1/auth/logout")).status_code in (200, 204)
    async with httpx.AsyncClient(cookies=cookie) as client:
        assert (await client.get(f"{a}/api/v1/me")).status_code == 401


async def test_a_claim_race_across_both_processes_has_one_winner(two_apps):
    import asyncpg

    env, bases = two_apps
    conn = await asyncpg.connect(dsn=env["DATABASE_URL"])
    # the community with the most district volunteers, and one of its open tasks
    racers = await conn.fetch(
        "SELECT p.phone, p.community FROM person p JOIN role_grant g ON g.person = p.id "
        "WHERE g.role = 'volunteer' AND p.phone LIKE '170%' AND p.community = ("
        "  SELECT p2.community FROM person p2 JOIN task t ON t.community = p2.community "
        "  WHERE p2.phone LIKE '170%' AND t.status = 'open' "
        "  GROUP BY p2.community ORDER BY count(DISTINCT p2.id) DESC LIMIT 1)"
    )
    task = await conn.fetchval(
        "SELECT id FROM task WHERE status = 'open' AND community = $1 LIMIT 1",
        racers[0]["community"],
    )
    assert len(racers) >= 3, racers
    cookies = [await _sign_in(bases[i % 2], r["phone"]) for i, r in enumerate(racers)]

    async def claim(base: str, session: str) -> int:
        async with httpx.AsyncClient(cookies={"lianxin_session": session}) as client:
            return (await client.post(f"{base}/api/v1/tasks/{task}/claim")).status_code

    # every racer claims on both processes at once
    statuses = await asyncio.gather(*(claim(base, c) for c in cookies for base in bases))
    assert sorted(statuses) == [200] + [409] * (len(statuses) - 1), statuses
    claims = await conn.fetch("SELECT volunteer, status FROM claim WHERE task = $1", task)
    assert len(claims) == 1 and claims[0]["status"] == "active"
    assert await conn.fetchval("SELECT status FROM task WHERE id = $1", task) == "claimed"
    await conn.close()
