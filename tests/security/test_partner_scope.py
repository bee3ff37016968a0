"""Issue 21 items 3 and 5 (partners half): certification covers the whole service area, a unit
acts only where it is certified, and members join by an invitation they accept (no phone
enumeration)."""

from __future__ import annotations

from tests.factories import as_, make_person, make_world, partner_body, wish_in_state


async def test_a_one_community_coordinator_cannot_certify_a_unit_serving_other_communities(
    running,
):
    """Item 3: the probe's exploit. A resident (no volunteer role) registers a unit listing
    communities 1 and 2; community 2's coordinator alone may not certify it, so the resident
    never reaches community 1's residents; the sub-district's coordinator may."""
    world = await make_world()
    c1, c2 = world.communities
    await wish_in_state(running, world, "published")
    resident, coord2, subcoord = [
        await as_(running, world, k) for k in ("other_resident", "coord2", "subcoord")
    ]
    r = await resident.post("/api/v1/partners", json=partner_body(world, communities=[c1, c2]))
    assert r.status_code == 201, r.text
    uid = r.json()["id"]
    r = await coord2.post(f"/api/v1/partners/{uid}/certify")
    assert r.status_code == 403 and r.json()["code"] == "partner_certify_scope"
    assert (await resident.get(f"/api/v1/partners/{uid}/tasks")).status_code == 409
    # community 1's coordinator covers only a part of the area too
    r = await (await as_(running, world, "coord")).post(f"/api/v1/partners/{uid}/certify")
    assert r.status_code == 403
    r = await subcoord.post(f"/api/v1/partners/{uid}/certify")
    assert r.status_code == 200 and r.json()["status"] == "certified"
    # a coordinator of a part of the area may still suspend it (safety first), not reinstate it
    r = await coord2.post(f"/api/v1/partners/{uid}/suspend", json={"reason": "投诉核查"})
    assert r.status_code == 200
    assert (await coord2.post(f"/api/v1/partners/{uid}/reinstate")).status_code == 403


async def test_a_unit_acts_only_inside_the_sub_district_that_certified_it(running):
    """Item 3: a unit's radius reaching into a neighbouring sub-district does not open that
    sub-district's tasks (its coordinators never certified the unit)."""
    from marketplace.org.tables import Community, Compound, SubDistrict

    world = await make_world()
    other = SubDistrict(name="隔壁街道", lat=36.07, lng=120.38)
    await other.save()
    comm = Community(name="隔壁社区", sub_district=other.id, lat=36.0701, lng=120.3801)
    await comm.save()
    comp = Compound(name="隔壁小区", community=comm.id, lat=36.0701, lng=120.3802)
    await comp.save()
    await make_person(
        world, "n_res", roles=[("resident", comm.id, None)], community=comm.id, compound=comp.id
    )
    await make_person(
        world,
        "n_coord",
        roles=[("coordinator", comm.id, None)],
        community=comm.id,
        compound=comp.id,
    )
    neighbour, n_coord = await as_(running, world, "n_res"), await as_(running, world, "n_coord")
    r = await neighbour.post(
        "/api/v1/wishes",
        json={"title": "换灯泡", "category": "repairs", "description": "", "hours": 1.0},
    )
    assert r.status_code == 201, r.text
    wish = (await n_coord.post(f"/api/v1/wishes/{r.json()['id']}/publish")).json()
    task_id = wish["task_id"]

    vol = await as_(running, world, "vol0")
    body = partner_body(world, communities=[], lat=36.07, lng=120.38, radius_m=5000)
    uid = (await vol.post("/api/v1/partners", json=body)).json()["id"]
    r = await (await as_(running, world, "subcoord")).post(f"/api/v1/partners/{uid}/certify")
    assert r.status_code == 200, r.text
    listed = [t["id"] for t in (await vol.get(f"/api/v1/partners/{uid}/tasks")).json()]
    assert task_id not in listed
    r = await vol.post(f"/api/v1/partners/{uid}/tasks/{task_id}/claim")
    assert r.status_code == 404


async def test_members_join_by_invitation_and_phones_cannot_be_enumerated(running):
    """Item 5 (partners): the answer is the same for a registered phone, an unknown one and a
    member; the invitee joins only by accepting, and only they can answer."""
    world = await make_world()
    vol0, vol1, grid = [await as_(running, world, k) for k in ("vol0", "vol1", "grid")]
    uid = (await vol0.post("/api/v1/partners", json=partner_body(world))).json()["id"]
    answers = []
    for phone in (world.phones["vol1"], "13311112222", world.phones["vol0"]):
        r = await vol0.post(f"/api/v1/partners/{uid}/members", json={"phone": phone})
        answers.append((r.status_code, r.json()))
    assert answers[0] == answers[1] == answers[2] and answers[0][0] == 202
    assert "Nobody is registered" not in str(answers)
    unit = (await vol0.get(f"/api/v1/partners/{uid}")).json()
    assert world.people["vol1"] not in unit["members"]  # not added without asking

    waiting = (await vol1.get("/api/v1/partners/invitations")).json()
    assert [i["unit_id"] for i in waiting] == [uid]
    invitation = waiting[0]["id"]
    assert (await grid.post(f"/api/v1/partners/invitations/{invitation}/accept")).status_code == 404
    r = await vol1.post(f"/api/v1/partners/invitations/{invitation}/accept")
    assert r.status_code == 200 and world.people["vol1"] in r.json()["members"]
    again = await vol1.post(f"/api/v1/partners/invitations/{invitation}/accept")
    assert again.status_code == 404


async def test_a_declined_invitation_adds_nobody(running):
    world = await make_world()
    vol0, vol1 = [await as_(running, world, k) for k in ("vol0", "vol1")]
    uid = (await vol0.post("/api/v1/partners", json=partner_body(world))).json()["id"]
    await vol0.post(f"/api/v1/partners/{uid}/members", json={"phone": world.phones["vol1"]})
    invitation = (await vol1.get("/api/v1/partners/invitations")).json()[0]["id"]
    assert (
        await vol1.post(f"/api/v1/partners/invitations/{invitation}/decline")
    ).status_code == 200
    unit = (await vol0.get(f"/api/v1/partners/{uid}")).json()
    assert unit["members"] == [world.people["vol0"]]
