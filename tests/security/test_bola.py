"""The BOLA matrix: every API endpoint with an id in its path (read from the OpenAPI document,
so a new endpoint joins by itself) x every role of community 1 (and anonymous) x an object of
community 2. The answer is 401, 403 or 404 — never 200 with its data, and never a 409 or 400
that shows the request got past the access check. The owners' own reads of the same objects
are the control: the ids are real."""

from __future__ import annotations

import asyncio
import re

from tests.factories import as_, grant_points, make_person, make_world, partner_body, project_body

ROLES = ["anonymous", "resident", "grid", "coord", "vol0"]
DENIED = {401, 403, 404}
STREAMS = ("/events",)


def _example(schema: dict, components: dict) -> object:
    """A minimal valid value for a JSON schema (required properties only)."""
    if "$ref" in schema:
        return _example(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    for key in ("oneOf", "anyOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return _example(options[0], components) if options else None
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {k: _example(props[k], components) for k in schema.get("required", [])}
    if kind == "array":
        return [_example(schema.get("items", {}), components)] * schema.get("minItems", 0)
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return max(float(schema.get("minimum", 1)), float(schema.get("exclusiveMinimum", 0)) + 1)
    if kind == "boolean":
        return True
    if schema.get("format") == "date":
        return "2030-01-01"
    return "x" * max(schema.get("minLength", 1), 1)


def _id_endpoints(openapi: dict) -> list[tuple[str, str, object]]:
    components = openapi.get("components", {}).get("schemas", {})
    out = []
    for path, ops in openapi["paths"].items():
        if not path.startswith("/api/") or not re.search(r"\{\w+_id\}", path):
            continue  # {kind} and the like name no object
        for method, op in ops.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            body = None
            content = op.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                body = _example(content["application/json"]["schema"], components)
            elif content:
                body = UPLOAD  # a file upload: the scope is checked before the file is read
            out.append((method.upper(), path, body))
    return out


async def _other_community(running, world) -> dict[str, int]:
    """Objects of community 2, made through the API by its own people."""
    from marketplace.notifications.tables import Notification

    c2, comp2 = world.communities[1], world.compounds[1]
    await make_person(world, "res2", roles=[("resident", c2, None)], community=c2, compound=comp2)
    await make_person(
        world,
        "vol2",
        roles=[("volunteer", c2, None)],
        community=c2,
        compound=comp2,
        volunteer={"skills": ["tutoring"]},
    )
    res2, vol2, coord2 = [await as_(running, world, k) for k in ("res2", "vol2", "coord2")]
    r = await res2.post(
        "/api/v1/wishes", json={"title": "修门锁", "category": "repairs", "hours": 1}
    )
    wish = (await coord2.post(f"/api/v1/wishes/{r.json()['id']}/publish")).json()
    body = project_body(world, scope_id=c2, community_id=c2)
    project = (await coord2.post("/api/v1/projects", json=body)).json()
    unit = (await vol2.post("/api/v1/partners", json=partner_body(world, communities=[c2]))).json()
    await vol2.post(f"/api/v1/partners/{unit['id']}/members", json={"phone": world.phones["res2"]})
    invitation = (await res2.get("/api/v1/partners/invitations")).json()[0]
    item = (
        await coord2.post(
            "/api/v1/points/store",
            json={"community_id": c2, "name": "毛巾", "price": 10, "stock": 5},
        )
    ).json()
    await grant_points(world.people["vol2"], 100)
    redemption = (await vol2.post(f"/api/v1/points/store/{item['id']}/redeem")).json()
    run = (
        await coord2.post("/api/v1/matching-runs", json={"scope_kind": "community", "scope_id": c2})
    ).json()
    await make_person(world, "res3", roles=[("resident", c2, None)], community=c2, compound=comp2)
    res3 = await as_(running, world, "res3")
    application = (
        await res3.post(
            "/api/v1/volunteer-applications",
            json={"kind": "ordinary", "skills": ["tutoring"], "community_id": c2},
        )
    ).json()
    grant = (
        await coord2.post(
            "/api/v1/role-grants",
            json={"phone": world.phones["res3"], "role": "grid_worker", "community_id": c2},
        )
    ).json()
    building = (
        await coord2.post(
            "/api/v1/org/buildings",
            json={"name": "1号楼", "lat": 36.06, "lng": 120.38, "parent_id": comp2},
        )
    ).json()
    note = (
        await Notification.select(Notification.id)
        .where(Notification.person == world.people["res2"])
        .first()
    )
    return {
        "wish_id": wish["id"],
        "task_id": wish["task_id"],
        "project_id": project["id"],
        "slot_id": project["slots"][0]["id"],
        "unit_id": unit["id"],
        "invitation_id": invitation["id"],
        "item_id": item["id"],
        "redemption_id": redemption["id"],
        "run_id": run["id"],
        "notification_id": note["id"],
        "person_id": world.people["res2"],
        "application_id": application["id"],
        "grant_id": grant["id"],
        "place_id": building["id"],
        "community_id": c2,
    }


def _url(path: str, ids: dict[str, int], world) -> str:
    if path.startswith("/api/v1/service-record/people/"):
        ids = {**ids, "person_id": world.people["vol2"]}
    if path.startswith("/api/v1/org/compounds/"):
        ids = {**ids, "place_id": world.compounds[1]}  # place_id names a building elsewhere
    return re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)


UPLOAD = object()


async def _call(client, method: str, url: str, body: object) -> int:
    if body is UPLOAD:
        r = await client.request(method, url, files={"data": ("x.xlsx", b"not a workbook")})
        return r.status_code
    kwargs = {"json": body} if body is not None else {}
    try:
        r = await asyncio.wait_for(client.request(method, url, **kwargs), timeout=10)
    except TimeoutError:
        return 200  # a stream that opened
    return r.status_code


async def test_no_role_of_one_community_reaches_another_communitys_objects(running):
    world = await make_world()
    ids = await _other_community(running, world)
    openapi = (await running.client().get("/schema/openapi.json")).json()
    endpoints = _id_endpoints(openapi)
    assert len(endpoints) >= 40, "the matrix reads the id endpoints from the OpenAPI document"
    unknown = {p for _, path, _ in endpoints for p in re.findall(r"\{(\w+)\}", path)} - set(ids)
    assert not unknown, f"give the matrix an object for {unknown}"

    # control: the owners reach their objects (the ids are real; a pending unit's tasks are 409)
    owners = {k: await as_(running, world, k) for k in ("coord2", "res2", "vol2")}
    for method, path, _ in endpoints:
        if method != "GET" or path.endswith(STREAMS):
            continue
        seen = [await _call(c, "GET", _url(path, ids, world), None) for c in owners.values()]
        assert set(seen) - DENIED, (path, seen)  # someone gets past the access check

    leaks = []
    for role in ROLES:
        client = running.client() if role == "anonymous" else await as_(running, world, role)
        for method, path, body in endpoints:
            status = await _call(client, method, _url(path, ids, world), body)
            if status not in DENIED:
                leaks.append((role, method, path, status))
    assert leaks == []
