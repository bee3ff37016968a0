"""Role grants within a coordinator's scope (audited), and managing the organisation tree."""

from __future__ import annotations

from marketplace.accounts.tables import RoleGrant
from marketplace.audit.tables import AuditEntry
from tests.factories import as_, make_person, make_world


async def test_coordinators_grant_and_revoke_within_their_scope(running):
    world = await make_world()
    coord, coord2, sub = [await as_(running, world, k) for k in ("coord", "coord2", "subcoord")]
    c1, c2 = world.communities
    phone = world.phones["resident"]
    body = {"phone": phone, "role": "grid_worker", "community_id": c1, "title": "楼栋长"}
    r = await coord.post("/api/v1/role-grants", json=body)
    assert r.status_code == 201, r.text
    grant = r.json()
    assert grant["title"] == "楼栋长" and grant["person_id"] == world.people["resident"]
    assert (await coord.post("/api/v1/role-grants", json=body)).status_code == 409
    r = await coord.post("/api/v1/role-grants", json={**body, "community_id": c2})
    assert r.status_code == 403
    r = await coord.post("/api/v1/role-grants", json={**body, "role": "volunteer"})
    assert r.status_code == 400 and r.json()["field"] == "role"
    r = await coord.post("/api/v1/role-grants", json={**body, "phone": "13000000000"})
    assert r.status_code == 400 and r.json()["field"] == "phone"
    r = await coord.post(
        "/api/v1/role-grants",
        json={"phone": phone, "role": "coordinator", "sub_district_id": world.sub_district},
    )
    assert r.status_code == 403  # a community coordinator cannot make a sub-district one
    r = await sub.post(
        "/api/v1/role-grants", json={**body, "role": "coordinator", "community_id": c2}
    )
    assert r.status_code == 201  # the sub-district covers every community

    assert (await coord2.delete(f"/api/v1/role-grants/{grant['id']}")).status_code == 404
    assert grant["id"] in [g["id"] for g in (await coord.get("/api/v1/role-grants")).json()]
    assert (await coord.delete(f"/api/v1/role-grants/{grant['id']}")).status_code == 204
    assert not await RoleGrant.exists().where(RoleGrant.id == grant["id"])
    log = await AuditEntry.select().where(AuditEntry.object_id == world.people["resident"])
    acts = [(e["action"], e["actor"]) for e in log if e["object_type"] == "person"]
    assert ("role.granted", world.people["coord"]) in acts
    assert ("role.revoked", world.people["coord"]) in acts
    assert ("role.granted", world.people["subcoord"]) in acts


async def test_the_tree_is_built_by_the_administrator_and_coordinators(running):
    world = await make_world()
    await make_person(
        world,
        "admin",
        roles=[("admin", None, None)],
        community=world.communities[0],
        compound=world.compounds[0],
    )
    admin, coord, coord2, sub = [
        await as_(running, world, k) for k in ("admin", "coord", "coord2", "subcoord")
    ]
    point = {"lat": 36.06, "lng": 120.37}
    assert (
        await coord.post("/api/v1/org/sub-districts", json={"name": "湛山街道", **point})
    ).status_code == 403
    r = await admin.post("/api/v1/org/sub-districts", json={"name": "湛山街道", **point})
    assert r.status_code == 201, r.text
    r = await sub.post(
        "/api/v1/org/communities", json={"name": "新社区", "parent_id": world.sub_district, **point}
    )
    assert r.status_code == 201
    r = await coord.post(
        "/api/v1/org/communities", json={"name": "x", "parent_id": world.sub_district, **point}
    )
    assert r.status_code == 403
    body = {"name": "新建小区", "parent_id": world.communities[0], **point}
    assert (await coord2.post("/api/v1/org/compounds", json=body)).status_code == 403
    r = await coord.post("/api/v1/org/compounds", json=body)
    assert r.status_code == 201
    compound = r.json()["id"]
    r = await coord.post("/api/v1/org/compounds", json={**body, "parent_id": 999999})
    assert r.status_code == 400 and r.json()["field"] == "parent_id"
    r = await coord.post("/api/v1/org/compounds", json={**body, "lat": 123})
    assert r.status_code == 400
    r = await coord.post(
        "/api/v1/org/buildings", json={"name": "1号楼", "parent_id": compound, **point}
    )
    assert r.status_code == 201
    r = await coord.patch(f"/api/v1/org/compounds/{compound}", json={"lat": 36.061})
    assert r.status_code == 200 and r.json()["lat"] == 36.061
    tree = (await coord.get("/api/v1/org/tree")).json()
    comps = [c for s in tree for m in s["communities"] for c in m["compounds"]]
    assert [b["name"] for c in comps if c["id"] == compound for b in c["buildings"]] == ["1号楼"]


async def test_adding_an_existing_resident_offers_them_instead(running):
    from marketplace.accounts.tables import Person
    from marketplace.org.tables import Building, Residence

    world = await make_world(volunteers=0)
    grid, coord2 = [await as_(running, world, k) for k in ("grid", "coord2")]
    b = Building(name="3号楼", compound=world.compounds[0], lat=36.0701, lng=120.3812)
    await b.save()
    body = {
        "name": "赵大爷",
        "compound_id": world.compounds[0],
        "building_id": b.id,
        "unit": "2",
        "room": "301",
    }
    r = await grid.post("/api/v1/residents", json=body)
    assert r.status_code == 201, r.text
    first = r.json()
    assert first["address"] == "3号楼2单元301"
    assert await Residence.exists().where(Residence.person == first["id"])
    r = await grid.post("/api/v1/residents", json=body)
    assert r.status_code == 409 and r.json()["code"] == "resident_exists"
    assert "赵大爷" in r.json()["message"] and r.json()["field"] == "name"
    r = await grid.post(
        "/api/v1/residents",
        json={"name": "别人", "compound_id": world.compounds[0], "phone": world.phones["resident"]},
    )
    assert (
        r.status_code == 409
        and r.json()["field"] == "phone"
        and "林resident" in r.json()["message"]
    )
    r = await coord2.post(
        "/api/v1/residents",
        json={"name": "别人", "compound_id": world.compounds[1], "phone": world.phones["resident"]},
    )
    assert r.status_code == 409 and r.json()["code"] == "resident_exists_elsewhere"
    assert "林resident" not in r.json()["message"]  # not their community: no name or address
    r = await grid.post("/api/v1/residents", json={**body, "building_id": 999999})
    assert r.status_code == 400 and r.json()["field"] == "building_id"
    assert await Person.count().where(Person.name == "赵大爷") == 1
