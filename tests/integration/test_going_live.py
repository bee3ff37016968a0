"""Going live from an empty database, through HTTP only (issue 20's "done means"): the CLI makes
the first administrator, who sets up the org tree and grants a coordinator; a new person signs up
with a code, applies as a volunteer, is certified, sets home by compound, sees the feed and
claims a wish a resident made."""

from __future__ import annotations

from marketplace.cli import create_admin
from tests.factories import WISH

ADMIN, COORD, VOLUNTEER, RESIDENT = "13800001111", "13800002222", "13800003333", "13800004444"


async def _signed_in_by_code(running, phone: str, sign_up: dict | None = None):
    """A client signed in with a code from the console sender; a new phone signs up."""
    client = running.client()
    r = await client.post("/api/v1/auth/codes", json={"phone": phone, "purpose": "sign_in"})
    assert r.status_code == 202, r.text
    code = next(
        p["code"] for to, _, p in reversed(running.app.state["sms_sender"].sent) if to == phone
    )
    if sign_up is None:
        r = await client.post("/api/v1/auth/code-login", json={"phone": phone, "code": code})
        assert r.status_code == 200, r.text
    else:
        r = await client.post(
            "/api/v1/auth/sign-up", json={"phone": phone, "code": code, **sign_up}
        )
        assert r.status_code == 201, r.text
    return client


async def _place(admin, level: str, name: str, parent_id: int | None = None) -> int:
    body = {"name": name, "lat": 36.0671, "lng": 120.3826, "parent_id": parent_id}
    r = await admin.post(f"/api/v1/org/{level}", json=body)
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def test_a_community_goes_live_from_an_empty_database(running):
    from marketplace.accounts.tables import Person

    assert await Person.count() == 0
    await create_admin(phone=ADMIN, name="赵敏")
    admin = await _signed_in_by_code(running, ADMIN)

    sub = await _place(admin, "sub-districts", "八大湖街道")
    community = await _place(admin, "communities", "江苏路社区", sub)
    compound = await _place(admin, "compounds", "龙山小区", community)

    coord = await _signed_in_by_code(running, COORD, {"name": "张丽华", "compound_id": compound})
    r = await admin.post(
        "/api/v1/role-grants",
        json={"phone": COORD, "role": "coordinator", "community_id": community},
    )
    assert r.status_code == 201, r.text

    volunteer = await _signed_in_by_code(
        running, VOLUNTEER, {"name": "陈晓明", "compound_id": compound}
    )
    assert (
        await volunteer.get("/api/v1/tasks", params={"lat": 36.067, "lng": 120.382})
    ).status_code == 403
    application = {"kind": "ordinary", "skills": ["tutoring"], "home": {"compound_id": compound}}
    r = await volunteer.post("/api/v1/volunteer-applications", json=application)
    assert r.status_code == 201, r.text
    r = await coord.post(f"/api/v1/volunteer-applications/{r.json()['id']}/certify")
    assert r.status_code == 200, r.text
    r = await volunteer.put("/api/v1/me/home", json={"compound_id": compound})
    assert r.status_code == 200, r.text

    resident = await _signed_in_by_code(
        running, RESIDENT, {"name": "林秀兰", "compound_id": compound}
    )
    r = await resident.post("/api/v1/wishes", json=WISH)
    assert r.status_code == 201, r.text
    r = await coord.post(f"/api/v1/wishes/{r.json()['id']}/publish")
    assert r.status_code == 200, r.text
    task_id = r.json()["task_id"]

    feed = await volunteer.get(
        "/api/v1/tasks", params={"lat": 36.0671, "lng": 120.3826, "radius_m": 1000}
    )
    assert feed.status_code == 200 and [t["id"] for t in feed.json()] == [task_id]
    r = await volunteer.post(f"/api/v1/tasks/{task_id}/claim")
    assert r.status_code == 200, r.text
    assert r.json()["contact"]["name"] == "林秀兰"
