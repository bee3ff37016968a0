"""雷锋超市 ledger under concurrent redemptions (20 at once, on both engines): exactly one winner
for the last item and for the last points, no balance below zero, no stock below zero, one
account row per person; restocking; and the access rules of every points endpoint."""

from __future__ import annotations

import asyncio

import pytest
from piccolo.query.functions.aggregate import Sum

from tests.factories import as_, grant_points, make_world

RACERS = 20


async def _ledger_sum(person_id: int) -> int:
    from marketplace.points.tables import PointsEntry

    row = (
        await PointsEntry.select(Sum(PointsEntry.delta, alias="s"))
        .where(PointsEntry.person == person_id)
        .first()
    )
    return int(row["s"] or 0)


async def _item(coord, world, *, price: int, stock: int, community: int = 0) -> dict:
    r = await coord.post(
        "/api/v1/points/store",
        json={
            "community_id": world.communities[community],
            "name": f"大米{price}",
            "price": price,
            "stock": stock,
        },
    )
    assert r.status_code == 201, r.text
    return r.json()


async def _stock(item_id: int) -> int:
    from marketplace.points.tables import StoreItem

    return (await StoreItem.select(StoreItem.stock).where(StoreItem.id == item_id).first())["stock"]


async def test_twenty_people_racing_for_the_last_item_leave_one_winner(running):
    from marketplace.points.tables import Redemption

    world = await make_world(volunteers=RACERS)
    keys = [f"vol{i}" for i in range(RACERS)]
    for key in keys:
        await grant_points(world.people[key], 50)
    item = await _item(await as_(running, world, "coord"), world, price=40, stock=1)
    clients = [await as_(running, world, k) for k in keys]
    responses = await asyncio.gather(
        *(c.post(f"/api/v1/points/store/{item['id']}/redeem") for c in clients)
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [409] * (RACERS - 1)
    assert all(r.json()["code"] == "points_out_of_stock" for r in responses if r.status_code == 409)
    assert await _stock(item["id"]) == 0 and await Redemption.count() == 1
    winner = next(r.json()["person_id"] for r in responses if r.status_code == 200)
    for key in keys:
        expected = 10 if world.people[key] == winner else 50
        assert await _ledger_sum(world.people[key]) == expected


async def test_twenty_redemptions_racing_for_the_last_points_leave_one_winner(running):
    from marketplace.points.tables import PointsAccount, PointsEntry

    world = await make_world(volunteers=1)
    await grant_points(world.people["vol0"], 25)
    coord = await as_(running, world, "coord")
    rice = await _item(coord, world, price=20, stock=100)
    oil = await _item(coord, world, price=25, stock=100)
    vol = await as_(running, world, "vol0")
    responses = await asyncio.gather(
        *(
            vol.post(f"/api/v1/points/store/{(rice if i % 2 else oil)['id']}/redeem")
            for i in range(RACERS)
        )
    )
    won = [r for r in responses if r.status_code == 200]
    assert len(won) == 1
    assert all(r.json()["code"] == "points_not_enough" for r in responses if r not in won)
    spent = won[0].json()["points"]
    left = (await vol.get("/api/v1/points/me")).json()
    assert left["balance"] == await _ledger_sum(world.people["vol0"]) == 25 - spent >= 0
    assert [e["delta"] for e in left["entries"]] == [-spent, 25]
    assert await _stock(rice["id"]) + await _stock(oil["id"]) == 199
    assert await PointsEntry.count().where(PointsEntry.delta < 0) == 1
    assert await PointsAccount.count() == 1


async def test_restocking_and_a_new_price(running):
    world = await make_world(volunteers=1)
    await grant_points(world.people["vol0"], 30)
    coord, vol = await as_(running, world, "coord"), await as_(running, world, "vol0")
    item = await _item(coord, world, price=20, stock=0)
    url = f"/api/v1/points/store/{item['id']}"
    assert (await vol.post(f"{url}/redeem")).status_code == 409
    r = await coord.post(f"{url}/restock", json={"add": 2, "price": 15})
    assert r.status_code == 200 and (r.json()["stock"], r.json()["price"]) == (2, 15)
    assert (await coord.post(f"{url}/restock", json={"add": -1})).status_code == 400
    assert (await coord.post(f"{url}/restock", json={"stock": 9})).status_code == 400
    r = await vol.post(f"{url}/redeem")
    assert r.status_code == 200 and r.json()["points"] == 15
    assert (await vol.post(f"{url}/redeem")).status_code == 200
    r = await vol.post(f"{url}/redeem")
    assert r.status_code == 409 and r.json()["code"] == "points_out_of_stock"
    assert (await vol.get("/api/v1/points/me")).json()["balance"] == 0


@pytest.mark.parametrize("who", ["anonymous", "other_coordinator", "resident"])
async def test_every_points_endpoint_refuses_outsiders(running, who):
    world = await make_world(volunteers=1)
    await grant_points(world.people["vol0"], 10)
    coord, vol0 = await as_(running, world, "coord"), await as_(running, world, "vol0")
    item = await _item(coord, world, price=5, stock=5)
    redemption = (await vol0.post(f"/api/v1/points/store/{item['id']}/redeem")).json()
    key = {"other_coordinator": "coord2", "resident": "resident"}.get(who)
    client = await as_(running, world, key) if key else running.client()
    hidden = 401 if who == "anonymous" else 404
    c1 = {"community_id": world.communities[0]}
    calls = [
        ("GET", "/api/v1/points/store", c1, None),
        ("POST", "/api/v1/points/store", None, {**c1, "name": "x", "price": 1, "stock": 1}),
        ("POST", f"/api/v1/points/store/{item['id']}/restock", None, {"add": 1}),
        ("POST", f"/api/v1/points/store/{item['id']}/redeem", None, None),
        ("GET", "/api/v1/points/redemptions", c1, None),
        ("POST", f"/api/v1/points/redemptions/{redemption['id']}/hand-over", None, None),
    ]
    for method, url, params, body in calls:
        r = await client.request(method, url, params=params, json=body)
        assert r.status_code == hidden, (url, r.text)
    r = await client.get("/api/v1/points/me")
    if who == "anonymous":
        assert r.status_code == 401
    else:
        assert r.json() == {"balance": 0, "entries": []}
    # a community's volunteers redeem only in their own community's store
    other = await _item(await as_(running, world, "coord2"), world, price=1, stock=1, community=1)
    assert (await vol0.post(f"/api/v1/points/store/{other['id']}/redeem")).status_code == 404
