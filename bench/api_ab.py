"""A/B of the hot paths between two checkouts: `python -m bench.api_ab OLD_TREE NEW_TREE`.

Runs the app from each tree in turn (1 process, 64 connections, PostgreSQL + Redis, the district
data set of bench.api_bench), alternating REPS times so that both see the same machine load,
and prints claims or feed (WHAT=claims|feed) requests a second for each run and the medians.
Each tree is imported from its own directory (uvicorn is started with it as the working
directory). Not part of CI.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
from pathlib import Path

from bench import api_bench as b
from marketplace.demo import DEMO_ACCOUNTS
from marketplace.district import volunteer_phone


def _config() -> b.Config:
    return b.Config(
        pg_base=os.environ.get("LIANXIN_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres"),
        redis_url=os.environ.get("LIANXIN_BENCH_REDIS", "redis://127.0.0.1:6379/7"),
        database="bench_district",
        duration=os.environ.get("DUR", "5s"),
    )


def _sessions(cfg: b.Config, tree: str) -> tuple[str, dict[str, str]]:
    os.chdir(tree)
    app = b.Server("marketplace.asgi:app", b.APP_PORT, 1, cfg.env())
    try:
        app.wait("/healthz")
        demo = DEMO_ACCOUNTS["volunteer"][0]
        phones = [demo, *(volunteer_phone(i) for i in range(b.SESSIONS))]
        cookies = asyncio.run(b.sign_in(b.APP_PORT, phones))
    finally:
        app.stop()
    return cookies.pop(demo), cookies


def _one(cfg: b.Config, tree: str, what: str, feed_cookie: str, cookies: dict[str, str]) -> b.Run:
    os.chdir(tree)
    app = b.Server("marketplace.asgi:app", b.APP_PORT, 1, cfg.env())
    url = f"http://127.0.0.1:{b.APP_PORT}"
    task_ids: list[int] = []
    try:
        app.wait("/healthz")
        if what == "feed":
            return b.wrk(url, "feed.lua", 64, cfg.duration, COOKIE=feed_cookie)
        lines, task_ids = asyncio.run(b.claim_plan(cfg, cookies))
        plan = Path(f"/tmp/lianxin-ab-plan-{os.getpid()}.txt")
        plan.write_text("\n".join(lines) + "\n")
        return b.wrk(url, "claims.lua", 64, cfg.duration, CLAIMS=str(plan))
    finally:
        app.stop()
        if task_ids:
            _, doubled, _ = asyncio.run(b.check_and_reset_claims(cfg, task_ids))
            assert doubled == 0, "a task was claimed twice"


def main(argv: list[str]) -> None:
    trees = [str(Path(t).resolve()) for t in argv]
    what = os.environ.get("WHAT", "claims")
    cfg = _config()
    b.ensure_data(cfg, cfg.database, 20_000, 35_000)
    b.flush_redis(cfg.redis_url)
    feed_cookie, cookies = _sessions(cfg, trees[0])
    results: dict[str, list[float]] = {t: [] for t in trees}
    for _ in range(int(os.environ.get("REPS", "3"))):
        for tree in trees:
            run = _one(cfg, tree, what, feed_cookie, cookies)
            results[tree].append(run.rps)
            print(
                f"{tree} {what} {run.rps:.0f} req/s p50 {run.p50_ms:.0f} ms p99 {run.p99_ms:.0f} ms"
            )
    for tree, values in results.items():
        print(f"{tree} {what} median {statistics.median(values):.0f} req/s")


if __name__ == "__main__":
    main(sys.argv[1:])
