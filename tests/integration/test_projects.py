"""机会清单 projects over HTTP: every lifecycle step and refusal, weekly slots, completion closing
what nobody took, who may be assigned, clusters with a configured window, and the access rules of
every project endpoint."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import (
    WISH,
    as_,
    make_world,
    partner_body,
    project_body,
    recruiting_project,
)

TUTORS = {"role": "辅导员 tutor", "people": 4, "hours": 2, "weeks": 10, "skills": ["tutoring"]}


async def test_lifecycle_with_every_refusal_and_a_weekly_slot(running):
    world = await make_world()
    coord, vol0 = await as_(running, world, "coord"), await as_(running, world, "vol0")
    bad = [
        project_body(world, starts_on="2026-05-01", ends_on="2026-04-01"),
        project_body(world, duty_type="gardening"),
        project_body(world, responsible_level="district"),
        project_body(world, status="recruiting"),
        project_body(world, slots=[]),
    ]
    for body in bad:
        assert (await coord.post("/api/v1/projects", json=body)).status_code == 400, body
    r = await coord.post(
        "/api/v1/projects",
        json=project_body(
            world,
            slots=[TUTORS],
            responsible_level="in_service_member",
            starts_on="2026-03-02",
            ends_on="2026-05-10",
        ),
    )
    assert r.status_code == 201, r.text
    pid, slot = r.json()["id"], r.json()["slots"][0]
    assert (slot["weeks"], slot["total_hours"], slot["task_ids"]) == (10, 80, [])
    for action in ("start", "complete"):
        r = await coord.post(f"/api/v1/projects/{pid}/{action}")
        assert (
            r.status_code == 409
            and r.json()["message"]
            == f"这个项目草稿，不能{dict(start='开始实施', complete='完成')[action]}。"
        )
    r = await coord.post(f"/api/v1/projects/{pid}/evaluate", json={"rating": 5})
    assert r.status_code == 409
    assert (await coord.post(f"/api/v1/projects/{pid}/announce")).status_code == 409

    project = (await coord.post(f"/api/v1/projects/{pid}/publish")).json()
    assert project["status"] == "recruiting"
    assert (await coord.post(f"/api/v1/projects/{pid}/publish")).status_code == 409
    task_ids = project["slots"][0]["task_ids"]
    assert len(task_ids) == 4
    task = (await vol0.get(f"/api/v1/tasks/{task_ids[0]}")).json()
    assert task["source"] == "slot" and task["hours"] == 2 and "每周，共 10 周" in task["title"]
    assert (await vol0.post(f"/api/v1/tasks/{task_ids[0]}/claim")).status_code == 200
    assert (await coord.post(f"/api/v1/projects/{pid}/start")).json()["status"] == "in_progress"
    assert (await coord.post(f"/api/v1/projects/{pid}/complete")).json()["status"] == "completed"
    # what nobody took leaves the feed; the claimed task stays with its volunteer
    statuses = [(await vol0.get(f"/api/v1/tasks/{t}")).json()["status"] for t in task_ids]
    assert statuses == ["claimed", "closed", "closed", "closed"]
    feed = (
        await vol0.get("/api/v1/tasks", params={"lat": 36.07, "lng": 120.38, "radius_m": 5000})
    ).json()
    assert not set(task_ids) & {t["id"] for t in feed}
    r = await coord.post(f"/api/v1/projects/{pid}/evaluate", json={"rating": 6})
    assert r.status_code == 400
    r = await coord.post(f"/api/v1/projects/{pid}/evaluate", json={"rating": 4, "evaluation": "好"})
    assert (r.json()["status"], r.json()["rating"]) == ("evaluated", 4)
    assert (await coord.post(f"/api/v1/projects/{pid}/announce")).json()["announced"] is True
    assert (await coord.post(f"/api/v1/projects/{pid}/announce")).status_code == 409
    listed = (await vol0.get("/api/v1/projects", params={"status": "evaluated"})).json()
    assert [p["id"] for p in listed] == [pid]
    figures = (await coord.get("/api/v1/service-record/responsibility")).json()
    assert {r["key"]: r["tasks"] for r in figures["by_level"]} == {"in_service_member": 1}


async def test_the_coordinator_assigns_only_volunteers_or_certified_partners(running):
    world = await make_world()
    coord, vol0 = await as_(running, world, "coord"), await as_(running, world, "vol0")
    project = await recruiting_project(running, world)
    pid, slot = project["id"], project["slots"][1]
    url = f"/api/v1/projects/{pid}/slots/{slot['id']}/assign"
    for person in ("resident", "grid"):
        r = await coord.post(url, json={"volunteer_id": world.people[person]})
        assert r.status_code == 400 and r.json()["code"] == "project_assignee_elsewhere"
    uid = (await vol0.post("/api/v1/partners", json=partner_body(world))).json()["id"]
    r = await coord.post(url, json={"volunteer_id": world.people["vol0"], "partner_unit_id": uid})
    assert r.status_code == 409 and r.json()["code"] == "partner_not_certified"
    r = await coord.post(url, json={"volunteer_id": world.people["vol1"], "partner_unit_id": uid})
    assert r.status_code == 400 and r.json()["code"] == "project_assignee_not_member"
    other = project["slots"][0]["id"] + 1000
    r = await coord.post(
        f"/api/v1/projects/{pid}/slots/{other}/assign", json={"volunteer_id": world.people["vol0"]}
    )
    assert r.status_code == 404
    r = await coord.post(url, json={"volunteer_id": world.people["vol1"]})
    assert r.status_code == 200 and r.json()["status"] == "claimed"
    claims = (await (await as_(running, world, "vol1")).get("/api/v1/me/claims")).json()
    assert [(c["task"]["id"], c["via"]) for c in claims] == [(slot["task_ids"][0], "assign")]
    r = await coord.post(url, json={"volunteer_id": world.people["vol0"]})
    assert r.status_code == 409 and r.json()["code"] == "project_slot_full"
    r = await coord.post(
        f"/api/v1/projects/{pid}/confirm-service", json={"claim_ids": [claims[0]["id"]]}
    )
    assert r.status_code == 409 and r.json()["code"] == "record_not_confirmable"


async def _wish(resident, category: str, title: str) -> int:
    r = await resident.post("/api/v1/wishes", json={**WISH, "category": category, "title": title})
    assert r.status_code == 201, r.text
    return r.json()["id"]


@pytest.mark.settings(cluster_threshold=3, cluster_window_days=7)
async def test_clusters_follow_the_configured_window_and_become_a_project(running):
    from marketplace.wishes.tables import Wish

    world = await make_world()
    coord, subcoord = await as_(running, world, "coord"), await as_(running, world, "subcoord")
    resident = await as_(running, world, "resident")
    old = await _wish(resident, "errands", "买菜 old")
    ids = [await _wish(resident, "errands", f"买菜{i}") for i in range(2)]
    await Wish.update({Wish.created_at: datetime.now(UTC) - timedelta(days=9)}).where(
        Wish.id == old
    )
    assert (await coord.get("/api/v1/projects/clusters")).json() == []
    ids.append(await _wish(resident, "errands", "买菜2"))
    await coord.post(f"/api/v1/wishes/{ids[0]}/publish")  # published wishes still count
    clusters = (await coord.get("/api/v1/projects/clusters")).json()
    assert [(c["category"], sorted(c["wish_ids"])) for c in clusters] == [("errands", ids)]
    assert (await subcoord.get("/api/v1/projects/clusters")).json() == clusters

    body = {"community_id": world.communities[0], "category": "errands", "wish_ids": ids}
    coord2 = await as_(running, world, "coord2")
    assert (await coord2.post("/api/v1/projects/from-cluster", json=body)).status_code == 404
    r = await coord.post(
        "/api/v1/projects/from-cluster", json={**body, "wish_ids": [*ids, old + 1000]}
    )
    assert r.status_code == 400
    r = await coord.post("/api/v1/projects/from-cluster", json={**body, "title": "助老买菜队"})
    assert r.status_code == 201, r.text
    project = r.json()
    assert (project["title"], project["status"], sorted(project["wish_ids"])) == (
        "助老买菜队",
        "draft",
        ids,
    )
    assert project["slots"][0]["people"] == 3 and project["duty_type"] == "elderly_care"
    r = await coord.post("/api/v1/projects/from-cluster", json=body)
    assert r.status_code == 409
    assert (await coord2.post("/api/v1/projects/from-cluster", json=body)).status_code == 404
    assert (await coord.get("/api/v1/projects/clusters")).json() == []


@pytest.mark.parametrize("who", ["anonymous", "other_coordinator", "volunteer"])
async def test_every_project_endpoint_refuses_outsiders(running, who):
    world = await make_world()
    coord = await as_(running, world, "coord")
    draft = (await coord.post("/api/v1/projects", json=project_body(world))).json()
    live = await recruiting_project(running, world)
    slot = live["slots"][0]["id"]
    key = {"other_coordinator": "coord2", "volunteer": "vol0"}.get(who)
    client = await as_(running, world, key) if key else running.client()

    def calls(p: dict) -> list[tuple[str, str, dict | None]]:
        pid = p["id"]
        return [
            ("GET", f"/api/v1/projects/{pid}", None),
            ("POST", f"/api/v1/projects/{pid}/publish", None),
            ("POST", f"/api/v1/projects/{pid}/start", None),
            ("POST", f"/api/v1/projects/{pid}/complete", None),
            ("POST", f"/api/v1/projects/{pid}/evaluate", {"rating": 5}),
            ("POST", f"/api/v1/projects/{pid}/announce", None),
            ("POST", f"/api/v1/projects/{pid}/slots/{slot}/assign", {"volunteer_id": 1}),
            ("POST", f"/api/v1/projects/{pid}/confirm-service", {"claim_ids": [1]}),
        ]

    hidden = 401 if who == "anonymous" else 404
    for method, url, body in calls(draft):
        assert (await client.request(method, url, json=body)).status_code == hidden, url
    # a recruiting project is seen by the community's volunteers, who still cannot run it
    seen = [200] + [403] * 7 if who == "volunteer" else [hidden] * 8
    for (method, url, body), status in zip(calls(live), seen, strict=True):
        assert (await client.request(method, url, json=body)).status_code == status, url
    r = await client.post("/api/v1/projects", json=project_body(world))
    assert r.status_code == hidden
    cluster = {"community_id": world.communities[0], "category": "repairs", "wish_ids": [1, 2]}
    r = await client.post("/api/v1/projects/from-cluster", json=cluster)
    assert r.status_code == hidden
    r = await client.get("/api/v1/projects/clusters")
    assert r.status_code == 401 if who == "anonymous" else r.json() == []
    r = await client.get("/api/v1/projects")
    if who == "anonymous":
        assert r.status_code == 401
    else:
        assert [p["id"] for p in r.json()] == ([live["id"]] if who == "volunteer" else [])
