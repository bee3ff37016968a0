"""幸福合伙人 partners and 机会清单 projects: registration to certification, slots through the
feed, claims for a unit, coordinator assignment, confirmation, announcement, clusters."""

from __future__ import annotations

import pytest

from tests.factories import WISH, as_, join_unit, make_world, wish_in_state


def partner_body(world, **overrides):
    return {
        "name": "青岛大学志愿服务队",
        "kind": "university_or_school",
        "sub_district_id": world.sub_district,
        "contact_name": "李老师",
        "contact_phone": "13912345678",
        "services": ["tutoring"],
        "skills": ["tutoring", "electrician"],
        "communities": [world.communities[0]],
        "people": 4,
        "weekly_hours": 12,
        **overrides,
    }


def project_body(world, **overrides):
    return {
        "title": "老旧小区线路改造",
        "scope_kind": "community",
        "scope_id": world.communities[0],
        "community_id": world.communities[0],
        "need": "架空线杂乱",
        "duty_type": "facilities",
        "slots": [
            {"role": "电工 electrician", "people": 2, "hours": 8, "skills": ["electrician"]},
            {"role": "辅导员 tutor", "people": 1, "hours": 2, "skills": ["tutoring"]},
        ],
        **overrides,
    }


async def test_partner_registration_certification_and_suspension(running):
    world = await make_world()
    vol = await as_(running, world, "vol0")
    coord, coord2, other = [await as_(running, world, k) for k in ("coord", "coord2", "vol1")]
    r = await vol.post("/api/v1/partners", json=partner_body(world))
    assert r.status_code == 201, r.text
    unit = r.json()
    assert (
        unit["status"] == "pending" and unit["contact_phone"] == "13912345678" and unit["is_member"]
    )
    uid = unit["id"]
    assert (await other.get(f"/api/v1/partners/{uid}")).status_code == 404
    assert (await coord2.get(f"/api/v1/partners/{uid}")).status_code == 404
    assert (await vol.post(f"/api/v1/partners/{uid}/certify")).status_code == 403
    r = await coord.post(f"/api/v1/partners/{uid}/certify")
    assert r.status_code == 200 and r.json()["status"] == "certified"
    public = (await other.get(f"/api/v1/partners/{uid}")).json()
    assert public["contact_phone"] is None and public["members"] is None
    assert (
        await coord2.post(f"/api/v1/partners/{uid}/suspend", json={"reason": "x"})
    ).status_code == 403
    assert (
        await coord.post(f"/api/v1/partners/{uid}/suspend", json={"reason": ""})
    ).status_code == 400
    r = await coord.post(f"/api/v1/partners/{uid}/suspend", json={"reason": "安全培训未完成"})
    assert r.json()["status"] == "suspended" and r.json()["status_reason"] == "安全培训未完成"
    assert (await coord.post(f"/api/v1/partners/{uid}/certify")).status_code == 409
    assert (await vol.get(f"/api/v1/partners/{uid}/tasks")).status_code == 409
    assert (await coord.post(f"/api/v1/partners/{uid}/reinstate")).json()["status"] == "certified"
    joined = await join_unit(running, world, uid, "vol0", "vol1")
    assert world.people["vol1"] in joined["members"]
    r = await vol.post("/api/v1/partners", json=partner_body(world, communities=[], lat=None))
    assert r.status_code == 400 and r.json()["field"] == "communities"


async def test_project_slots_through_the_feed_to_points_and_the_board(running):
    world = await make_world()
    coord, vol0, vol1 = [await as_(running, world, k) for k in ("coord", "vol0", "vol1")]
    r = await vol1.post("/api/v1/partners", json=partner_body(world))
    uid = r.json()["id"]
    await coord.post(f"/api/v1/partners/{uid}/certify")
    r = await coord.post("/api/v1/projects", json=project_body(world))
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    assert (await vol0.get(f"/api/v1/projects/{pid}")).status_code == 404  # drafts are not public
    r = await coord.post(f"/api/v1/projects/{pid}/publish")
    assert r.status_code == 200 and r.json()["status"] == "recruiting"
    electricians, tutors = r.json()["slots"]
    assert len(electricians["task_ids"]) == 2 and len(tutors["task_ids"]) == 1
    feed = (
        await vol0.get("/api/v1/tasks", params={"lat": 36.07, "lng": 120.38, "radius_m": 5000})
    ).json()
    assert set(electricians["task_ids"] + tutors["task_ids"]) <= {t["id"] for t in feed}

    assert (await vol0.post(f"/api/v1/tasks/{tutors['task_ids'][0]}/claim")).status_code == 200
    unit_tasks = (await vol1.get(f"/api/v1/partners/{uid}/tasks")).json()
    assert electricians["task_ids"][0] in [t["id"] for t in unit_tasks]
    r = await vol1.post(f"/api/v1/partners/{uid}/tasks/{electricians['task_ids'][0]}/claim")
    assert r.status_code == 200 and r.json()["mine"] is True
    r = await coord.post(
        f"/api/v1/projects/{pid}/slots/{electricians['id']}/assign",
        json={"volunteer_id": world.people["vol0"]},
    )
    assert r.status_code == 200, r.text
    r = await coord.post(
        f"/api/v1/projects/{pid}/slots/{electricians['id']}/assign",
        json={"volunteer_id": world.people["vol0"]},
    )
    assert r.status_code == 409 and r.json()["code"] == "project_slot_full"
    project = (await coord.get(f"/api/v1/projects/{pid}")).json()
    assert [s["filled"] for s in project["slots"]] == [2, 1]

    await coord.post(f"/api/v1/projects/{pid}/start")
    for client, task in ((vol0, tutors["task_ids"][0]), (vol1, electricians["task_ids"][0])):
        assert (
            await client.post(f"/api/v1/tasks/{task}/fulfil", json={"hours": 2})
        ).status_code == 200
    claims = (await vol1.get("/api/v1/me/claims")).json()
    unit_claim = next(c for c in claims if c["task"]["id"] == electricians["task_ids"][0])
    r = await coord.post(
        f"/api/v1/projects/{pid}/confirm-service", json={"claim_ids": [unit_claim["id"]]}
    )
    assert r.status_code == 200 and r.json()["points"][str(unit_claim["id"])] == 20
    assert (
        await coord.post(
            f"/api/v1/projects/{pid}/confirm-service", json={"claim_ids": [unit_claim["id"]]}
        )
    ).status_code == 409
    assert (await vol1.get("/api/v1/points/me")).json()["balance"] == 20
    record = (await vol1.get("/api/v1/service-record/me")).json()
    assert record["services"][0]["partner_unit_id"] == uid and record["confirmed_hours"] == 2

    assert (await coord.post(f"/api/v1/projects/{pid}/announce")).status_code == 409
    await coord.post(f"/api/v1/projects/{pid}/complete")
    r = await coord.post(
        f"/api/v1/projects/{pid}/evaluate", json={"rating": 5, "evaluation": "居民满意"}
    )
    assert r.json()["status"] == "evaluated"
    assert (await coord.post(f"/api/v1/projects/{pid}/announce")).json()["announced"] is True
    board = (await running.client().get("/api/v1/announcements")).json()
    assert [p["title"] for p in board["projects"]] == ["老旧小区线路改造"]


async def test_cluster_of_wishes_becomes_a_project(running):
    world = await make_world()
    coord = await as_(running, world, "coord")
    resident = await as_(running, world, "resident")
    ids = [
        (
            await resident.post(
                "/api/v1/wishes", json={**WISH, "category": "repairs", "title": f"修水管{i}"}
            )
        ).json()["id"]
        for i in range(5)
    ]
    await resident.post("/api/v1/wishes", json={**WISH, "category": "goods"})
    clusters = (await coord.get("/api/v1/projects/clusters")).json()
    assert [(c["category"], sorted(c["wish_ids"])) for c in clusters] == [("repairs", sorted(ids))]
    assert (
        await (await as_(running, world, "coord2")).get("/api/v1/projects/clusters")
    ).json() == []
    body = {"community_id": world.communities[0], "category": "repairs", "wish_ids": ids}
    r = await coord.post("/api/v1/projects/from-cluster", json=body)
    assert r.status_code == 201, r.text
    project = r.json()
    assert sorted(project["wish_ids"]) == sorted(ids) and project["slots"][0]["people"] == 5
    assert project["duty_type"] == "facilities"
    assert (await coord.post("/api/v1/projects/from-cluster", json=body)).status_code == 409
    assert (await coord.get("/api/v1/projects/clusters")).json() == []


@pytest.mark.parametrize("who", ["other_coordinator", "volunteer", "anonymous"])
async def test_project_endpoints_refuse_outsiders(running, who):
    world = await make_world()
    coord = await as_(running, world, "coord")
    pid = (await coord.post("/api/v1/projects", json=project_body(world))).json()["id"]
    client = {"other_coordinator": None, "volunteer": None, "anonymous": running.client()}[who]
    if client is None:
        client = await as_(running, world, "coord2" if who == "other_coordinator" else "vol0")
    expected = 401 if who == "anonymous" else 404
    for method, url in [
        ("GET", f"/api/v1/projects/{pid}"),
        ("POST", f"/api/v1/projects/{pid}/publish"),
    ]:
        assert (await client.request(method, url)).status_code == expected
    r = await client.post("/api/v1/projects", json=project_body(world))
    assert r.status_code == expected
    await coord.post(f"/api/v1/projects/{pid}/publish")
    if who == "volunteer":
        assert (await client.get(f"/api/v1/projects/{pid}")).status_code == 200
        assert (await client.post(f"/api/v1/projects/{pid}/start")).status_code == 403


async def test_responsibility_figures(running):
    world = await make_world()
    coord = await as_(running, world, "coord")
    await wish_in_state(running, world, "fulfilled")
    await wish_in_state(running, world, "published")
    figures = (await coord.get("/api/v1/service-record/responsibility")).json()
    assert figures["by_level"] == [{"key": "community", "tasks": 2, "fulfilled": 1, "rate": 0.5}]
    assert figures["by_duty_type"][0]["key"] == "child_care"
    assert (
        await (await as_(running, world, "vol0")).get("/api/v1/service-record/responsibility")
    ).status_code == 403
