"""The API's error body: a stable code, the field, and a message in the reader's language
(zh-CN by default, en on request); validation lists every bad field in plain words."""

from __future__ import annotations

import re

from tests.factories import WISH, as_, make_world, project_body, wish_in_state

EN = {"Accept-Language": "en-GB,en;q=0.9"}


async def test_every_bad_field_is_listed_in_chinese_by_default(running):
    world = await make_world()
    resident = await as_(running, world, "resident")
    body = {**WISH, "title": "   ", "lat": 123, "lng": "东", "hours": 0, "bogus": 1}
    r = await resident.post("/api/v1/wishes", json=body)
    assert r.status_code == 400
    got = r.json()
    assert got["code"] == "validation_failed" and got["status_code"] == 400
    by_field = {e["field"]: e for e in got["errors"]}
    assert set(by_field) == {"title", "lat", "lng", "hours", "bogus"}
    assert by_field["lat"]["message"] == "纬度应在 -90 到 90 之间。"
    assert by_field["lat"]["code"] == "validation_range"
    assert by_field["title"]["code"] == "validation_required"
    assert by_field["lng"]["code"] == "validation_not_number"
    for e in got["errors"]:
        assert not re.search(r"[A-Za-z]{3,}", e["message"].replace(e["field"], "")), e
    assert "Expected" not in r.text


async def test_the_same_in_english_on_request(running):
    world = await make_world()
    resident = await as_(running, world, "resident")
    r = await resident.post("/api/v1/wishes", json={**WISH, "lat": 123}, headers=EN)
    got = r.json()
    assert r.status_code == 400 and got["field"] == "lat" and got["code"] == "validation_range"
    assert got["message"] == "latitude must be from -90 to 90."
    assert got["errors"] == [
        {"field": "lat", "code": "validation_range", "message": got["message"]}
    ]


async def test_query_parameters_are_checked_the_same_way(running):
    world = await make_world()
    vol = await as_(running, world, "vol0")
    r = await vol.get("/api/v1/tasks", params={"lat": 95, "lng": 120.38})
    assert r.status_code == 400, r.text
    assert r.json()["errors"][0]["field"] == "lat"
    assert r.json()["message"] == "纬度应在 -90 到 90 之间。"


async def test_a_domain_refusal_has_its_code_field_and_words(running):
    world = await make_world()
    resident = await as_(running, world, "resident")
    r = await resident.post("/api/v1/wishes", json={**WISH, "wanted_by": "2001-01-01"})
    got = r.json()
    assert r.status_code == 400 and got["code"] == "wish_wanted_by_past"
    assert got["field"] == "wanted_by" and got["message"] == "日期不能早于今天。"
    assert got["errors"] == [
        {"field": "wanted_by", "code": "wish_wanted_by_past", "message": "日期不能早于今天。"}
    ]
    r = await resident.post("/api/v1/wishes", json={**WISH, "wanted_by": "2001-01-01"}, headers=EN)
    assert r.json()["message"] == "The date cannot be in the past."


async def test_claiming_a_cancelled_wish_says_it_was_cancelled(running):
    world = await make_world()
    wid = await wish_in_state(running, world, "published")
    resident = await as_(running, world, "resident")
    task_id = (await resident.get(f"/api/v1/wishes/{wid}")).json()["task_id"]
    assert (await resident.post(f"/api/v1/wishes/{wid}/cancel")).status_code == 200
    vol = await as_(running, world, "vol0")
    r = await vol.post(f"/api/v1/tasks/{task_id}/claim")
    assert r.status_code == 409
    assert r.json()["code"] == "wish_is_cancelled"
    assert r.json()["message"].startswith("这个心愿已取消")
    assert "认领" in r.json()["message"] and "已被他人认领" not in r.json()["message"]


async def test_a_lost_race_says_someone_else_claimed_it(running):
    world = await make_world()
    wid = await wish_in_state(running, world, "claimed")
    resident = await as_(running, world, "resident")
    task_id = (await resident.get(f"/api/v1/wishes/{wid}")).json()["task_id"]
    other = await as_(running, world, "vol1")
    r = await other.post(f"/api/v1/tasks/{task_id}/claim")
    assert r.status_code == 409 and r.json()["code"] == "task_taken"
    assert r.json()["message"] == "已被他人认领。"


async def test_generic_errors_are_in_the_readers_language(running):
    client = running.client()
    r = await client.get("/api/v1/wishes")
    assert r.status_code == 401
    assert r.json() == {
        "status_code": 401,
        "code": "not_authenticated",
        "message": "请先登录。",
        "field": None,
        "errors": [],
    }
    r = await client.get("/api/v1/no-such-thing", headers=EN)
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert r.json()["message"] == "Not found, or you may not see it."


async def test_org_config_serves_one_vocabulary_with_both_labels(running):
    r = await running.client().get("/api/v1/org/config")
    vocab = r.json()["vocabulary"]
    assert {"code": "medical_escort", "zh": "陪同就医", "en": "medical escort"} in vocab[
        "categories"
    ]
    assert len(vocab["duty_types"]) == 12 and len(vocab["responsible_levels"]) == 4
    assert {d["category"] for d in vocab["duty_types"]} == {
        c["code"] for c in vocab["duty_categories"]
    }
    assert "electrician" in {s["code"] for s in vocab["skills"]}
    for kind in ("priority_groups", "wish_statuses", "task_statuses", "project_statuses"):
        assert all(e["zh"] and e["en"] for e in vocab[kind]), kind


async def test_project_slot_skills_come_from_the_vocabulary(running):
    world = await make_world()
    coord = await as_(running, world, "coord")
    slots = [{"role": "电工", "people": 1, "hours": 2, "skills": ["电工，维修"]}]
    r = await coord.post("/api/v1/projects", json=project_body(world, slots=slots))
    assert r.status_code == 400 and r.json()["code"] == "task_unknown_skill"
    assert r.json()["field"] == "skills" and "电工，维修" in r.json()["message"]
    slots[0]["skills"] = ["electrician"]
    assert (
        await coord.post("/api/v1/projects", json=project_body(world, slots=slots))
    ).status_code == 201


async def test_confirmations_are_coded_and_in_the_readers_language(running):
    world = await make_world()
    resident = await as_(running, world, "resident")
    zh = (await resident.post("/api/v1/auth/codes", json={"phone": "13900001111"})).json()
    assert zh["code"] == "accounts_code_sent" and "验证码" in zh["message"]
    en = await resident.post("/api/v1/auth/logout", headers=EN)
    assert en.status_code == 200
    assert en.json() == {"code": "accounts_signed_out", "message": "Signed out."}
