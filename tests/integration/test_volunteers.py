"""Volunteers over HTTP: apply → pending → certified by the community (or sub-district) →
suspended / reinstated with reasons; only certified volunteers see the feed and are matched."""

from __future__ import annotations

from marketplace.accounts.tables import RoleGrant, VolunteerProfile
from marketplace.audit.tables import AuditEntry
from tests.factories import as_, make_world, wish_in_state

APPLY = {
    "kind": "party_resident",
    "party_branch": "八大湖街道第一党支部",
    "skills": ["tutoring"],
    "weekly_hours": 5,
    "weekly_tasks": 2,
}


def feed_url(world) -> str:
    return "/api/v1/tasks?lat=36.07&lng=120.381&radius_m=5000"


async def _matched(person_id: int) -> bool:
    """What the matching's loading checks: a volunteer grant and an active profile."""
    grant = await RoleGrant.exists().where(
        (RoleGrant.person == person_id) & (RoleGrant.role == "volunteer")
    )
    profile = await VolunteerProfile.exists().where(
        (VolunteerProfile.person == person_id) & (VolunteerProfile.active == True)  # noqa: E712
    )
    return grant and profile


async def test_apply_certify_suspend_reinstate(running):
    world = await make_world()
    resident, coord, coord2 = [
        await as_(running, world, k) for k in ("resident", "coord", "coord2")
    ]
    await wish_in_state(running, world, "published")
    assert (await resident.get(feed_url(world))).status_code == 403

    r = await resident.post("/api/v1/volunteer-applications", json={**APPLY, "party_branch": " "})
    assert r.status_code == 400 and r.json()["field"] == "party_branch"
    assert "党支部" in r.json()["message"]
    r = await resident.post(
        "/api/v1/volunteer-applications",
        json={**APPLY, "home": {"compound_id": world.compounds[0]}},
    )
    assert r.status_code == 201, r.text
    app = r.json()
    assert app["status"] == "pending" and app["community_id"] == world.communities[0]
    again = await resident.post("/api/v1/volunteer-applications", json=APPLY)
    assert again.status_code == 409
    assert (await resident.get(feed_url(world))).status_code == 403

    url = f"/api/v1/volunteer-applications/{app['id']}"
    assert (await coord2.post(f"{url}/certify")).status_code == 404  # another community
    assert (await resident.post(f"{url}/certify")).status_code == 404
    pending = (await coord.get("/api/v1/volunteer-applications?status=pending")).json()
    assert [a["id"] for a in pending] == [app["id"]]
    r = await coord.post(f"{url}/certify")
    assert r.status_code == 200 and r.json()["status"] == "certified"
    assert await _matched(world.people["resident"])

    resident = await as_(running, world, "resident")
    feed = await resident.get(feed_url(world))
    assert feed.status_code == 200 and len(feed.json()) == 1

    r = await coord.post(f"{url}/suspend", json={"reason": ""})
    assert r.status_code == 400 and r.json()["field"] == "reason"
    r = await coord.post(f"{url}/suspend", json={"reason": "连续三次爽约"})
    assert r.status_code == 200 and r.json()["status_reason"] == "连续三次爽约"
    assert (await resident.get(feed_url(world))).status_code == 403
    assert not await _matched(world.people["resident"])
    assert (await coord.post(f"{url}/suspend", json={"reason": "again"})).status_code == 409

    assert (await coord.post(f"{url}/reinstate")).status_code == 200
    assert (await resident.get(feed_url(world))).status_code == 200
    assert await _matched(world.people["resident"])
    actions = [
        (e["action"], e["actor"])
        for e in await AuditEntry.select().where(AuditEntry.object_id == app["id"])
        if e["object_type"] == "volunteer_application"
    ]
    who = world.people["coord"]
    assert ("volunteer.certify", who) in actions and ("volunteer.suspend", who) in actions
    assert ("volunteer.reinstate", who) in actions


async def test_sub_district_wide_volunteer_is_certified_by_the_sub_district(running):
    world = await make_world()
    resident, coord, sub = [await as_(running, world, k) for k in ("resident", "coord", "subcoord")]
    r = await resident.post(
        "/api/v1/volunteer-applications",
        json={**APPLY, "kind": "ordinary", "party_branch": "", "sub_district_wide": True},
    )
    assert r.status_code == 201, r.text
    app = r.json()
    assert app["sub_district_id"] == world.sub_district and app["community_id"] is None
    assert (
        await coord.post(f"/api/v1/volunteer-applications/{app['id']}/certify")
    ).status_code == 404
    r = await sub.post(f"/api/v1/volunteer-applications/{app['id']}/certify")
    assert r.status_code == 200
    grant = await RoleGrant.select().where(
        (RoleGrant.person == world.people["resident"]) & (RoleGrant.role == "volunteer")
    )
    assert [(g["community"], g["sub_district"]) for g in grant] == [(None, world.sub_district)]


async def test_rejected_applicant_may_apply_again(running):
    world = await make_world()
    resident, coord = [await as_(running, world, k) for k in ("resident", "coord")]
    app = (await resident.post("/api/v1/volunteer-applications", json=APPLY)).json()
    url = f"/api/v1/volunteer-applications/{app['id']}"
    assert (await coord.post(f"{url}/reject", json={"reason": ""})).status_code == 400
    assert (
        await coord.post(f"{url}/reject", json={"reason": "请补充党支部证明"})
    ).status_code == 200
    r = await resident.post("/api/v1/volunteer-applications", json=APPLY)
    assert r.status_code == 201 and r.json()["status"] == "pending"


async def test_home_is_picked_from_the_tree_or_the_browser(running):
    world = await make_world()
    vol, coord = [await as_(running, world, k) for k in ("vol0", "coord")]
    r = await coord.post(
        "/api/v1/org/buildings",
        json={"name": "3号楼", "parent_id": world.compounds[0], "lat": 36.0711, "lng": 120.3822},
    )
    assert r.status_code == 201, r.text
    building = r.json()["id"]
    r = await vol.put("/api/v1/me/home", json={"building_id": building})
    assert r.status_code == 200 and r.json()["lat"] == 36.0711
    assert r.json()["compound_id"] == world.compounds[0]
    r = await vol.put("/api/v1/me/home", json={"compound_id": world.compounds[1]})
    assert r.status_code == 200 and r.json()["building_id"] is None
    r = await vol.put("/api/v1/me/home", json={"lat": 36.08, "lng": 120.39})
    assert r.status_code == 200 and r.json()["compound_id"] is None
    r = await vol.put("/api/v1/me/home", json={})
    assert r.status_code == 400 and r.json()["field"] == "home"
    r = await vol.put("/api/v1/me/home", json={"building_id": 999999})
    assert r.status_code == 400 and r.json()["field"] == "building_id"
    me = (await vol.get("/api/v1/me")).json()
    assert (me["volunteer"]["home_lat"], me["volunteer"]["home_lng"]) == (36.08, 120.39)
