"""The wish API: bad input, refused transitions, posting on behalf, release, reopen, the feed."""

from __future__ import annotations

import pytest

from tests.factories import WISH, as_, make_world, wish_in_state


@pytest.fixture
async def world(running):
    return await make_world()


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({**WISH, "status": "published"}, "status"),
        ({**WISH, "community_id": 2}, "community_id"),
        ({**WISH, "hours": "lots"}, "hours"),
        ({**WISH, "hours": -1}, "hours"),
        ({**WISH, "category": "loans"}, "wish_unknown_category"),
        ({**WISH, "priority_consent": False}, "wish_priority_consent_needed"),
        ({**WISH, "priority_groups": ["birth_date"]}, "wish_unknown_priority_group"),
        ({**WISH, "wanted_by": "2000-01-01"}, "wish_wanted_by_past"),
        ({**WISH, "title": ""}, "title"),
        ({"category": "repairs"}, "title"),
    ],
)
async def test_bad_wish_input_is_400_and_saves_nothing(running, world, body, needle):
    resident = await as_(running, world, "resident")
    r = await resident.post("/api/v1/wishes", json=body)
    assert r.status_code == 400, r.text
    assert needle in r.text
    assert (await resident.get("/api/v1/wishes", params={"mine": True})).json() == []


async def test_malformed_and_oversized_bodies(running, world):
    resident = await as_(running, world, "resident")
    r = await resident.post(
        "/api/v1/wishes", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert r.status_code == 400 and "message" in r.json()
    r = await resident.post("/api/v1/wishes", json={**WISH, "description": "很" * 400_000})
    assert r.status_code == 413


async def test_refused_transitions_are_409_with_reason(running, world):
    coord = await as_(running, world, "coord")
    resident = await as_(running, world, "resident")
    wid = await wish_in_state(running, world, "submitted")
    r = await coord.post(f"/api/v1/wishes/{wid}/announce")
    assert r.status_code == 409 and r.json()["code"] == "wish_is_submitted"
    assert r.json()["message"] == "这个心愿还在等待审核，尚未发布，不能公示。"
    r = await resident.post(f"/api/v1/wishes/{wid}/confirm", json={"rating": 5})
    assert r.status_code == 409
    r = await resident.post(f"/api/v1/wishes/{wid}/confirm", json={"rating": 9})
    assert r.status_code == 400
    claimed = await wish_in_state(running, world, "claimed")
    r = await resident.post(f"/api/v1/wishes/{claimed}/cancel")
    assert r.status_code == 409 and r.json()["code"] == "wish_is_claimed"


async def test_negative_list_blocks_publishing_until_rejected_or_overridden(running, world):
    resident = await as_(running, world, "resident")
    coord = await as_(running, world, "coord")
    wid = (
        await resident.post("/api/v1/wishes", json={**WISH, "description": "请给我转账两千现金"})
    ).json()["id"]
    review = (await coord.get(f"/api/v1/wishes/{wid}/review")).json()
    assert review["negative_list_hits"][0]["code"] == "cash"
    r = await coord.post(f"/api/v1/wishes/{wid}/publish")
    assert r.status_code == 409 and r.json()["code"] == "wish_negative_list"
    r = await coord.post(
        f"/api/v1/wishes/{wid}/reject",
        json={"reason": "现金请求不在微心愿范围内", "negative_list_code": "cash"},
    )
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    assert r.json()["reject_reason"].startswith("[cash]")
    other = (await resident.post("/api/v1/wishes", json={**WISH, "title": "买菜不用现金"})).json()[
        "id"
    ]
    r = await coord.post(f"/api/v1/wishes/{other}/publish", json={"override_negative_list": True})
    assert r.status_code == 200 and r.json()["status"] == "published"


async def test_grid_worker_posts_for_a_resident_without_phone(running, world):
    grid = await as_(running, world, "grid")
    r = await grid.post(
        "/api/v1/residents",
        json={"name": "王秀英", "compound_id": world.compounds[0], "address": "幸福路8号1单元101"},
    )
    assert r.status_code == 201, r.text
    resident_id = r.json()["id"]
    assert r.json()["phone"] is None
    r = await grid.post(
        "/api/v1/wishes",
        json={
            **WISH,
            "resident_id": resident_id,
            "priority_groups": ["empty_nest"],
            "priority_consent": True,
        },
    )
    assert r.status_code == 201, r.text
    wish = r.json()
    assert wish["posted_on_behalf"] is True and wish["masked"] is False
    assert wish["resident_name"] == "王秀英" and wish["address"] == "幸福路8号1单元101"
    r = await grid.post(
        "/api/v1/residents/search", json={"community_id": world.communities[0], "q": "王秀"}
    )
    assert [p["id"] for p in r.json()] == [resident_id]
    coord2 = await as_(running, world, "coord2")
    r = await coord2.post("/api/v1/wishes", json={**WISH, "resident_id": resident_id})
    assert r.status_code == 404
    from marketplace.wishes.tables import Wish

    row = await Wish.select().where(Wish.id == wish["id"]).first()
    assert (
        row["posted_by"] == world.people["grid"]
        and row["priority_recorded_by"] == world.people["grid"]
    )


async def test_a_second_identical_wish_within_a_day_is_refused_naming_the_first(running, world):
    from datetime import UTC, datetime, timedelta

    from marketplace.wishes.tables import Wish

    resident = await as_(running, world, "resident")
    first = (await resident.post("/api/v1/wishes", json=WISH)).json()["id"]
    r = await resident.post("/api/v1/wishes", json=WISH)
    assert r.status_code == 409, r.text
    body = r.json()
    assert body["code"] == "wish_duplicate" and body["field"] == "title"
    assert body["message"] == f"一天内已经提交过相同的心愿（第 {first} 号），不用重复提交。"
    r = await resident.post("/api/v1/wishes", json=WISH, headers={"Accept-Language": "en"})
    assert f"(wish {first})" in r.json()["message"]
    grid = await as_(running, world, "grid")  # the grid worker posting it too is the same wish
    r = await grid.post("/api/v1/wishes", json={**WISH, "resident_id": world.people["resident"]})
    assert r.status_code == 409 and f"第 {first} 号" in r.json()["message"]
    other = {**WISH, "title": "帮孩子辅导英语作业"}  # a different wish is no repeat
    assert (await resident.post("/api/v1/wishes", json=other)).status_code == 201
    day_ago = datetime.now(UTC) - timedelta(hours=25)  # a day later the same wish is new again
    await Wish.update({Wish.created_at: day_ago}).where(Wish.id == first)
    assert (await resident.post("/api/v1/wishes", json=WISH)).status_code == 201
    assert await Wish.count().where(Wish.title == WISH["title"]) == 2


async def test_release_and_reopen_return_the_task_to_the_pool(running, world):
    vol = await as_(running, world, "vol0")
    resident = await as_(running, world, "resident")
    feed = {"lat": 36.07, "lng": 120.381, "radius_m": 3000}
    wid = await wish_in_state(running, world, "claimed")
    task_id = (await resident.get(f"/api/v1/wishes/{wid}")).json()["task_id"]
    assert task_id not in [t["id"] for t in (await vol.get("/api/v1/tasks", params=feed)).json()]
    r = await vol.post(f"/api/v1/tasks/{task_id}/release")
    assert r.status_code == 200 and r.json()["status"] == "open" and r.json()["contact"] is None
    assert (await resident.get(f"/api/v1/wishes/{wid}")).json()["status"] == "published"
    assert task_id in [t["id"] for t in (await vol.get("/api/v1/tasks", params=feed)).json()]

    done = await wish_in_state(running, world, "fulfilled")
    r = await resident.post(f"/api/v1/wishes/{done}/reopen", json={"reason": "水龙头还在漏"})
    assert r.status_code == 200 and r.json()["status"] == "published"
    done_task = r.json()["task_id"]
    assert done_task in [t["id"] for t in (await vol.get("/api/v1/tasks", params=feed)).json()]


async def test_the_feed_is_for_volunteers(running, world):
    """The feed's order and filters (on the public point only) are tested in test_feed.py."""
    resident = await as_(running, world, "resident")
    r = await resident.get("/api/v1/tasks", params={"lat": 36.07, "lng": 120.381})
    assert r.status_code == 403
