"""Where a feed's and a claim's time goes: `python -m bench.api_parts` (after `make bench-api`).

Calls the ASGI apps directly in one process (no server, no HTTP parsing), 16 requests in
flight on uvloop, and reports this process's CPU time per request (`time.process_time`), which
is what bounds an app process's requests a second: the bare baseline of `make bench-api`, the
app's feed signed in (the district data set, 20 km around the centre, 50 tasks), and the
feed's parts, each run alone the same way — the feed statement (asyncpg, rows decoded), the 50
rows made into TaskRead, their JSON, the session read from Redis, the rate-limit count, the
signed-in person's query. What is left of the feed request is Litestar's request handling
(middleware, routing, dependency injection, the response) and the event loop's share of the
round trips. Then claims, four district volunteers racing for each task as in bench-api: CPU
per request and per task won (the tasks are put back afterwards). Uses bench-api's database
(bench_district on LIANXIN_BENCH_PG's server) and Redis database (LIANXIN_BENCH_REDIS, DB 7).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec
import uvloop

from bench.api_bench import CENTRE, bench_config, check_and_reset_claims, claim_plan
from marketplace.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from marketplace.district import volunteer_phone

IN_FLIGHT = 16
REQUESTS = 4_000
RADIUS_M = 20_000
CLAIMERS = 40  # district volunteers signed in for the claims
CLAIM_REQUESTS = 4_000  # claim requests measured (four volunteers race for each task)


def _environment() -> None:
    """The app's settings as `make bench-api` serves it (before marketplace.app is imported)."""
    os.environ.update(bench_config().env())


async def call(
    app: Any, method: str, path: str, query: str = "", cookie: str = "", body: bytes = b""
) -> tuple[int, list[tuple[bytes, bytes]]]:
    """One HTTP request straight into an ASGI app: its status and response headers."""
    headers = [(b"host", b"127.0.0.1"), (b"content-type", b"application/json")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8861),
        "state": {},
    }
    sent = False
    start: dict[str, Any] = {}

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()  # the client never disconnects
        return {}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            start.update(message)

    await app(scope, receive, send)
    return start["status"], start.get("headers", [])


async def cpu_per_call(step: Callable[[], Awaitable[object]], total: int = REQUESTS) -> float:
    """Microseconds of this process's CPU per call, IN_FLIGHT calls at a time (after a warm-up)."""
    for _ in range(50):
        await step()

    async def loop(n: int) -> None:
        for _ in range(n):
            await step()

    began = time.process_time()
    await asyncio.gather(*(loop(total // IN_FLIGHT) for _ in range(IN_FLIGHT)))
    return (time.process_time() - began) / (total // IN_FLIGHT * IN_FLIGHT) * 1e6


async def _started(app: Any) -> Callable[[], Awaitable[None]]:
    """Run the app's startup; returns its shutdown."""
    inbox: asyncio.Queue[dict[str, str]] = asyncio.Queue()
    replies: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
    running = asyncio.create_task(app(scope, inbox.get, replies.put))
    await inbox.put({"type": "lifespan.startup"})
    reply = await replies.get()
    assert reply["type"] == "lifespan.startup.complete", reply

    async def shutdown() -> None:
        await inbox.put({"type": "lifespan.shutdown"})
        await running

    return shutdown


async def _sign_in(app: Any, phone: str = DEMO_ACCOUNTS["volunteer"][0]) -> str:
    body = msgspec.json.encode({"phone": phone, "password": DEMO_PASSWORD})
    status, headers = await call(app, "POST", "/api/v1/auth/login", body=body)
    assert status == 200, status
    for name, value in headers:
        if name.lower() == b"set-cookie" and value.startswith(b"lianxin_session="):
            return value.decode().split(";", 1)[0]
    raise SystemExit("sign-in set no session cookie")


async def measure() -> list[tuple[str, float]]:
    from bench.baseline_app import app as baseline
    from marketplace.accounts.service import load_actor
    from marketplace.app import create_app
    from marketplace.core.redis import make_redis
    from marketplace.db import fetch_pg
    from marketplace.limits import RedisCounter
    from marketplace.tasks import feed

    app = create_app()
    shutdown = await _started(app)
    try:
        cookie = await _sign_in(app)
        query = f"lat={CENTRE[0]}&lng={CENTRE[1]}&radius_m={RADIUS_M}"

        async def the_feed() -> None:
            status, _ = await call(app, "GET", "/api/v1/tasks", query, cookie)
            assert status == 200, status

        async def bare() -> None:
            await call(baseline, "GET", "/items")

        settings = app.state.settings
        session_id = cookie.split("=", 1)[1]
        sessions = app.stores.get("sessions")
        person_id = msgspec.json.decode(await sessions.get(session_id))["person_id"]
        actor = await load_actor(person_id=person_id)
        assert actor is not None
        communities, sub_districts = feed._scope(actor)
        args = (*CENTRE, communities, sub_districts, None, None, 50, feed.chord_m(RADIUS_M))
        rows = await fetch_pg(feed._PG_FEED, *args)
        reads = [feed._read(r, r["distance_m"]) for r in rows]
        redis = make_redis(settings)
        counter = RedisCounter(redis, settings.redis_namespace)

        async def statement() -> None:
            await fetch_pg(feed._PG_FEED, *args)

        async def build() -> None:
            [feed._read(r, r["distance_m"]) for r in rows]

        async def encode() -> None:
            msgspec.json.encode(reads)

        async def session() -> None:
            await sessions.get(session_id)

        async def count() -> None:
            await counter.hit(f"person:{person_id}", int(time.time() // 60))

        async def person() -> None:
            await load_actor(person_id=person_id)

        figures = [
            ("bare baseline request (20 structs)", await cpu_per_call(bare)),
            (f"feed request ({len(rows)} tasks)", await cpu_per_call(the_feed)),
            ("  feed statement (asyncpg, rows decoded)", await cpu_per_call(statement)),
            ("  rows made into TaskRead", await cpu_per_call(build)),
            ("  their JSON", await cpu_per_call(encode)),
            ("  session read (Redis GET)", await cpu_per_call(session)),
            ("  rate-limit count (Redis INCR)", await cpu_per_call(count)),
            ("  signed-in person (one query)", await cpu_per_call(person)),
        ]
        await redis.aclose()
        return [*figures, *await _claims(app)]
    finally:
        await shutdown()


async def _claims(app: Any) -> list[tuple[str, float]]:
    """CPU per claim request, four district volunteers racing for each task as in bench-api
    (one wins, the others get 409), and per task won; the tasks are put back afterwards."""
    cfg = bench_config()
    cookies = {p: await _sign_in(app, p) for p in map(volunteer_phone, range(CLAIMERS))}
    lines, task_ids = await claim_plan(cfg, cookies)
    plan = iter(lines)
    statuses: dict[int, int] = {}

    async def claim() -> None:
        cookie, task = next(plan).split()
        status, _ = await call(app, "POST", f"/api/v1/tasks/{task}/claim", "", cookie, b"{}")
        statuses[status] = statuses.get(status, 0) + 1

    try:
        us = await cpu_per_call(claim, min(CLAIM_REQUESTS, len(lines) - 50))
    finally:
        await check_and_reset_claims(cfg, task_ids)
    requests, won = sum(statuses.values()), statuses.get(200, 0)
    return [
        (f"claim request ({won:,} won, {statuses.get(409, 0):,} refused)", us),
        ("claim won (the requests' CPU per task won)", us * requests / max(won, 1)),
    ]


def table(figures: list[tuple[str, float]]) -> str:
    base, whole = figures[0][1], figures[1][1]
    feed_parts, claims = figures[2:-2], figures[-2:]
    parts = sum(us for _, us in feed_parts)
    out = ["| what | CPU µs per request | × baseline | share of the feed |", "|---|---|---|---|"]
    rest = [("  the rest: middleware, routing, injection, response", whole - parts)]
    for name, us in [*figures[:-2], *rest, *claims]:
        share = f"{us / whole:.0%}" if name.startswith("  ") else ""
        out.append(f"| {name} | {us:,.0f} | {us / base:.1f}× | {share} |")
    floor = figures[2][1] + figures[3][1] + figures[4][1]
    out.append("")
    out.append(
        f"The feed's own work (statement, rows, JSON) alone is {floor / base:.1f}× the whole "
        f"bare request; a feed at 25% of the baseline may cost 4× it in all. "
        f"A task won costs {claims[1][1] / 1e6 * 1_000:.1f} ms of the app's CPU: 1,000 a second "
        f"would need {claims[1][1] / 1e6 * 1_000:.1f} cores for the app processes alone, before "
        f"PostgreSQL's and Redis' share of the same two."
    )
    return "\n".join(out)


def main() -> None:
    _environment()
    uvloop.install()
    print(table(asyncio.run(measure())))


if __name__ == "__main__":
    main()
