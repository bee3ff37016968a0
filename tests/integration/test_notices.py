"""Everyone is told at every step (issue 23): residents, the grid worker who posted, volunteers
and coordinators, each notice in the reader's language and Beijing time, linking to its object."""

from __future__ import annotations

import re

from tests.factories import WISH, as_, make_world
from tests.integration.test_dispatch import published, run_to_proposal


async def _inbox(client, lang: str = "zh-CN") -> list[dict]:
    r = await client.get("/api/v1/me/notifications", headers={"Accept-Language": lang})
    assert r.status_code == 200, r.text
    return r.json()


async def _new(client, seen: dict, lang: str = "zh-CN") -> list[dict]:
    """Notices not seen before by this client (newest first)."""
    items = await _inbox(client, lang)
    known = seen.setdefault(id(client), set())
    fresh = [n for n in items if n["id"] not in known]
    known.update(n["id"] for n in items)
    return fresh


async def test_resident_poster_volunteer_and_coordinator_are_told_each_step(running):
    world = await make_world()
    grid = await as_(running, world, "grid")
    resident = await as_(running, world, "resident")
    coord = await as_(running, world, "coord")
    vol = await as_(running, world, "vol0")
    seen: dict = {}
    for c in (grid, resident, coord, vol):
        await _new(c, seen)

    # 代发: the grid worker posts for the resident; the coordinators hear of a wish to review.
    r = await grid.post("/api/v1/wishes", json={**WISH, "resident_id": world.people["resident"]})
    assert r.status_code == 201, r.text
    wid = r.json()["id"]
    [n] = await _new(coord, seen)
    assert n["kind"] == "wish.submitted" and n["link"] == "/review"
    assert "新心愿待审核" in n["title"] and "林resident" in n["title"]
    assert await _new(grid, seen) == []  # nobody is told what they did themselves

    # 收集发布: resident and poster hear it was published, each in their own words.
    assert (await coord.post(f"/api/v1/wishes/{wid}/publish")).status_code == 200
    [n] = await _new(resident, seen)
    assert n["title"].startswith("您的心愿“帮孩子辅导数学作业”已发布")
    assert n["link"] == f"/wishes/{wid}" and n["read"] is False
    [n] = await _new(grid, seen)
    assert n["title"].startswith("您为林resident提交的心愿“帮孩子辅导数学作业”已发布")

    # 领单: who is coming and the visit code, to both; the visit API agrees.
    task_id = (await coord.get(f"/api/v1/wishes/{wid}")).json()["task_id"]
    assert (await vol.post(f"/api/v1/tasks/{task_id}/claim")).status_code == 200
    [n] = await _new(resident, seen)
    visit = (await resident.get(f"/api/v1/wishes/{wid}/visit")).json()
    assert visit["volunteer_name"] == "林vol0" and re.fullmatch(r"\d{4}", visit["code"])
    assert n["kind"] == "wish.claimed" and "林vol0（个人志愿者）" in n["title"]
    assert visit["code"] in n["title"] and "近日" in n["title"]
    [n] = await _new(grid, seen)
    assert visit["code"] in n["title"]
    # the volunteer learns the code at the door, not from the API
    assert (await vol.get(f"/api/v1/wishes/{wid}/visit")).json()["code"] is None

    # 圆梦 with a wrong code is refused beside the field; with the right one (full-width) it
    # is recorded and the resident is asked to confirm.
    r = await vol.post(
        f"/api/v1/tasks/{task_id}/fulfil", json={"hours": 2, "visit_code": "x" + visit["code"]}
    )
    assert r.status_code == 400 and r.json()["code"] == "visit_code_wrong"
    assert r.json()["field"] == "visit_code"
    wide = visit["code"].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    r = await vol.post(f"/api/v1/tasks/{task_id}/fulfil", json={"hours": 2, "visit_code": wide})
    assert r.status_code == 200, r.text
    [n] = await _new(resident, seen)
    assert n["kind"] == "wish.fulfilled" and "请确认并评价" in n["title"]
    assert len(await _new(grid, seen)) == 1
    assert (await resident.get(f"/api/v1/wishes/{wid}/visit")).json()["checked_via"] == "code"

    # Not satisfied: reopened, the poster hears; the volunteer claims it again and fulfils.
    assert (
        await resident.post(f"/api/v1/wishes/{wid}/reopen", json={"reason": "还没讲完"})
    ).status_code == 200
    [n] = await _new(grid, seen)
    assert n["kind"] == "wish.reopened"
    assert await _new(resident, seen) == []
    assert (await vol.post(f"/api/v1/tasks/{task_id}/claim")).status_code == 200
    assert (await vol.post(f"/api/v1/tasks/{task_id}/fulfil", json={"hours": 2})).status_code == 200
    await _new(resident, seen)
    await _new(grid, seen)

    # The grid worker confirms for the resident: the volunteer hears with the points.
    r = await grid.post(f"/api/v1/wishes/{wid}/confirm", json={"rating": 5, "comment": "好"})
    assert r.status_code == 200, r.text
    [n] = await _new(vol, seen)
    assert n["kind"] == "service.confirmed" and "获得 30 积分" in n["title"]
    assert (await resident.get(f"/api/v1/wishes/{wid}/visit")).json()["checked_via"] == (
        "grid_worker"
    )

    # English readers get the same notices in English.
    [n, *_] = await _inbox(vol, "en")
    assert n["title"].startswith("“帮孩子辅导数学作业” was confirmed: you earned 30 points")


async def test_rejection_reason_and_read_state(running):
    world = await make_world()
    resident = await as_(running, world, "resident")
    coord = await as_(running, world, "coord")
    wid = (await resident.post("/api/v1/wishes", json=WISH)).json()["id"]
    r = await coord.post(f"/api/v1/wishes/{wid}/reject", json={"reason": "请联系物业办理"})
    assert r.status_code == 200
    [n] = await _inbox(resident)
    assert n["title"] == "您的心愿“帮孩子辅导数学作业”没有通过审核。原因：请联系物业办理"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", n["created_local"])
    assert (await resident.get("/api/v1/me/notifications/unread")).json() == {"unread": 1}
    assert (await resident.post(f"/api/v1/me/notifications/{n['id']}/read")).status_code == 200
    assert (await resident.get("/api/v1/me/notifications/unread")).json() == {"unread": 0}
    r = await coord.post(f"/api/v1/me/notifications/{n['id']}/read")
    assert r.status_code == 404  # another person's notice


async def test_dispatch_tells_volunteer_and_resident_and_the_run_tells_its_coordinator(running):
    world = await make_world(volunteers=1)
    [task_id] = await published(running, world, 1)
    coord = await as_(running, world, "coord")
    run = await run_to_proposal(running, world)
    notes = await _inbox(coord)
    assert notes[0]["kind"] == "matching_run.proposed"
    assert notes[0]["link"] == f"/matching/{run['id']}" and "建议派出 1 项" in notes[0]["title"]
    assert (await coord.post(f"/api/v1/matching-runs/{run['id']}/commit")).status_code == 200
    vol = await as_(running, world, "vol0")
    [n, *_] = await _inbox(vol)
    assert n["kind"] == "dispatch.received" and n["link"] == "/my-tasks"
    assert re.search(r"请在 \d\d-\d\d \d\d:\d\d 前接受或谢绝", n["title"])
    resident = await as_(running, world, "resident")
    [n, *_] = await _inbox(resident)
    assert n["kind"] == "wish.dispatched" and "已由社区派给 林vol0" in n["title"]
    # A decline returns the task; the resident hears the volunteer cannot come.
    assert (await vol.post(f"/api/v1/tasks/{task_id}/decline")).status_code == 200
    [n, *_] = await _inbox(resident)
    assert n["kind"] == "wish.released"


async def test_text_messages_reach_only_those_who_chose_them(running):
    from marketplace.notifications import service

    sent: list[dict] = []

    class FakeSender:
        async def send(self, *, phone: str, template: str, params: dict) -> None:
            sent.append({"phone": phone, "template": template, **params})

    world = await make_world()
    resident = await as_(running, world, "resident")
    coord = await as_(running, world, "coord")
    r = await resident.put("/api/v1/me/notifications/preferences", json={"by_sms": True})
    assert r.status_code == 200 and r.json()["by_sms"] is True
    service.use_sender(FakeSender())
    try:
        for _ in range(2):
            wid = (
                await resident.post("/api/v1/wishes", json={**WISH, "title": f"修水管{_}"})
            ).json()["id"]
            assert (await coord.post(f"/api/v1/wishes/{wid}/publish")).status_code == 200
    finally:
        service.use_sender(None)
    # the resident chose texts (two publications); the coordinator did not (two reviews)
    assert [s["phone"] for s in sent] == [world.phones["resident"]] * 2
    assert sent[0]["template"] == "notice_wish_published"
    assert sent[0]["wish"] == "您的心愿“修水管0”"


async def test_unticked_assignments_can_be_dispatched_later_without_a_new_run(running):
    world = await make_world(volunteers=2)
    await published(running, world, 2)
    coord = await as_(running, world, "coord")
    run = await run_to_proposal(running, world)
    proposal = (await coord.get(f"/api/v1/matching-runs/{run['id']}/proposal")).json()
    first, second = (a["id"] for a in proposal["assignments"])
    r = await coord.post(
        f"/api/v1/matching-runs/{run['id']}/commit", json={"assignment_ids": [first]}
    )
    assert r.status_code == 200 and r.json()["committed"] == [first]
    r = await coord.post(
        f"/api/v1/matching-runs/{run['id']}/commit", json={"assignment_ids": [second]}
    )
    assert r.status_code == 200, r.text
    assert r.json()["committed"] == [second]
    # what is dispatched cannot be dispatched twice
    r = await coord.post(
        f"/api/v1/matching-runs/{run['id']}/commit", json={"assignment_ids": [first]}
    )
    assert r.status_code == 409
