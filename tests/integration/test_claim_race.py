"""Claim once: any number of concurrent claimers, exactly one winner — on each engine."""

from __future__ import annotations

import asyncio

from tests.factories import login, make_world, wish_in_state

CLAIMERS = 50


async def test_fifty_concurrent_claimers_one_winner(running):
    world = await make_world(volunteers=CLAIMERS)
    wid = await wish_in_state(running, world, "published")
    clients = await asyncio.gather(
        *(login(running.client(), world, f"vol{i}") for i in range(CLAIMERS))
    )
    resident = await login(running.client(), world, "resident")
    task_id = (await resident.get(f"/api/v1/wishes/{wid}")).json()["task_id"]

    responses = await asyncio.gather(*(c.post(f"/api/v1/tasks/{task_id}/claim") for c in clients))

    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [409] * (CLAIMERS - 1), codes
    losers = [r.json()["message"] for r in responses if r.status_code == 409]
    assert all("已被他人认领" in m for m in losers)

    from marketplace.tasks.tables import Claim

    active = await Claim.select().where(Claim.task == task_id)
    assert len(active) == 1 and active[0]["active_task"] == task_id
    wish = (await resident.get(f"/api/v1/wishes/{wid}")).json()
    assert wish["status"] == "claimed"
    assert [e["action"] for e in wish["events"]].count("claim") == 1


async def test_database_refuses_a_second_active_claim(running):
    """The unique index is the last line of defence, whatever the application code does."""
    import pytest

    from marketplace.tasks.tables import Claim

    world = await make_world()
    wid = await wish_in_state(running, world, "claimed")
    resident = await login(running.client(), world, "resident")
    task_id = (await resident.get(f"/api/v1/wishes/{wid}")).json()["task_id"]
    from datetime import UTC, datetime

    with pytest.raises(Exception) as err:
        await Claim(
            task=task_id,
            volunteer=world.people["vol1"],
            active_task=task_id,
            claimed_at=datetime.now(UTC),
        ).save()
    assert "unique" in str(err.value).lower()


async def test_open_claims_are_capped(running):
    world = await make_world()
    vol = await login(running.client(), world, "vol1")
    resident = await login(running.client(), world, "resident")
    task_ids = []
    for _ in range(6):
        wid = await wish_in_state(running, world, "published")
        task_ids.append((await resident.get(f"/api/v1/wishes/{wid}")).json()["task_id"])
    for tid in task_ids[:5]:
        assert (await vol.post(f"/api/v1/tasks/{tid}/claim")).status_code == 200
    r = await vol.post(f"/api/v1/tasks/{task_ids[5]}/claim")
    assert r.status_code == 409 and "上限 5 个" in r.json()["message"]
    assert (await vol.post(f"/api/v1/tasks/{task_ids[0]}/release")).status_code == 200
    assert (await vol.post(f"/api/v1/tasks/{task_ids[5]}/claim")).status_code == 200
