"""幸福合伙人 partners over HTTP: skilled residents certified by their community, members acting
for a unit within its capacity, the whole loop from 组织备案 to a redeemed reward, and the access
rules of every partner endpoint."""

from __future__ import annotations

import pytest

from tests.factories import (
    as_,
    certified_partner,
    grant_points,
    join_unit,
    make_world,
    partner_body,
    recruiting_project,
)


async def test_skilled_resident_registers_as_an_individual_certified_by_their_community(running):
    world = await make_world()
    vol, coord, coord2 = [await as_(running, world, k) for k in ("vol0", "coord", "coord2")]
    body = partner_body(
        world,
        name="王师傅 水电维修",
        kind="skilled_resident",
        communities=[],
        lat=36.07,
        lng=120.38,
        radius_m=1500,
        people=1,
        weekly_hours=4,
    )
    assert (await vol.post("/api/v1/partners", json={**body, "people": 3})).status_code == 400
    r = await vol.post("/api/v1/partners", json=body)
    assert r.status_code == 201, r.text
    me = r.json()
    assert me["communities"] == [world.communities[0]] and me["status"] == "pending"
    assert (await coord2.get(f"/api/v1/partners/{me['id']}")).status_code == 404
    r = await coord.post(f"/api/v1/partners/{me['id']}/certify")
    assert r.status_code == 200 and r.json()["status"] == "certified"
    r = await vol.post(f"/api/v1/partners/{me['id']}/members", json={"phone": world.phones["vol1"]})
    assert r.status_code == 409 and r.json()["code"] == "partner_individual_no_members"


async def test_members_act_for_a_certified_unit_within_its_capacity(running):
    world = await make_world()
    vol0, vol1, coord = [await as_(running, world, k) for k in ("vol0", "vol1", "coord")]
    r = await vol0.post("/api/v1/partners", json=partner_body(world, people=2))
    uid = r.json()["id"]
    project = await recruiting_project(
        running, world, slots=[{"role": "电工", "people": 4, "hours": 8}]
    )
    slot = project["slots"][0]
    first, second, third, fourth = slot["task_ids"]
    r = await vol0.post(f"/api/v1/partners/{uid}/tasks/{first}/claim")
    assert r.status_code == 409 and r.json()["message"].startswith("这个合作单位待认证")
    await coord.post(f"/api/v1/partners/{uid}/certify")

    assert (await vol1.post(f"/api/v1/partners/{uid}/tasks/{first}/claim")).status_code == 404
    joined = await join_unit(running, world, uid, "vol0", "vol1")
    assert sorted(joined["members"]) == sorted(world.people[k] for k in ("vol0", "vol1"))
    r = await vol0.post(f"/api/v1/partners/{uid}/members", json={"phone": world.phones["vol1"]})
    assert r.status_code == 202  # the same answer for a member: nothing to learn from it
    assert (await vol1.post(f"/api/v1/partners/{uid}/tasks/{first}/claim")).status_code == 200
    assert (await vol0.post(f"/api/v1/partners/{uid}/tasks/{first}/claim")).status_code == 409
    assert (await vol0.post(f"/api/v1/partners/{uid}/tasks/{second}/claim")).status_code == 200
    r = await vol0.post(f"/api/v1/partners/{uid}/tasks/{third}/claim")
    assert r.status_code == 409 and r.json()["code"] == "partner_capacity_full"
    r = await coord.post(
        f"/api/v1/projects/{project['id']}/slots/{slot['id']}/assign",
        json={"volunteer_id": world.people["vol0"], "partner_unit_id": uid},
    )
    assert r.status_code == 409 and r.json()["code"] == "partner_capacity_full"
    claims = (await vol1.get("/api/v1/me/claims")).json()
    assert [c["via"] for c in claims] == ["partner"]

    await coord.post(f"/api/v1/partners/{uid}/suspend", json={"reason": "资质过期"})
    assert (await vol0.post(f"/api/v1/tasks/{second}/release")).status_code == 200
    r = await vol0.post(f"/api/v1/partners/{uid}/tasks/{fourth}/claim")
    assert r.status_code == 409 and r.json()["message"].startswith("这个合作单位已暂停")


async def test_tasks_outside_the_service_area_are_not_the_units(running):
    world = await make_world()
    vol0 = await as_(running, world, "vol0")
    uid = await certified_partner(running, world, "vol0")
    coord2 = await as_(running, world, "coord2")
    body = {
        "title": "二社区花园",
        "scope_kind": "community",
        "scope_id": world.communities[1],
        "community_id": world.communities[1],
        "duty_type": "environment",
        "slots": [{"role": "园艺", "people": 1, "hours": 3}],
    }
    pid = (await coord2.post("/api/v1/projects", json=body)).json()["id"]
    published = (await coord2.post(f"/api/v1/projects/{pid}/publish")).json()
    task_id = published["slots"][0]["task_ids"][0]
    unit_tasks = (await vol0.get(f"/api/v1/partners/{uid}/tasks")).json()
    assert task_id not in [t["id"] for t in unit_tasks]
    assert (await vol0.post(f"/api/v1/partners/{uid}/tasks/{task_id}/claim")).status_code == 404


async def test_the_loop_from_registration_to_a_redeemed_reward(running):
    """组织备案 → certified → project published → slots claimed and assigned → fulfilled and
    confirmed → hours and points recorded → points redeemed and the item handed over."""
    world = await make_world()
    vol0, vol1, coord = [await as_(running, world, k) for k in ("vol0", "vol1", "coord")]
    uid = await certified_partner(running, world, "vol1")
    project = await recruiting_project(running, world)
    pid, (electricians, tutors) = project["id"], project["slots"]

    r = await vol1.post(f"/api/v1/partners/{uid}/tasks/{electricians['task_ids'][0]}/claim")
    assert r.status_code == 200
    r = await coord.post(
        f"/api/v1/projects/{pid}/slots/{tutors['id']}/assign",
        json={"volunteer_id": world.people["vol0"]},
    )
    assert r.status_code == 200 and r.json()["id"] == tutors["task_ids"][0]
    assert (await coord.post(f"/api/v1/projects/{pid}/start")).json()["status"] == "in_progress"
    for client, task, hours in ((vol1, electricians["task_ids"][0], 8), (vol0, r.json()["id"], 2)):
        r = await client.post(f"/api/v1/tasks/{task}/fulfil", json={"hours": hours})
        assert r.status_code == 200, r.text
    claim_ids = [
        c["id"] for client in (vol0, vol1) for c in (await client.get("/api/v1/me/claims")).json()
    ]
    r = await coord.post(f"/api/v1/projects/{pid}/confirm-service", json={"claim_ids": claim_ids})
    assert r.status_code == 200 and sorted(r.json()["points"].values()) == [20, 80]

    record = (await vol1.get("/api/v1/service-record/me")).json()
    assert record["confirmed_hours"] == 8 and record["services"][0]["partner_unit_id"] == uid
    assert record["services"][0]["confirmed_by"] == "林**"
    assert (await vol1.get("/api/v1/points/me")).json()["balance"] == 80

    item = (
        await coord.post(
            "/api/v1/points/store",
            json={"community_id": world.communities[0], "name": "工具包", "price": 50, "stock": 3},
        )
    ).json()
    r = await vol1.post(f"/api/v1/points/store/{item['id']}/redeem")
    assert r.status_code == 200 and r.json()["status"] == "pending"
    r = await coord.post(f"/api/v1/points/redemptions/{r.json()['id']}/hand-over")
    assert r.status_code == 200 and r.json()["status"] == "handed_over"
    assert (await vol1.get("/api/v1/points/me")).json()["balance"] == 30
    assert (await vol0.post(f"/api/v1/points/store/{item['id']}/redeem")).status_code == 409
    await grant_points(world.people["vol0"], 30)
    assert (await vol0.post(f"/api/v1/points/store/{item['id']}/redeem")).status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
async def test_every_partner_endpoint_refuses_outsiders(running, who):
    world = await make_world()
    vol0, coord = await as_(running, world, "vol0"), await as_(running, world, "coord")
    pending = (await vol0.post("/api/v1/partners", json=partner_body(world))).json()["id"]
    certified = await certified_partner(running, world, "vol0", name="爱心超市")
    task_id = (await recruiting_project(running, world))["slots"][0]["task_ids"][0]
    client = running.client() if who == "anonymous" else await as_(running, world, "vol1")
    first = 401 if who == "anonymous" else 404

    def calls(uid: int) -> list[tuple[str, str, dict | None]]:
        return [
            ("GET", f"/api/v1/partners/{uid}", None),
            ("POST", f"/api/v1/partners/{uid}/certify", None),
            ("POST", f"/api/v1/partners/{uid}/suspend", {"reason": "x"}),
            ("POST", f"/api/v1/partners/{uid}/reinstate", None),
            ("POST", f"/api/v1/partners/{uid}/members", {"phone": world.phones["vol1"]}),
            ("GET", f"/api/v1/partners/{uid}/tasks", None),
            ("POST", f"/api/v1/partners/{uid}/tasks/{task_id}/claim", None),
        ]

    for method, url, body in calls(pending):
        assert (await client.request(method, url, json=body)).status_code == first, url
    # a certified unit is public, but only its coordinators certify and only members act for it
    second = [200, 403, 403, 403, 403, 404, 404] if who == "outsider" else [401] * 7
    for (method, url, body), status in zip(calls(certified), second, strict=True):
        assert (await client.request(method, url, json=body)).status_code == status, url
    r = await client.get("/api/v1/partners")
    if who == "anonymous":
        assert r.status_code == 401
        r = await client.post("/api/v1/partners", json=partner_body(world))
        assert r.status_code == 401
    else:
        assert [(p["id"], p["contact_phone"]) for p in r.json()] == [(certified, None)]
    listed = (await coord.get("/api/v1/partners", params={"status": "pending"})).json()
    assert [p["id"] for p in listed] == [pending]
    assert (await coord.get(f"/api/v1/partners/{pending}")).json()["status"] == "pending"
