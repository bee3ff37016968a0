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


async def test_a_claim_costs_a_fixed_number_of_statements(running):
    """The hot write: the claim's reads are not repeated (the wish read once, the claim passed
    on, who is coming in one query, the step's notices in one insert)."""

    world = await make_world()
    resident = await as_(running, world, "resident")
    vol = await as_(running, world, "vol0")
    wid = await wish_in_state(running, world, "published")
    task_id = (await resident.get(f"/api/v1/wishes/{wid}")).json()["task_id"]
    with counted() as statements:
        r = await vol.post(f"/api/v1/tasks/{task_id}/claim")
    assert r.status_code == 200, r.text
    # the actor, the task, the lock (PostgreSQL), the cap, the task taken with its claim (one
    # statement on PostgreSQL, two on SQLite), wish read, wish, its event, the visit code, who
    # is coming, the notices; then the readers' text preferences and the contact's audit entry
    # (the contact comes from the wish read; BEGIN and COMMIT are not counted)
    limit = 13
    assert len(statements) <= limit, "\n".join(statements)


async def test_a_select_built_once_reads_what_piccolo_reads(running):
    """db.ById substitutes the id into SQL built once; the row is the one Piccolo would read."""
    from marketplace.wishes.service import _WISH_COLUMNS, load
    from marketplace.wishes.tables import Wish

    world = await make_world()
    for wid in (await wish_in_state(running, world, "claimed"), -1):
        built = await Wish.select(*_WISH_COLUMNS).where(Wish.id == wid).output(load_json=True)
        if wid < 0:
            assert built == []
            continue
        assert await load(wid) == built[0]
