"""Every endpoint that takes an id, as six people: the owner, another resident, a volunteer who is
not the assignee, the assignee, a coordinator of another community, and anonymous.

Objects a caller may not see are 404 (never 403, which would leak that they exist)."""

from __future__ import annotations

import pytest

from tests.factories import as_, make_world, wish_in_state

PERSONAS = ["owner", "other_resident", "volunteer", "assignee", "other_coordinator", "anonymous"]
LOGIN = {
    "owner": "resident",
    "other_resident": "other_resident",
    "volunteer": "vol1",
    "assignee": "vol0",
    "other_coordinator": "coord2",
}

# (name, method, url, wish state, body, expected status per persona in PERSONAS order)
CASES = [
    ("wish", "GET", "/api/v1/wishes/{wish}", "claimed", None, [200, 404, 200, 200, 404, 401]),
    (
        "review",
        "GET",
        "/api/v1/wishes/{wish}/review",
        "submitted",
        None,
        [403, 404, 404, 404, 404, 401],
    ),
    (
        "publish",
        "POST",
        "/api/v1/wishes/{wish}/publish",
        "submitted",
        None,
        [403, 404, 404, 404, 404, 401],
    ),
    (
        "reject",
        "POST",
        "/api/v1/wishes/{wish}/reject",
        "submitted",
        {"reason": "x"},
        [403, 404, 404, 404, 404, 401],
    ),
    (
        "cancel",
        "POST",
        "/api/v1/wishes/{wish}/cancel",
        "published",
        None,
        [200, 404, 403, 403, 404, 401],
    ),
    (
        "confirm",
        "POST",
        "/api/v1/wishes/{wish}/confirm",
        "fulfilled",
        {"rating": 4},
        [200, 404, 403, 403, 404, 401],
    ),
    (
        "reopen",
        "POST",
        "/api/v1/wishes/{wish}/reopen",
        "fulfilled",
        None,
        [200, 404, 403, 403, 404, 401],
    ),
    (
        "announce",
        "POST",
        "/api/v1/wishes/{wish}/announce",
        "confirmed",
        None,
        [403, 404, 403, 403, 404, 401],
    ),
    ("task", "GET", "/api/v1/tasks/{task}", "claimed", None, [404, 404, 200, 200, 404, 401]),
    (
        "claim",
        "POST",
        "/api/v1/tasks/{task}/claim",
        "published",
        None,
        [404, 404, 200, 200, 404, 401],
    ),
    (
        "release",
        "POST",
        "/api/v1/tasks/{task}/release",
        "claimed",
        None,
        [404, 404, 409, 200, 404, 401],
    ),
    (
        "fulfil",
        "POST",
        "/api/v1/tasks/{task}/fulfil",
        "claimed",
        {"hours": 1},
        [404, 404, 409, 200, 404, 401],
    ),
    (
        "resident",
        "GET",
        "/api/v1/residents/{resident}",
        "submitted",
        None,
        [200, 404, 404, 404, 404, 401],
    ),
]


@pytest.mark.settings(max_open_claims=50)
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
async def test_access(running, case):
    name, method, url, state, body, expected = case
    world = await make_world()
    coord = await as_(running, world, "coord")
    got = []
    for persona in PERSONAS:
        wid = await wish_in_state(running, world, state)  # a fresh object per persona
        task_id = (await coord.get(f"/api/v1/wishes/{wid}")).json()["task_id"]
        path = url.format(wish=wid, task=task_id, resident=world.people["resident"])
        client = running.client()
        if persona != "anonymous":
            client = await as_(running, world, LOGIN[persona])
        r = await client.request(method, path, json=body)
        got.append(r.status_code)
        assert "application/json" in r.headers["content-type"]
        if r.status_code == 404:
            assert r.json()["code"].endswith("not_found")
        if r.status_code == 200 and persona == "volunteer" and name != "claim":
            text = r.text
            assert world.phones["resident"] not in text
            assert "路1号3单元502" not in text
    assert got == expected, dict(zip(PERSONAS, got, strict=True))


async def test_masked_view_hides_personal_data(running):
    world = await make_world()
    wid = await wish_in_state(running, world, "claimed")
    vol1 = await as_(running, world, "vol1")
    grid = await as_(running, world, "grid")
    for client in (vol1, grid):
        r = await client.get(f"/api/v1/wishes/{wid}")
        body = r.json()
        assert r.status_code == 200 and body["masked"] is True
        assert body["resident_name"] == "林**"
        assert body["address"] is None and body["resident_phone"] is None
        assert body["priority_groups"] is None and body["priority"] is True
        assert body["events"] is None
        assert r.headers["cache-control"] == "no-store"
    owner = await as_(running, world, "resident")
    full = (await owner.get(f"/api/v1/wishes/{wid}")).json()
    assert full["address"].endswith("路1号3单元502") and full["priority_groups"] == [
        "low_income",
        "child",
    ]
    assert full["assignee_name"] == "林**"
