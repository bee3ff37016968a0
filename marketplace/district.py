"""The district data set for benchmarks and trials: `python -m marketplace.cli demo --size district`.

The demo sub-district (its six accounts included) plus 60 more communities with 10 compounds each
spread over about 30 km, 35,000 volunteers who sign in with the demo password (phones 170xxxxxxxx
in order, so load generators can find them) and 20,000 published wishes, each with its open task
in the feed. Rows are planned in memory and written with multi-row inserts (marketplace.db
.insert_many) with their ids given, in one transaction: on PostgreSQL the whole set loads in
seconds. Public points come from the same rule as publishing one task (tasks.rules.public_point);
the feed's index fills itself (the GiST index on PostgreSQL, the R*Tree's triggers on SQLite).
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from faker import Faker
from piccolo.table import Table

from marketplace.accounts.rules import Role, VolunteerKind, hash_password
from marketplace.accounts.tables import Person, RoleGrant, VolunteerProfile
from marketplace.db import atomic, engine, insert_many
from marketplace.demo import (
    CATALOGUE,
    CATEGORY_GROUPS,
    CATEGORY_WEIGHTS,
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    ELDER_GROUPS,
    KIND_SKILLS,
    KIND_TITLES,
    KIND_WEIGHTS,
    RESPONSIBLE,
    SUB_DISTRICT,
    load_demo,
)
from marketplace.org.tables import Community, Compound, Grid, SubDistrict
from marketplace.settings import CATEGORY_DUTY
from marketplace.tasks import rules as task_rules
from marketplace.tasks import service as tasks_service
from marketplace.tasks.tables import Task
from marketplace.wishes.rules import WishStatus, priority_level
from marketplace.wishes.tables import Wish, WishEvent

SIZES = {"demo": (0, 0), "district": (20_000, 35_000)}  # size -> (open tasks, volunteers)
COMMUNITIES, COMPOUNDS_PER = 60, 10
SPREAD_M = 15_000  # communities lie within this radius of the sub-district's centre (~30 km across)
PHONE_BASE = 17_000_000_000  # volunteer i signs in as str(PHONE_BASE + i)
RESIDENTS_PER_TASK = 4  # one resident per this many wishes (some wish more than once)
LEVELS, LEVEL_WEIGHTS = [r for r, _ in RESPONSIBLE], [w for _, w in RESPONSIBLE]


def volunteer_phone(i: int) -> str:
    """The phone of the i-th district volunteer (0-based), for load generators and trials."""
    return str(PHONE_BASE + i)


@dataclass
class _Ids:
    """The next free id of each table: rows are written with their ids, then sequences move."""

    next: dict[str, int]

    def take(self, table: type[Table], n: int) -> range:
        name = table._meta.tablename
        start = self.next[name]
        self.next[name] = start + n
        return range(start, start + n)


async def _next_ids(tables: list[type[Table]]) -> _Ids:
    out = {}
    for t in tables:
        rows = await t.raw(f'SELECT COALESCE(MAX(id), 0) AS m FROM "{t._meta.tablename}"')
        out[t._meta.tablename] = rows[0]["m"] + 1
    return _Ids(out)


async def _move_sequences(tables: list[type[Table]]) -> None:
    """PostgreSQL's serials do not see ids given explicitly; SQLite's rowids need nothing."""
    if engine().engine_type != "postgres":
        return
    for t in tables:
        name = t._meta.tablename
        await t.raw(
            f"SELECT setval(pg_get_serial_sequence('\"{name}\"', 'id'), "
            f'(SELECT COALESCE(MAX(id), 1) FROM "{name}"))'
        )


def _near(rng: random.Random, lat: float, lng: float, metres: float) -> tuple[float, float]:
    r = metres * math.sqrt(rng.random())
    a = rng.uniform(0, 2 * math.pi)
    return (
        lat + r * math.cos(a) / 111_320,
        lng + r * math.sin(a) / (111_320 * math.cos(math.radians(lat))),
    )


@dataclass
class _Org:
    compounds: list[tuple[int, int, float, float, int]]  # id, community, lat, lng, grid
    grid_workers: dict[int, int]  # community -> its grid worker (posts on residents' behalf)


async def _org(rng: random.Random, ids: _Ids, sub: int, now: datetime) -> _Org:
    """60 communities over ~30 km, 10 compounds each with one grid, a grid worker each."""
    _, lat0, lng0 = SUB_DISTRICT
    comms, comps, grids = [], [], []
    for cid in ids.take(Community, COMMUNITIES):
        clat, clng = _near(rng, lat0, lng0, SPREAD_M)
        comms.append((cid, f"第{cid}社区", sub, clat, clng))
        for pid, gid in zip(
            ids.take(Compound, COMPOUNDS_PER), ids.take(Grid, COMPOUNDS_PER), strict=True
        ):
            plat, plng = _near(rng, clat, clng, 800)
            comps.append((pid, f"第{pid}小区", cid, plat, plng))
            grids.append((gid, "第1网格", pid, plat, plng))
    await insert_many(Community, ["id", "name", "sub_district", "lat", "lng"], comms)
    await insert_many(Compound, ["id", "name", "community", "lat", "lng"], comps)
    await insert_many(Grid, ["id", "name", "compound", "lat", "lng"], grids)
    workers = dict(zip([c[0] for c in comms], ids.take(Person, COMMUNITIES), strict=True))
    first = {c[2]: g[0] for c, g in reversed(list(zip(comps, grids, strict=True)))}
    await insert_many(
        Person,
        ["id", "name", "community", "grid", "created_at"],
        [(pid, f"网格员{pid}", cid, first[cid], now) for cid, pid in workers.items()],
    )
    await _grants([(pid, Role.GRID_WORKER.value, cid, "网格长") for cid, pid in workers.items()])
    compounds = [(c[0], c[2], c[3], c[4], g[0]) for c, g in zip(comps, grids, strict=True)]
    return _Org(compounds, workers)


async def _grants(rows: list[tuple[int, str, int, str]]) -> None:
    await insert_many(RoleGrant, ["person", "role", "community", "title"], rows)


async def _volunteers(
    fake: Faker, rng: random.Random, ids: _Ids, org: _Org, n: int, pw: str, now: datetime
) -> None:
    """n volunteers near a compound each, signing in as volunteer_phone(i) with DEMO_PASSWORD."""
    people, grants, profiles = [], [], []
    kinds = list(VolunteerKind)
    for i, pid in enumerate(ids.take(Person, n)):
        comp, comm, clat, clng, grid = rng.choice(org.compounds)
        lat, lng = _near(rng, clat, clng, 300)
        joined = now - timedelta(days=rng.uniform(30, 60))
        people.append(
            (pid, fake.name(), volunteer_phone(i), pw, comm, comp, grid, lat, lng, joined)
        )
        kind = rng.choices(kinds, weights=KIND_WEIGHTS)[0]
        grants.append((pid, Role.VOLUNTEER.value, comm, KIND_TITLES[kind]))
        skills = sorted(set(rng.sample(KIND_SKILLS[kind], k=rng.randint(1, 3))))
        distance = rng.choice([1000, 2000, 3000, 5000])
        profiles.append((pid, kind.value, json.dumps(skills), lat, lng, 4.0, 3, distance))
    await insert_many(
        Person,
        [
            "id",
            "name",
            "phone",
            "password_hash",
            "community",
            "compound",
            "grid",
            "lat",
            "lng",
            "created_at",
        ],
        people,
    )
    await _grants(grants)
    columns = ["person", "kind", "skills", "home_lat", "home_lng"]
    columns += ["weekly_hours", "weekly_tasks", "max_distance_m"]
    await insert_many(VolunteerProfile, columns, profiles)


async def _residents(fake: Faker, ids: _Ids, org: _Org, rng: random.Random, n: int) -> list:
    """Residents without a login (their wishes are posted by the grid worker), near a compound."""
    rows, out = [], []
    for pid in ids.take(Person, n):
        comp, comm, clat, clng, grid = rng.choice(org.compounds)
        lat, lng = _near(rng, clat, clng, 150)
        address = (
            f"{rng.randint(1, 60)}号{rng.randint(1, 4)}单元{rng.randint(1, 7)}0{rng.randint(1, 4)}"
        )
        rows.append((pid, fake.name(), comm, comp, grid, address, lat, lng, datetime.now(UTC)))
        out.append((pid, comm, comp, grid, address, lat, lng, clat, clng))
    columns = ["id", "name", "community", "compound", "grid", "address", "lat", "lng"]
    await insert_many(Person, [*columns, "created_at"], rows)
    await _grants([(r[0], Role.RESIDENT.value, r[1], "") for r in out])
    return out


def _wish_values(rng: random.Random) -> tuple[str, str, str, list[str], float, list[str]]:
    category = rng.choices(list(CATALOGUE), weights=CATEGORY_WEIGHTS)[0]
    title, description, skills, hours = rng.choice(CATALOGUE[category])
    groups: list[str] = []
    if rng.random() < 0.4:
        pool = CATEGORY_GROUPS.get(category, ELDER_GROUPS)
        groups = sorted({g.value for g in rng.sample(pool, k=rng.randint(1, 2))})
    return category, title, description, sorted(skills), hours, groups


async def _wishes(
    rng: random.Random, ids: _Ids, org: _Org, residents: list, publisher: int, n: int
) -> None:
    """n published wishes, each with its submit and publish events and its open task."""
    now = datetime.now(UTC)
    wishes, events, tasks = [], [], []
    for wid, tid in zip(ids.take(Wish, n), ids.take(Task, n), strict=True):
        pid, comm, comp, grid, address, lat, lng, clat, clng = rng.choice(residents)
        category, title, description, skills, hours, groups = _wish_values(rng)
        poster = org.grid_workers[comm]
        published = now - timedelta(hours=rng.uniform(1, 240))
        created = published - timedelta(hours=rng.uniform(2, 36))
        wishes.append(
            (wid, title, description, category, pid, poster, comm, comp, grid, address, lat, lng)
            + (hours, json.dumps(skills), json.dumps(groups), bool(groups))
            + (poster if groups else None, WishStatus.PUBLISHED.value, created, published)
        )
        events.append((wid, "submit", "", WishStatus.SUBMITTED.value, poster, created))
        events.append((wid, "publish", "submitted", "published", publisher, published))
        plat, plng = task_rules.public_point(
            {"lat": lat, "lng": lng, "compound_lat": clat, "compound_lng": clng}
        )
        level = rng.choices(LEVELS, weights=LEVEL_WEIGHTS)[0]
        duty = CATEGORY_DUTY.get(category, "volunteering")
        tasks.append(
            (tid, "wish", wid, comm, comp, title, category, json.dumps(skills), hours)
            + (priority_level(groups), lat, lng, plat, plng, "open", published, level, duty)
        )
    await _write_wishes(wishes, events, tasks)


async def _write_wishes(wishes: list, events: list, tasks: list) -> None:
    where = ["community", "compound", "grid", "address", "lat", "lng", "hours", "skills"]
    await insert_many(
        Wish,
        ["id", "title", "description", "category", "resident", "posted_by", *where]
        + ["priority_groups", "priority_consent", "priority_recorded_by", "status"]
        + ["created_at", "updated_at"],
        wishes,
    )
    await insert_many(
        WishEvent, ["wish", "action", "from_status", "to_status", "actor", "at"], events
    )
    await insert_many(
        Task,
        ["id", "source", "source_id", "community", "compound", "title", "category", "skills"]
        + ["hours", "priority", "lat", "lng", "public_lat", "public_lng", "status", "created_at"]
        + ["responsible_level", "duty_type"],
        tasks,
    )


async def load_district(*, tasks: int = 20_000, volunteers: int = 35_000, seed: int = 2026) -> bool:
    """The demo sub-district grown to a district (see the module docstring); False when people
    already exist. Ends with ANALYZE on PostgreSQL so the planner knows the new sizes."""
    if await Person.count() > 0:
        return False
    fake, rng = Faker("zh_CN"), random.Random(seed)
    fake.seed_instance(seed)
    now = datetime.now(UTC)
    tables: list[type[Table]] = [Community, Compound, Grid, Person, Wish, Task]
    async with atomic():
        await load_demo(seed)
        sub = (await SubDistrict.select(SubDistrict.id).first() or {"id": 0})["id"]
        coordinator = await Person.select(Person.id).where(
            Person.phone == DEMO_ACCOUNTS["subdistrict_coordinator"][0]
        )
        ids = await _next_ids(tables)
        org = await _org(rng, ids, sub, now)
        await _volunteers(fake, rng, ids, org, volunteers, hash_password(DEMO_PASSWORD), now)
        residents = await _residents(fake, ids, org, rng, max(1, tasks // RESIDENTS_PER_TASK))
        await _wishes(rng, ids, org, residents, coordinator[0]["id"], tasks)
        await _move_sequences(tables)
        await tasks_service.fill_public_points()
    if engine().engine_type == "postgres":
        await Task.raw("ANALYZE")
    return True
