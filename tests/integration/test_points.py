"""雷锋超市 points: earned by confirmed service, never negative, one winner per last item, CSV."""

from __future__ import annotations

import asyncio
import csv
import io

from tests.factories import as_, make_world, wish_in_state


async def _earn(running, world, key: str, wishes: int) -> int:
    for _ in range(wishes):
        await wish_in_state(running, world, "confirmed", claimer=key)
    return (await (await as_(running, world, key)).get("/api/v1/points/me")).json()["balance"]


async def test_confirmed_service_earns_points_with_a_priority_bonus(running):
    world = await make_world()
    # the factory's wish is a priority-group wish fulfilled in 2 h: 2 h x 10 x 1.5
    assert await _earn(running, world, "vol0", 1) == 30
    ledger = (await (await as_(running, world, "vol0")).get("/api/v1/points/me")).json()["entries"]
    assert ledger == [{"delta": 30, "reason": "service", "at": ledger[0]["at"]}]


async def test_last_item_has_exactly_one_winner(running):
    world = await make_world()
    for key in ("vol0", "vol1"):
        await _earn(running, world, key, 1)
    coord = await as_(running, world, "coord")
    item = (
        await coord.post(
            "/api/v1/points/store",
            json={"community_id": world.communities[0], "name": "大米5kg", "price": 20, "stock": 1},
        )
    ).json()
    vols = [await as_(running, world, k) for k in ("vol0", "vol1")]
    responses = await asyncio.gather(
        *(v.post(f"/api/v1/points/store/{item['id']}/redeem") for v in vols)
    )
    assert sorted(r.status_code for r in responses) == [200, 409]
    assert (
        next(r for r in responses if r.status_code == 409).json()["code"] == "points_out_of_stock"
    )
    store = (
        await vols[0].get("/api/v1/points/store", params={"community_id": world.communities[0]})
    ).json()
    assert store[0]["stock"] == 0
    pending = (
        await coord.get("/api/v1/points/redemptions", params={"community_id": world.communities[0]})
    ).json()
    assert len(pending) == 1
    r = await coord.post(f"/api/v1/points/redemptions/{pending[0]['id']}/hand-over")
    assert r.status_code == 200 and r.json()["status"] == "handed_over"
    assert (
        await coord.post(f"/api/v1/points/redemptions/{pending[0]['id']}/hand-over")
    ).status_code == 409


async def test_racing_redemptions_never_overdraw(running):
    from piccolo.query.functions.aggregate import Sum

    from marketplace.points.tables import PointsEntry

    world = await make_world()
    balance = await _earn(running, world, "vol0", 1)  # 30 points
    coord = await as_(running, world, "coord")
    item = (
        await coord.post(
            "/api/v1/points/store",
            json={"community_id": world.communities[0], "name": "肥皂", "price": 7, "stock": 100},
        )
    ).json()
    vol = await as_(running, world, "vol0")
    responses = await asyncio.gather(
        *(vol.post(f"/api/v1/points/store/{item['id']}/redeem") for _ in range(12))
    )
    won = [r for r in responses if r.status_code == 200]
    assert len(won) == balance // 7 == 4
    assert all(r.json()["code"] == "points_not_enough" for r in responses if r.status_code != 200)
    left = (await vol.get("/api/v1/points/me")).json()["balance"]
    total = (
        await PointsEntry.select(Sum(PointsEntry.delta, alias="s"))
        .where(PointsEntry.person == world.people["vol0"])
        .first()
    )["s"]
    assert left == total == balance - 28 >= 0


async def test_store_access(running):
    world = await make_world()
    coord2 = await as_(running, world, "coord2")
    body = {"community_id": world.communities[0], "name": "x", "price": 1, "stock": 1}
    assert (await coord2.post("/api/v1/points/store", json=body)).status_code == 404
    resident = await as_(running, world, "resident")
    assert (
        await resident.get("/api/v1/points/store", params={"community_id": world.communities[0]})
    ).status_code == 404
    item = (
        await (await as_(running, world, "coord")).post("/api/v1/points/store", json=body)
    ).json()
    assert (await resident.post(f"/api/v1/points/store/{item['id']}/redeem")).status_code == 404
    assert (
        await coord2.get(
            "/api/v1/points/redemptions", params={"community_id": world.communities[0]}
        )
    ).status_code == 404


async def test_service_record_csv_opens_back(running):
    world = await make_world()
    await _earn(running, world, "vol0", 2)
    await wish_in_state(running, world, "fulfilled", claimer="vol0")  # not yet confirmed
    vol = await as_(running, world, "vol0")
    r = await vol.get("/api/v1/service-record/me.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf") and r.headers["cache-control"] == "no-store"
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][0] == "日期 date"
    services = rows[1:4]
    assert sorted(s[3] for s in services) == ["否 no", "是 yes", "是 yes"]
    assert rows[-1] == ["合计 total", "3", "6", "4"]
    record = (await vol.get("/api/v1/service-record/me")).json()
    assert record["total_hours"] == 6 and record["confirmed_hours"] == 4


async def test_below_commitment(running):
    from marketplace.accounts.tables import VolunteerProfile

    world = await make_world()
    await VolunteerProfile.update(
        {VolunteerProfile.committed_hours: 12, VolunteerProfile.committed_visits: 3}
    ).where(VolunteerProfile.person == world.people["vol0"])
    await wish_in_state(running, world, "fulfilled", claimer="vol0")
    coord = await as_(running, world, "coord")
    below = (await coord.get("/api/v1/service-record/below-commitment")).json()
    assert [(b["person_id"], b["hours_this_week"], b["visits_this_week"]) for b in below] == [
        (world.people["vol0"], 2.0, 1)
    ]
    assert (
        await (await as_(running, world, "vol0")).get("/api/v1/service-record/below-commitment")
    ).status_code == 403
