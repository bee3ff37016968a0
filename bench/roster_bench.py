"""Roster import benchmark: a 5,000-row .xlsx of residents (and one of volunteers) imported on
SQLite and on PostgreSQL (target: under 20 s each).

    python -m bench.roster_bench [--rows 5000] [--database-url postgresql://...]

Each engine gets a database of its own (a temporary SQLite file; a throwaway PostgreSQL database,
dropped afterwards), built by the migrations, with one community of 20 compounds x 10 buildings.
It prints, per engine: reading the file alone (openpyxl, the baseline), the dry run, the import,
and importing the same file again (idempotent: nothing written), with each as a ratio of the
baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import tempfile
import time
import uuid
from datetime import UTC, datetime

from openpyxl import Workbook

PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"


def roster(kind: str, rows: int, prefix: str = "135", name: str = "居民") -> bytes:
    """A realistic file: one person per row, most with a phone, some without (name + room)."""
    from marketplace.rosters.rules import COLUMNS, RosterKind

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(list(COLUMNS[RosterKind(kind)]))
    for i in range(rows):
        phone = f"{prefix}{i:08d}" if i % 10 else ""
        place = [f"小区{i % 20}", f"{i % 10 + 1}号楼", str(i % 6 + 1), f"{i // 60 % 30 + 1}01"]
        if kind == "residents":
            extra = ["空巢老人", "是"] if i % 7 == 0 else ["", ""]
        else:
            extra = ["在职党员", f"第{i % 9 + 1}党支部", "学业辅导、维修", 4]
        ws.append([f"{name}{i}", phone, *place, *extra])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


async def seed() -> tuple[int, object]:
    from marketplace.accounts.rules import Actor, Role, RoleScope
    from marketplace.accounts.tables import Person, RoleGrant
    from marketplace.db import insert_many
    from marketplace.org.tables import Building, Community, Compound, SubDistrict

    sub = SubDistrict(name="基准街道", lat=36.06, lng=120.38)
    await sub.save()
    comm = Community(name="基准社区", sub_district=sub.id, lat=36.06, lng=120.38)
    await comm.save()
    await insert_many(
        Compound,
        ("name", "community", "lat", "lng"),
        [(f"小区{i}", comm.id, 36.06 + i / 1000, 120.38) for i in range(20)],
    )
    comps = await Compound.select(Compound.id).order_by(Compound.id)
    await insert_many(
        Building,
        ("name", "compound", "lat", "lng"),
        [(f"{b + 1}号楼", c["id"], 36.06, 120.38 + b / 1000) for c in comps for b in range(10)],
    )
    coord = Person(
        name="协调员", phone="13700000001", community=comm.id, created_at=datetime.now(UTC)
    )
    await coord.save()
    await RoleGrant(person=coord.id, role="coordinator", community=comm.id).save()
    actor = Actor(coord.id, "协调员", (RoleScope(Role.COORDINATOR, comm.id, None),))
    return comm.id, actor


async def timed(label: str, coro, baseline: float | None) -> tuple[float, object]:
    start = time.perf_counter()
    out = await coro
    took = time.perf_counter() - start
    ratio = f"  ({took / baseline:.1f}x the file read)" if baseline else ""
    print(f"  {label:<34} {took:7.2f} s{ratio}")
    return took, out


async def run_engine(name: str, engine, rows: int, files: dict[str, bytes]) -> None:
    from marketplace import db
    from marketplace.accounts.tables import Person
    from marketplace.cli import migrate
    from marketplace.rosters import service, workbook
    from marketplace.rosters.rules import COLUMNS, Mode, RosterKind

    await db.use_engine(engine)
    await db.prepare_engine(engine)
    try:
        await migrate()
        community, actor = await seed()
        print(f"{name}: {rows:,} rows")
        for kind, content in files.items():
            k = RosterKind(kind)

            async def read(content=content, k=k):
                return workbook.read_rows(content, COLUMNS[k])

            base, _ = await timed(f"{kind}: read the file (baseline)", read(), None)

            def go(mode, content=content, k=k):
                return service.run_import(
                    actor=actor,
                    kind=k,
                    community_id=community,
                    content=content,
                    mode=mode,
                    lang="zh-CN",
                )

            _, rep = await timed(f"{kind}: dry run", go(Mode.DRY_RUN), base)
            took, rep = await timed(f"{kind}: import", go(Mode.ALL), base)
            assert rep.committed and not rep.errors, rep.errors[:3]
            _, again = await timed(f"{kind}: same file again", go(Mode.ALL), base)
            assert not again.committed and again.created == 0
            verdict = "under" if took < 20 else "OVER"
            print(f"  {kind}: created {rep.created:,} people; {verdict} the 20 s target")
        print(f"  people now: {await Person.count():,}")
    finally:
        await db.release_engine(engine)


async def main(rows: int, pg_url: str) -> None:
    from marketplace import db

    files = {
        "residents": roster("residents", rows),
        "volunteers": roster("volunteers", rows, prefix="136", name="党员"),  # other people
    }
    with tempfile.TemporaryDirectory() as tmp:
        await run_engine("SQLite", db.sqlite_engine(os.path.join(tmp, "bench.sqlite")), rows, files)
    await run_postgres(rows, pg_url, files)


async def run_postgres(rows: int, pg_url: str, files: dict[str, bytes]) -> None:
    import asyncpg
    from piccolo.engine.postgres import PostgresEngine

    try:
        admin = await asyncpg.connect(dsn=pg_url)
    except Exception as exc:  # noqa: BLE001
        print(f"PostgreSQL: skipped ({type(exc).__name__}: not reachable at {pg_url})")
        return
    name = f"lianxin_roster_bench_{uuid.uuid4().hex[:8]}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        base, _, _ = pg_url.rpartition("/")
        await run_engine(
            "PostgreSQL", PostgresEngine(config={"dsn": f"{base}/{name}"}), rows, files
        )
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or PG_DEFAULT)
    args = parser.parse_args()
    asyncio.run(main(args.rows, args.database_url))
