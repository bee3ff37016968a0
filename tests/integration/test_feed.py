"""The task feed: public point only (security issue 21, item 1), nearest first, few statements."""

from __future__ import annotations

import itertools

import pytest

from marketplace.geo import haversine_m
from marketplace.privacy import coarse_distance
from tests.factories import WISH, as_, make_world
from tests.statements import counted


@pytest.fixture
async def world(running):
    return await make_world()


async def _compound(world, lat: float, lng: float) -> int:
    """Another compound of community 1."""
    from marketplace.org.tables import Compound

    comp = Compound(name=f"小区{lat:.4f}", community=world.communities[0], lat=lat, lng=lng)
    await comp.save()
    return comp.id


_SERIAL = itertools.count(1)


async def _published(running, world, **overrides) -> int:
    """A wish of the resident, published; returns its task id."""
    resident = await as_(running, world, "resident")
    coord = await as_(running, world, "coord")
    # a distinct description each time: the same wish twice in a day is refused
    body = {**WISH, "description": f"第 {next(_SERIAL)} 次", **overrides}
    r = await resident.post("/api/v1/wishes", json=body)
    assert r.status_code == 201, r.text
    r = await coord.post(f"/api/v1/wishes/{r.json()['id']}/publish")
    assert r.status_code == 200, r.text
    return r.json()["task_id"]


async def test_the_attack_replayed_learns_no_more_than_the_public_point(running, world):
    """The probe of issue 21: move the centre onto the home and shrink the radius. Two homes
    of one compound, 3 m and 290 m from its point, must be told apart by no request."""
    from marketplace.org.tables import Compound

    comp = await Compound.select().where(Compound.id == world.compounds[0]).first()
    plat, plng = comp["lat"], comp["lng"]
    near_home = (plat + 0.00002, plng + 0.00002)
    far_home = (plat + 0.0026, plng)
    a = await _published(running, world, lat=near_home[0], lng=near_home[1])
    b = await _published(running, world, lat=far_home[0], lng=far_home[1])
    vol = await as_(running, world, "vol0")

    too_small = await vol.get(
        "/api/v1/tasks", params={"lat": far_home[0], "lng": far_home[1], "radius_m": 100}
    )
    assert too_small.status_code == 400 and too_small.json()["field"] == "radius_m"

    centres = [near_home, far_home, (plat, plng), (plat - 0.004, plng + 0.003)]
    steps = [
        (d_lat * 0.0013, d_lng * 0.0013)
        for d_lat, d_lng in itertools.product(range(-2, 3), repeat=2)
    ]
    for (clat, clng), (dlat, dlng), radius in itertools.product(centres, steps, (500, 520, 800)):
        lat, lng = clat + dlat, clng + dlng
        r = await vol.get("/api/v1/tasks", params={"lat": lat, "lng": lng, "radius_m": radius})
        assert r.status_code == 200, r.text
        got = {t["id"]: t for t in r.json()}
        assert (a in got) == (b in got), (lat, lng, radius)
        if a in got:
            expected = coarse_distance(haversine_m(lat, lng, plat, plng))
            for t in (got[a], got[b]):
                assert (t["lat"], t["lng"]) == (plat, plng)
                assert t["distance_m"] == expected
            assert haversine_m(lat, lng, plat, plng) <= radius


async def test_nearest_first_by_public_point_with_filters(running, world):
    far_compound = await _compound(world, 36.085, 120.381)
    near = await _published(running, world, lat=36.0702, lng=120.381)
    far = await _published(
        running,
        world,
        compound_id=far_compound,
        lat=36.085,
        lng=120.381,
        skills=["repairs"],
        category="repairs",
    )
    vol = await as_(running, world, "vol0")
    base = {"lat": 36.07, "lng": 120.381}
    got = (await vol.get("/api/v1/tasks", params={**base, "radius_m": 3000})).json()
    assert [t["id"] for t in got] == [near, far]
    assert [t["distance_m"] for t in got] == [0, 1700]
    got = (await vol.get("/api/v1/tasks", params={**base, "radius_m": 1000})).json()
    assert [t["id"] for t in got] == [near]
    got = await vol.get("/api/v1/tasks", params={**base, "radius_m": 3000, "skill": "repairs"})
    assert [t["id"] for t in got.json()] == [far]
    got = (await vol.get("/api/v1/tasks", params={**base, "radius_m": 3000, "limit": 1})).json()
    assert [t["id"] for t in got] == [near]
    # from the far end the order turns round: the index orders, not the insertion
    got = (
        await vol.get("/api/v1/tasks", params={"lat": 36.09, "lng": 120.381, "radius_m": 5000})
    ).json()
    assert [t["id"] for t in got] == [far, near]


async def test_the_index_follows_claims_releases_and_cancellations(running, world):
    vol = await as_(running, world, "vol0")
    resident = await as_(running, world, "resident")
    feed = {"lat": 36.07, "lng": 120.381, "radius_m": 2000}

    async def ids() -> list[int]:
        return [t["id"] for t in (await vol.get("/api/v1/tasks", params=feed)).json()]

    tasks = [await _published(running, world) for _ in range(3)]
    assert sorted(await ids()) == sorted(tasks)
    assert (await vol.post(f"/api/v1/tasks/{tasks[0]}/claim")).status_code == 200
    assert sorted(await ids()) == sorted(tasks[1:])
    assert (await vol.post(f"/api/v1/tasks/{tasks[0]}/release")).status_code == 200
    assert sorted(await ids()) == sorted(tasks)
    wishes = (await resident.get("/api/v1/wishes", params={"mine": True})).json()
    cancel = next(w for w in wishes if w["task_id"] == tasks[2])
    assert (await resident.post(f"/api/v1/wishes/{cancel['id']}/cancel")).status_code == 200
    assert sorted(await ids()) == sorted(tasks[:2])


async def test_feed_costs_no_more_statements_for_40_tasks_than_for_3(running, world):
    vol = await as_(running, world, "vol0")
    feed = {"lat": 36.07, "lng": 120.381, "radius_m": 2000, "limit": 20}
    costs = []
    for n in (3, 40):
        while len((await vol.get("/api/v1/tasks", params={**feed, "limit": 200})).json()) < n:
            await _published(running, world)
        with counted() as statements:
            r = await vol.get("/api/v1/tasks", params=feed)
        assert r.status_code == 200 and len(r.json()) == min(n, 20)
        costs.append(len(statements))
    # more tasks never cost more statements (SQLite may search one more ring when few are near)
    assert costs[1] <= costs[0] <= 5, costs


async def test_tasks_sharing_a_point_rank_by_priority_then_id_at_any_limit(running, world):
    """At the edge distance the feed reads only the first tasks of each tied point (PostgreSQL's
    tie index); the answer is the same as ranking every task: a shorter limit is a prefix."""
    from marketplace.tasks.tables import Task

    tied = await _compound(world, 36.0745, 120.381)
    nearer = [await _published(running, world, lat=36.0702, lng=120.381) for _ in range(3)]
    at_point = [
        await _published(running, world, compound_id=tied, lat=36.0745, lng=120.381)
        for _ in range(8)
    ]
    for task_id, priority in zip(at_point, [0, 2, 0, 1, 2, 0, 1, 0], strict=True):
        await Task.update({Task.priority: priority}).where(Task.id == task_id)
    vol = await as_(running, world, "vol0")
    base = {"lat": 36.07, "lng": 120.381, "radius_m": 3000}
    everything = [t["id"] for t in (await vol.get("/api/v1/tasks", params=base)).json()]
    ranked = sorted(at_point, key=lambda t: (-[0, 2, 0, 1, 2, 0, 1, 0][at_point.index(t)], t))
    assert everything == sorted(nearer) + ranked
    for limit in (1, 3, 4, 5, 9):
        got = (await vol.get("/api/v1/tasks", params={**base, "limit": limit})).json()
        assert [t["id"] for t in got] == everything[:limit], limit
