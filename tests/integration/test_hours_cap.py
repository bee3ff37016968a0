"""Reported hours are capped by the task's (security issue 21, item 4); more needs approval."""

from __future__ import annotations

import pytest

from tests.factories import as_, make_world, wish_in_state


@pytest.fixture
async def world(running):
    return await make_world()


async def _fulfilled_with(running, world, hours: float) -> tuple[int, int]:
    """A 1-hour wish claimed by vol0 and fulfilled with `hours`; (wish id, task id)."""
    wid = await wish_in_state(running, world, "claimed", hours=1.0)
    resident = await as_(running, world, "resident")
    task_id = (await resident.get(f"/api/v1/wishes/{wid}")).json()["task_id"]
    vol = await as_(running, world, "vol0")
    r = await vol.post(f"/api/v1/tasks/{task_id}/fulfil", json={"hours": hours, "note": "做完了"})
    assert r.status_code == 200, r.text
    return wid, task_id


async def _balance(running, world) -> int:
    vol = await as_(running, world, "vol0")
    return (await vol.get("/api/v1/points/me")).json()["balance"]


async def test_200_hours_on_a_1_hour_wish_count_as_1(running, world):
    wid, task_id = await _fulfilled_with(running, world, 200)
    vol = await as_(running, world, "vol0")
    mine = (await vol.get("/api/v1/me/claims")).json()
    assert (mine[0]["hours"], mine[0]["requested_hours"], mine[0]["hours_review"]) == (
        1.0,
        200.0,
        "pending",
    )
    resident = await as_(running, world, "resident")
    r = await resident.post(f"/api/v1/wishes/{wid}/confirm", json={"rating": 5})
    assert r.status_code == 200, r.text
    one_hour = await _balance(running, world)
    assert 0 < one_hour <= 20  # 10 points an hour, 50% more for a priority wish: never 2,000

    # a volunteer cannot approve their own hours; another community's coordinator cannot see it
    assert (
        await vol.post(
            f"/api/v1/tasks/{task_id}/hours-review", json={"approve": True, "reason": "x"}
        )
    ).status_code == 404
    coord2 = await as_(running, world, "coord2")
    r = await coord2.post(
        f"/api/v1/tasks/{task_id}/hours-review", json={"approve": True, "reason": "x"}
    )
    assert r.status_code == 404

    coord = await as_(running, world, "coord")
    r = await coord.post(
        f"/api/v1/tasks/{task_id}/hours-review",
        json={"approve": True, "reason": "陪同就医，排队很久"},
    )
    assert r.status_code == 200, r.text
    assert (r.json()["hours"], r.json()["review"]) == (200.0, "approved")
    assert await _balance(running, world) == one_hour * 200
    r = await coord.post(
        f"/api/v1/tasks/{task_id}/hours-review", json={"approve": True, "reason": "again"}
    )
    assert r.status_code == 409 and r.json()["code"] == "tasks_no_hours_pending"

    from marketplace.audit.tables import AuditEntry

    entry = await AuditEntry.select().where(AuditEntry.action == "claim.hours_approved").first()
    assert entry["actor"] == world.people["coord"]


async def test_a_refusal_keeps_the_task_hours_and_within_them_nothing_waits(running, world):
    _, task_id = await _fulfilled_with(running, world, 3)
    coord = await as_(running, world, "coord")
    r = await coord.post(
        f"/api/v1/tasks/{task_id}/hours-review", json={"approve": False, "reason": "超出约定"}
    )
    assert r.status_code == 200 and (r.json()["hours"], r.json()["review"]) == (1.0, "refused")
    _, within = await _fulfilled_with(running, world, 0.5)
    vol = await as_(running, world, "vol0")
    claim = next(
        c for c in (await vol.get("/api/v1/me/claims")).json() if c["task"]["id"] == within
    )
    assert (claim["hours"], claim["hours_review"]) == (0.5, None)
    r = await coord.post(
        f"/api/v1/tasks/{within}/hours-review", json={"approve": True, "reason": "x"}
    )
    assert r.status_code == 409
