"""The hot paths at district scale: `make bench-api` (PostgreSQL + Redis; not part of CI).

Loads the district data set (20,000 open tasks, 35,000 volunteers) into its own database
(`bench_district` on the server of DATABASE_URL), flushes its own Redis database (REDIS_URL, DB 7
by default), starts the app and a bare Litestar baseline under uvicorn (uvloop, httptools) with 1
and then 2 worker processes, and drives them with wrk (-t2 -c64, 10 s each). Prints one table:
baseline and feed req/s and their ratio, p50/p99, claims/s with exactly one winner per task
(checked in the database), a 256-connection run's 5xx count, and the feed at 200 and 200,000 open
tasks (flatness). Rate limits stay on but are raised so that a load generator is not refused.

Sessions come from POST /api/v1/auth/login (the district volunteers sign in with the demo
password); the JSON API needs no CSRF token (SameSite=Lax cookies, JSON-only bodies).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx

from marketplace.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from marketplace.district import volunteer_phone

HERE = Path(__file__).resolve().parent
WRK_DIR = HERE / "wrk"
APP_PORT, BASE_PORT = 8861, 8862
DURATION = "10s"
CENTRE = (36.062, 120.379)
CONTENDERS = 4  # volunteers racing for each task in the claims run
CLAIM_TASKS = 5_000  # tasks raced for in one claims run (more than 10 s can use)
SESSIONS = 160  # volunteers signed in for the claims run


def _db_url(base: str, name: str) -> str:
    return base.rpartition("/")[0] + "/" + name


@dataclass
class Config:
    pg_base: str
    redis_url: str
    database: str
    duration: str = DURATION

    @property
    def url(self) -> str:
        return _db_url(self.pg_base, self.database)

    def env(self, database: str | None = None) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": _db_url(self.pg_base, database or self.database),
            "REDIS_URL": self.redis_url,
            "LIANXIN_ENV_FILE": "",
            "LIANXIN_LOG_LEVEL": "ERROR",
            # the limits still run on every request, only high enough for a load generator
            "LIANXIN_RATE_LIMIT_PERSON_PER_MINUTE": "100000000",
            "LIANXIN_RATE_LIMIT_ANONYMOUS_PER_MINUTE": "100000000",
            "LIANXIN_MAX_OPEN_CLAIMS": "100000000",
        }


def bench_config(duration: str = DURATION) -> Config:
    """The bench's database and Redis (LIANXIN_BENCH_PG, LIANXIN_BENCH_REDIS)."""
    return Config(
        pg_base=os.environ.get("LIANXIN_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres"),
        redis_url=os.environ.get("LIANXIN_BENCH_REDIS", "redis://127.0.0.1:6379/7"),
        database="bench_district",
        duration=duration,
    )


async def _people(cfg: Config, database: str) -> int:
    """People in `database` (created when missing; 0 before the migrations)."""
    admin = await asyncpg.connect(dsn=_db_url(cfg.pg_base, "postgres"))
    exists = await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", database)
    if not exists:
        await admin.execute(f'CREATE DATABASE "{database}"')
    await admin.close()
    conn = await asyncpg.connect(dsn=_db_url(cfg.pg_base, database))
    try:
        return await conn.fetchval("SELECT count(*) FROM person")
    except asyncpg.UndefinedTableError:
        return 0
    finally:
        await conn.close()


def ensure_data(cfg: Config, database: str, tasks: int, volunteers: int) -> float | None:
    """Create and migrate `database`, and load it unless it already holds people; the load's
    seconds (a kept data set still gets the migrations added since it was loaded)."""
    had_people = asyncio.run(_people(cfg, database))
    env = cfg.env(database)
    py = sys.executable
    subprocess.run([py, "-m", "marketplace.cli", "migrate"], env=env, check=True)
    if had_people:
        return None
    started = time.perf_counter()
    subprocess.run(
        [py, "-m", "marketplace.cli", "demo", "--size", "district"]
        + ["--tasks", str(tasks), "--volunteers", str(volunteers)],
        env=env,
        check=True,
    )
    return time.perf_counter() - started


class Server:
    """uvicorn with `workers` processes, uvloop and httptools, as the production notes say."""

    def __init__(self, app: str, port: int, workers: int, env: dict[str, str]) -> None:
        self.port = port
        argv = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port)]
        argv += ["--workers", str(workers), "--loop", "uvloop", "--http", "httptools"]
        argv += ["--no-access-log", "--log-level", "warning"]
        self.proc = subprocess.Popen(argv, env=env, start_new_session=True)

    def wait(self, path: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}{path}", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"server on port {self.port} did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@dataclass
class Run:
    rps: float
    p50_ms: float
    p99_ms: float
    statuses: dict[int, int]

    def count(self, low: int, high: int) -> int:
        return sum(n for s, n in self.statuses.items() if low <= s < high)


def wrk(url: str, script: str, connections: int, duration: str, **env: str) -> Run:
    """One wrk run (-t2); requests a second, p50/p99 and the responses by status."""
    argv = ["wrk", "-t2", f"-c{connections}", f"-d{duration}", "-s", str(WRK_DIR / script), url]
    full_env = {**os.environ, "WRK_DIR": str(WRK_DIR), "THREADS": "2", **env}
    out = subprocess.run(argv, env=full_env, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    lat = re.search(r"LATENCY p50_us=(\d+) p99_us=(\d+)", out)
    statuses = {int(s): int(n) for s, n in re.findall(r"(\d{3})=(\d+)", out.split("STATUS", 1)[-1])}
    assert lat is not None, out
    return Run(rps, int(lat.group(1)) / 1000, int(lat.group(2)) / 1000, statuses)


async def sign_in(port: int, phones: list[str]) -> dict[str, str]:
    """Session cookies by phone, from the API's own sign-in."""
    cookies: dict[str, str] = {}
    limit = asyncio.Semaphore(4)

    async def one(phone: str) -> None:
        async with (
            limit,
            httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as client,
        ):  # a client each: a second sign-in with the first one's cookie would renew it
            r = await client.post(
                "/api/v1/auth/login", json={"phone": phone, "password": DEMO_PASSWORD}
            )
            r.raise_for_status()
            cookies[phone] = f"lianxin_session={r.cookies['lianxin_session']}"

    await asyncio.gather(*(one(p) for p in phones))
    return cookies


async def claim_plan(cfg: Config, cookies: dict[str, str]) -> tuple[list[str], list[int]]:
    """Open tasks of the signed-in volunteers' communities, each raced for by CONTENDERS of them
    (lines "cookie task_id", shuffled); the task ids."""
    conn = await asyncpg.connect(dsn=cfg.url)
    rows = await conn.fetch(
        "SELECT p.phone, g.community FROM person p JOIN role_grant g ON g.person = p.id "
        "WHERE g.role = 'volunteer' AND p.phone = ANY($1::text[])",
        list(cookies),
    )
    by_community: dict[int, list[str]] = {}
    for r in rows:
        by_community.setdefault(r["community"], []).append(cookies[r["phone"]])
    tasks = await conn.fetch(
        "SELECT id, community FROM task WHERE status = 'open' AND community = ANY($1::int[]) "
        "ORDER BY random() LIMIT $2",
        list(by_community),
        CLAIM_TASKS,
    )
    await conn.close()
    rng = random.Random(7)
    lines = [
        f"{rng.choice(by_community[t['community']])} {t['id']}"
        for t in tasks
        for _ in range(CONTENDERS)
    ]
    rng.shuffle(lines)
    return lines, [t["id"] for t in tasks]


async def check_and_reset_claims(cfg: Config, task_ids: list[int]) -> tuple[int, int, int]:
    """(tasks claimed, tasks with more than one claim, tasks claimed but not marked claimed);
    then puts the tasks back into the feed so that every run starts from 20,000 open."""
    conn = await asyncpg.connect(dsn=cfg.url)
    claimed = await conn.fetchval(
        "SELECT count(DISTINCT task) FROM claim WHERE task = ANY($1::int[])", task_ids
    )
    doubled = await conn.fetchval(
        "SELECT count(*) FROM (SELECT task FROM claim WHERE task = ANY($1::int[]) "
        "GROUP BY task HAVING count(*) > 1) d",
        task_ids,
    )
    unmarked = await conn.fetchval(
        "SELECT count(*) FROM claim c JOIN task t ON t.id = c.task "
        "WHERE c.task = ANY($1::int[]) AND t.status <> 'claimed'",
        task_ids,
    )
    async with conn.transaction():
        wishes = "SELECT source_id FROM task WHERE id = ANY($1::int[]) AND source = 'wish'"
        await conn.execute(
            f"DELETE FROM wish_event WHERE action = 'claim' AND wish IN ({wishes})", task_ids
        )
        await conn.execute(f"UPDATE wish SET status = 'published' WHERE id IN ({wishes})", task_ids)
        await conn.execute("DELETE FROM claim WHERE task = ANY($1::int[])", task_ids)
        await conn.execute("UPDATE task SET status = 'open' WHERE id = ANY($1::int[])", task_ids)
    await conn.close()
    return claimed, doubled, unmarked


@dataclass
class Row:
    workers: int
    baseline: Run
    feed: Run
    claims: Run
    claimed: int
    doubled: int
    unmarked: int


def measure(cfg: Config, workers: int, feed_cookie: str, cookies: dict[str, str]) -> Row:
    """Baseline, feed and claims at 64 connections with `workers` processes each."""
    base = Server("bench.baseline_app:app", BASE_PORT, workers, cfg.env())
    app = Server("marketplace.asgi:app", APP_PORT, workers, cfg.env())
    try:
        base.wait("/items")
        app.wait("/healthz")
        baseline = wrk(f"http://127.0.0.1:{BASE_PORT}/items", "baseline.lua", 64, cfg.duration)
        url = f"http://127.0.0.1:{APP_PORT}"
        feed = wrk(url, "feed.lua", 64, cfg.duration, COOKIE=feed_cookie)
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
            plan = Path(f.name)
        lines, task_ids = asyncio.run(claim_plan(cfg, cookies))
        plan.write_text("\n".join(lines) + "\n")
        claims = wrk(url, "claims.lua", 64, cfg.duration, CLAIMS=str(plan))
        plan.unlink()
    finally:
        app.stop()
        base.stop()
    # checked once the servers have stopped: no claim is still in flight
    claimed, doubled, unmarked = asyncio.run(check_and_reset_claims(cfg, task_ids))
    return Row(workers, baseline, feed, claims, claimed, doubled, unmarked)


def heavy(cfg: Config, feed_cookie: str, workers: int) -> Run:
    """The feed at 256 connections: any 5xx is a failure of the bounded pools."""
    app = Server("marketplace.asgi:app", APP_PORT, workers, cfg.env())
    try:
        app.wait("/healthz")
        return wrk(
            f"http://127.0.0.1:{APP_PORT}", "feed.lua", 256, cfg.duration, COOKIE=feed_cookie
        )
    finally:
        app.stop()


def feed_at(cfg: Config, database: str, tasks: int) -> tuple[Run, float | None]:
    """The feed (1 process, 64 connections) over a data set with `tasks` open tasks."""
    loaded = ensure_data(cfg, database, tasks, 2_000)
    env = cfg.env(database)
    app = Server("marketplace.asgi:app", APP_PORT, 1, env)
    try:
        app.wait("/healthz")
        phone = DEMO_ACCOUNTS["volunteer"][0]
        cookie = asyncio.run(sign_in(APP_PORT, [phone]))[phone]
        url = f"http://127.0.0.1:{APP_PORT}"
        return wrk(url, "feed.lua", 64, cfg.duration, COOKIE=cookie), loaded
    finally:
        app.stop()


def flush_redis(url: str) -> None:
    from redis import Redis

    Redis.from_url(url).flushdb()


def table(
    rows: list[Row], heavy_run: Run, flat: list[tuple[int, Run]], load_s: float | None
) -> str:
    """The one table the issue asks for, in Markdown, with the targets beside the figures."""
    out = [
        "| app processes | baseline req/s | feed req/s | feed/baseline | feed p50 ms | feed p99 ms "
        "| claim requests/s | claims won/s | tasks won | tasks with >1 claim | feed 5xx |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        seconds = _seconds(r.claims)
        out.append(
            f"| {r.workers} | {r.baseline.rps:,.0f} | {r.feed.rps:,.0f} "
            f"| {r.feed.rps / r.baseline.rps:.1%} | {r.feed.p50_ms:.1f} | {r.feed.p99_ms:.1f} "
            f"| {r.claims.rps:,.0f} | {r.claimed / seconds:,.0f} | {r.claimed} | {r.doubled} "
            f"| {r.feed.count(500, 600)} |"
        )
    out.append("")
    out.append(
        f"256 connections (2 processes, feed): {heavy_run.rps:,.0f} req/s, "
        f"p50 {heavy_run.p50_ms:.1f} ms, p99 {heavy_run.p99_ms:.1f} ms, "
        f"5xx {heavy_run.count(500, 600)}, statuses {dict(sorted(heavy_run.statuses.items()))}"
    )
    for tasks, run in flat:
        out.append(
            f"feed at {tasks:,} open tasks (1 process, 64 connections): {run.rps:,.0f} req/s, "
            f"p50 {run.p50_ms:.1f} ms, p99 {run.p99_ms:.1f} ms"
        )
    if load_s is not None:
        out.append(f"district data set loaded in {load_s:.1f} s")
    return "\n".join(out)


def _seconds(run: Run) -> float:
    return max(1e-9, sum(run.statuses.values()) / run.rps)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench.api_bench", description=__doc__)
    parser.add_argument("--duration", default=DURATION, help="each wrk run (10s)")
    parser.add_argument("--big", type=int, default=200_000, help="open tasks at the far end")
    parser.add_argument("--no-flat", action="store_true", help="skip the 200 / big feed runs")
    parser.add_argument("--out", help="also append the table to this Markdown file")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk (make bench-api installs it as root)")
    cfg = bench_config(args.duration)
    load_s = ensure_data(cfg, cfg.database, 20_000, 35_000)
    flush_redis(cfg.redis_url)
    app = Server("marketplace.asgi:app", APP_PORT, 1, cfg.env())
    try:
        app.wait("/healthz")
        demo_phone = DEMO_ACCOUNTS["volunteer"][0]
        phones = [demo_phone, *(volunteer_phone(i) for i in range(SESSIONS))]
        cookies = asyncio.run(sign_in(APP_PORT, phones))
    finally:
        app.stop()
    feed_cookie = cookies.pop(demo_phone)
    rows = [measure(cfg, workers, feed_cookie, cookies) for workers in (1, 2)]
    heavy_run = heavy(cfg, feed_cookie, 2)
    flat = []
    if not args.no_flat:
        for tasks, name in ((200, "bench_district_200"), (args.big, f"bench_district_{args.big}")):
            run, _ = feed_at(cfg, name, tasks)
            flat.append((tasks, run))
    text = table(rows, heavy_run, flat, load_s)
    print(text)
    if args.out:
        _append(Path(args.out), text)


def _append(path: Path, text: str) -> None:
    """Add this run under its own heading: a day's file keeps every run of that day (the
    machine's speed drifts, so runs are compared within a run, never across files)."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=HERE
    ).stdout.strip()
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    heading = f"## `make bench-api` at {stamp}, commit {commit or '?'} (load average {load})"
    before = path.read_text() if path.exists() else ""
    path.write_text(before + ("\n" if before else "") + heading + "\n\n" + text + "\n")


if __name__ == "__main__":
    main()
