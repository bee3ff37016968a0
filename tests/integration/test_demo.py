"""The demo data: loads once, covers every state, stays consistent, and its logins work."""

from __future__ import annotations

from marketplace.accounts.service import authenticate
from marketplace.accounts.tables import Person, VolunteerProfile
from marketplace.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo
from marketplace.tasks.tables import Claim, Task
from marketplace.wishes.rules import WishStatus
from marketplace.wishes.tables import Wish


async def test_demo_loads_once_and_is_consistent(clean):
    assert await load_demo() is True
    assert await load_demo() is False
    assert 280 <= await Person.count() <= 600
    assert 190 <= await VolunteerProfile.count() <= 260
    wishes = await Wish.select(
        Wish.id, Wish.status, Wish.priority_groups, Wish.priority_consent
    ).output(load_json=True)
    assert 120 <= len(wishes) <= 200
    assert {w["status"] for w in wishes} == {s.value for s in WishStatus}
    assert all(w["priority_consent"] for w in wishes if w["priority_groups"])
    for phone, _ in DEMO_ACCOUNTS.values():
        assert await authenticate(phone=phone, password=DEMO_PASSWORD) > 0
    claimed = [w["id"] for w in wishes if w["status"] == "claimed"]
    for wid in claimed:
        active = await Claim.count().where(
            (Claim.task.source == "wish")
            & (Claim.task.source_id == wid)
            & Claim.active_task.is_not_null()
        )
        assert active == 1
    published = {w["id"] for w in wishes if w["status"] == "published"}
    open_tasks = {
        t["source_id"]
        for t in await Task.select(Task.source_id).where(
            (Task.status == "open") & (Task.source == "wish")
        )
    }
    assert open_tasks == published
    ids = {w["id"] for w in wishes}
    assert all(
        t["source_id"] in ids
        for t in await Task.select(Task.source_id).where(Task.source == "wish")
    )
    from marketplace.partners.tables import PartnerUnit
    from marketplace.points.tables import PointsEntry, StoreItem
    from marketplace.projects.tables import Project

    assert await PartnerUnit.count().where(PartnerUnit.status == "certified") >= 3
    assert await Project.count() == 2 and await StoreItem.count() >= 4
    assert await Task.count().where((Task.source == "slot") & (Task.status == "open")) == 3
    assert await PointsEntry.count() > 0
