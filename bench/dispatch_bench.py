"""Dispatch benchmark: from POST /matching-runs to a saved proposal, with the data in PostgreSQL.

    python -m bench.dispatch_bench [--sizes sub,district] [--database-url postgresql://...]
                                   [--threads N]

Creates a database of its own, seeds a synthetic sub-district (2k open tasks, 3.5k volunteers)
or district (20k, 35k), runs the matching through the HTTP API with the in-process executor, and
prints each stage. Drops the database afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
import uuid
from datetime import UTC, datetime

import numpy as np

SIZES = {"sub": (2_000, 3_500, 9.5), "district": (20_000, 35_000, 30.0)}
LAT0, LNG0 = 36.06, 120.38
SKILLS = ["tutoring", "repairs", "companionship", "errands", "medical_escort", "electrician"]
CHUNK = 1000


def _points(rng: np.random.Generator, n: int, side_km: float) -> np.ndarray:
    km_lat, km_lng = 1 / 111.195, 1 / (111.195 * np.cos(np.radians(LAT0)))
    xy = rng.random((n, 2)) * side_km
    return np.column_stack([LAT0 + xy[:, 0] * km_lat, LNG0 + xy[:, 1] * km_lng])


async def _insert(table, rows: list) -> list[int]:
    ids: list[int] = []
    for start in range(0, len(rows), CHUNK):
        out = await table.insert(*rows[start : start + CHUNK]).returning(table.id)
        ids += [r["id"] for r in out]
    return ids


async def seed(n_tasks: int, n_vols: int, side_km: float, seed: int = 7) -> tuple[int, str]:
    """A sub-district with communities, compounds, volunteers and published wishes as open tasks."""
    from marketplace.accounts.rules import hash_password
    from marketplace.accounts.tables import Person, RoleGrant, VolunteerProfile
    from marketplace.org.tables import Community, Compound, SubDistrict
    from marketplace.tasks.tables import Task
    from marketplace.wishes.tables import Wish

    rng = np.random.default_rng(seed)
    now = datetime.now(UTC)
    sub = (
        await SubDistrict.insert(SubDistrict(name="基准街道", lat=LAT0, lng=LNG0)).returning(
            SubDistrict.id
        )
    )[0]["id"]
    n_comm = max(4, n_tasks // 200)
    cpts = _points(rng, n_comm, side_km)
    comms = await _insert(
        Community,
        [
            Community(name=f"社区{i}", sub_district=sub, lat=a, lng=b)
            for i, (a, b) in enumerate(cpts)
        ],
    )
    compounds = await _insert(
        Compound,
        [
            Compound(name=f"小区{i}", community=c, lat=a, lng=b)
            for i, (c, (a, b)) in enumerate(zip(comms, cpts, strict=True))
        ],
    )
    coord_phone = "13700000001"
    coord = (
        await Person.insert(
            Person(
                name="协调员",
                phone=coord_phone,
                password_hash=hash_password("bench-password"),
                created_at=now,
            )
        ).returning(Person.id)
    )[0]["id"]
    await RoleGrant.insert(RoleGrant(person=coord, role="coordinator", sub_district=sub))
    vpts = _points(rng, n_vols, side_km)
    vols = await _insert(Person, [Person(name=f"志愿者{i}", created_at=now) for i in range(n_vols)])
    await _insert(
        RoleGrant, [RoleGrant(person=v, role="volunteer", sub_district=sub) for v in vols]
    )
    await _insert(
        VolunteerProfile,
        [
            VolunteerProfile(
                person=v,
                kind="party_resident",
                home_lat=float(a),
                home_lng=float(b),
                skills=sorted(set(rng.choice(SKILLS, size=2).tolist())),
                weekly_hours=float(rng.uniform(3, 8)),
                weekly_tasks=int(rng.choice([1, 2, 3], p=[0.6, 0.3, 0.1])),
                max_distance_m=int(rng.integers(1000, 5001)),
            )
            for v, (a, b) in zip(vols, vpts, strict=True)
        ],
    )
    tpts = _points(rng, n_tasks, side_km)
    home = rng.integers(0, n_comm, n_tasks)
    residents = await _insert(
        Person,
        [Person(name=f"居民{i}", community=comms[home[i]], created_at=now) for i in range(n_tasks)],
    )
    groups = [["aged_60_plus"], ["low_income", "child"], [], [], ["disabled"]]
    wishes = await _insert(
        Wish,
        [
            Wish(
                title="微心愿",
                category="errands",
                resident=r,
                posted_by=r,
                community=comms[home[i]],
                compound=compounds[home[i]],
                lat=float(a),
                lng=float(b),
                hours=float(rng.uniform(1, 3)),
                skills=[str(rng.choice(SKILLS))] if rng.random() < 0.3 else [],
                priority_groups=groups[i % 5],
                priority_consent=True,
                status="published",
                created_at=now,
                updated_at=now,
            )
            for i, (r, (a, b)) in enumerate(zip(residents, tpts, strict=True))
        ],
    )
    wish_rows = {
        w["id"]: w for w in await Wish.select().where(Wish.id.is_in(wishes)).output(load_json=True)
    }
    await _insert(
        Task,
        [
            Task(
                source="wish",
                source_id=w,
                community=wish_rows[w]["community"],
                compound=wish_rows[w]["compound"],
                title="微心愿",
                category="errands",
                skills=wish_rows[w]["skills"],
                hours=wish_rows[w]["hours"],
                priority=len(wish_rows[w]["priority_groups"]),
                lat=wish_rows[w]["lat"],
                lng=wish_rows[w]["lng"],
                status="open",
                created_at=now,
            )
            for w in wishes
        ],
    )
    return sub, coord_phone


async def run_once(size: str, threads: int) -> dict:
    from marketplace.app import create_app
    from marketplace.settings import Settings
    from tests.fixtures import Running

    n_tasks, n_vols, side = SIZES[size]
    clock = time.perf_counter()
    sub, phone = await seed(n_tasks, n_vols, side)
    seed_s = time.perf_counter() - clock
    running = await Running(
        create_app(Settings(matching_time_limit_s=60, matching_threads=threads))
    ).start()
    client = running.client()
    assert (
        await client.post("/api/v1/auth/login", json={"phone": phone, "password": "bench-password"})
    ).status_code == 200
    clock = time.perf_counter()
    r = await client.post(
        "/api/v1/matching-runs",
        json={"scope_kind": "sub_district", "scope_id": sub, "time_limit_s": 60},
    )
    run = r.json()
    while run["state"] in ("queued", "running") or (
        run["state"] == "proposed" and "total_s" not in run["timings"]
    ):
        await asyncio.sleep(0.05)
        run = (await client.get(f"/api/v1/matching-runs/{run['id']}")).json()
    wall = time.perf_counter() - clock
    await running.stop()
    return {"size": size, "seed_s": seed_s, "wall_s": wall, "run": run}


def _print(result: dict) -> None:
    run, t = result["run"], result["run"]["timings"]
    if run["state"] != "proposed":
        print(f"\n## {result['size']}: run {run['state']}: {run['error']}")
        return
    s, b = run["summary"], run["baseline"]
    n_tasks, n_vols, _ = SIZES[result["size"]]
    print(
        f"\n## {result['size']}: {n_tasks:,} open tasks x {n_vols:,} volunteers in PostgreSQL (seeded in {result['seed_s']:.1f} s)"
    )
    print(f"state {run['state']}  status {s.get('status')}  gap {s.get('gap')}")
    print("stage        seconds")
    for key in ("load_s", "solve_s", "baseline_s", "save_s", "total_s"):
        print(f"{key[:-2]:<12} {t.get(key, float('nan')):7.2f}")
    print(f"{'POST→saved':<12} {result['wall_s']:7.2f}   (includes queueing and polling)")
    print(f"solve share of total: {t['solve_s'] / result['wall_s']:.0%}")
    print(
        f"optimal: served {s['tasks_served']}/{s['tasks_open']}, priority {s['priority_served']}/{s['priority_tasks']}, "
        f"mean distance {s['mean_distance_m']} m, volunteers used {s['volunteers_used']}"
    )
    print(
        f"greedy:  served {b['tasks_served']}/{b['tasks_open']}, priority {b['priority_served']}/{b['priority_tasks']}, "
        f"mean distance {b['mean_distance_m']} m, volunteers used {b['volunteers_used']}"
    )


async def main(sizes: list[str], url: str, threads: int) -> None:
    import asyncpg
    from piccolo.engine.postgres import PostgresEngine

    from marketplace import db
    from marketplace.cli import migrate

    for size in sizes:
        name = f"lianxin_bench_{uuid.uuid4().hex[:8]}"
        admin = await asyncpg.connect(dsn=url)
        await admin.execute(f'CREATE DATABASE "{name}"')
        engine = PostgresEngine(config={"dsn": url.rsplit("/", 1)[0] + "/" + name})
        await db.use_engine(engine)
        try:
            await migrate()
            await db.prepare_engine(engine)
            _print(await run_once(size, threads))
        finally:
            await db.release_engine(engine)
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="sub,district")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/test",
    )
    parser.add_argument(
        "--threads", type=int, default=1, help="LIANXIN_MATCHING_THREADS of the app (default 1)"
    )
    args = parser.parse_args()
    os.environ.pop("DATABASE_URL", None)
    asyncio.run(main(args.sizes.split(","), args.database_url, args.threads))
