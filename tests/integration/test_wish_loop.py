"""The whole micro-wish loop over HTTP, on each engine."""

from __future__ import annotations

from tests.factories import WISH, login, make_world


async def test_resident_to_announcement(running):
    world = await make_world()
    resident = await login(running.client(), world, "resident")
    coord = await login(running.client(), world, "coord")
    vol = await login(running.client(), world, "vol0")

    r = await resident.post("/api/v1/wishes", json=WISH)
    assert r.status_code == 201, r.text
    wish = r.json()
    assert wish["status"] == "submitted" and wish["masked"] is False
    wid = wish["id"]

    r = await coord.get(f"/api/v1/wishes/{wid}/review")
    assert r.status_code == 200 and r.json()["negative_list_hits"] == []
    r = await coord.post(f"/api/v1/wishes/{wid}/publish")
    assert r.status_code == 200, r.text
    task_id = r.json()["task_id"]

    r = await vol.get("/api/v1/tasks", params={"lat": 36.07, "lng": 120.381, "radius_m": 2000})
    assert r.status_code == 200, r.text
    feed = r.json()
    assert [t["id"] for t in feed] == [task_id]
    assert feed[0]["priority"] is True and "contact" not in feed[0] or feed[0]["contact"] is None

    r = await vol.post(f"/api/v1/tasks/{task_id}/claim")
    assert r.status_code == 200, r.text
    assert r.json()["contact"]["phone"] == world.phones["resident"]

    r = await vol.post(f"/api/v1/tasks/{task_id}/fulfil", json={"hours": 2.5, "note": "辅导了两次"})
    assert r.status_code == 200, r.text
    r = await resident.post(
        f"/api/v1/wishes/{wid}/confirm", json={"rating": 5, "comment": "非常感谢"}
    )
    assert r.status_code == 200 and r.json()["status"] == "confirmed"
    r = await coord.post(f"/api/v1/wishes/{wid}/announce")
    assert r.status_code == 200 and r.json()["status"] == "announced"

    # 2.5 h reported on a 2 h wish: the wish's 2 h count until a coordinator approves more
    board = (await running.client().get("/api/v1/announcements")).json()
    assert board["announcements"][0]["resident_name"] == "林**"
    assert board["totals"][0]["wishes_met"] == 1 and board["totals"][0]["hours"] == 2.0
    events = (await resident.get(f"/api/v1/wishes/{wid}")).json()["events"]
    assert [e["to_status"] for e in events] == [
        "submitted",
        "published",
        "claimed",
        "fulfilled",
        "confirmed",
        "announced",
    ]
