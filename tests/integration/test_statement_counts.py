"""List pages cost a constant number of SQL statements, however long they are (issue 22)."""

from __future__ import annotations

import itertools

from tests.factories import WISH, as_, make_world, wish_in_state
from tests.statements import counted


async def test_the_coordinators_wish_list_of_5_or_60_costs_the_same(running):
    world = await make_world()
    coord = await as_(running, world, "coord")
    resident = await as_(running, world, "resident")
    for state in ("published", "claimed", "fulfilled", "confirmed", "submitted"):
        await wish_in_state(running, world, state)
    costs = []
    serial = itertools.count(1)
    for n in (5, 60):
        while len((await coord.get("/api/v1/wishes", params={"limit": 100})).json()) < n:
            body = {**WISH, "description": f"第 {next(serial)} 次"}  # a repeat is refused
            assert (await resident.post("/api/v1/wishes", json=body)).status_code == 201
        with counted() as statements:
            r = await coord.get("/api/v1/wishes", params={"limit": 100})
        assert r.status_code == 200 and len(r.json()) == n
        costs.append(len(statements))
    assert costs[0] == costs[1], costs
    assert costs[1] <= 8, costs  # (it was 335 for 60 wishes)
    wishes = r.json()
    claimed = next(w for w in wishes if w["status"] == "claimed")
    assert claimed["assignee_name"] and claimed["events"] and not claimed["masked"]


async def test_signing_in_is_one_statement_per_request(running):
    world = await make_world()
    vol = await as_(running, world, "vol0")
    with counted() as statements:
        r = await vol.get("/api/v1/me/claims")
    assert r.status_code == 200
    assert len(statements) <= 3, statements  # the actor, the claims, their tasks
