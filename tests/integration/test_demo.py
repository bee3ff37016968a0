"""The demo data: loads once, quickly, covers every state, stays consistent, and its logins work."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime, timedelta

from marketplace.accounts.rules import Role
from marketplace.accounts.service import authenticate
from marketplace.accounts.tables import Person, RoleGrant, VolunteerProfile
from marketplace.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo
from marketplace.org.tables import Community, Compound, Grid, SubDistrict
from marketplace.tasks.tables import Claim, Task
from marketplace.wishes.rules import WishStatus
from marketplace.wishes.tables import Wish, WishEvent

# The task a wish leaves behind, by the wish's status (None: it was never published).
TASK_STATUS = {
    "submitted": None,
    "rejected": None,
    "published": "open",
    "claimed": "claimed",
    "fulfilled": "fulfilled",
    "confirmed": "fulfilled",
    "announced": "fulfilled",
}


async def test_demo_loads_once_and_is_consistent(clean):
    started = time.perf_counter()
    assert await load_demo() is True
    elapsed = time.perf_counter() - started
    assert elapsed < 15, f"the demo took {elapsed:.1f} s to load"
    assert await load_demo() is False

    # the organisation
    assert await SubDistrict.count() == 1
    assert await Community.count() == 3
    assert await Compound.count() == 12
    assert 24 <= await Grid.count() <= 36

    # people
    assert 480 <= await Person.count() <= 600
    assert 190 <= await VolunteerProfile.count() <= 210
    grants = await RoleGrant.select(RoleGrant.role, RoleGrant.person)
    roles = Counter(g["role"] for g in grants)
    assert 280 <= roles[Role.RESIDENT] <= 320
    assert 190 <= roles[Role.VOLUNTEER] <= 210
    assert roles[Role.GRID_WORKER] == await Grid.count()  # one per grid
    assert roles[Role.COORDINATOR] == 4  # one per community and the sub-district's
    assert roles[Role.ADMIN] == 1
    phoneless = await Person.select(Person.password_hash).where(Person.phone.is_null())
    assert len(phoneless) >= 30 and all(p["password_hash"] is None for p in phoneless)
    profiles = await VolunteerProfile.select().output(load_json=True)
    assert all(2 <= p["weekly_hours"] <= 8 and 1 <= p["weekly_tasks"] <= 4 for p in profiles)
    assert all(1000 <= p["max_distance_m"] <= 5000 and p["skills"] for p in profiles)
    assert any("electrician" in p["skills"] for p in profiles)

    for phone, _ in DEMO_ACCOUNTS.values():
        person_id, _epoch = await authenticate(phone=phone, password=DEMO_PASSWORD)
        assert person_id > 0
    from marketplace.admin.tables import AdminUser  # Piccolo Admin at /admin/: the same login

    assert await AdminUser.login(username=DEMO_ACCOUNTS["admin"][0], password=DEMO_PASSWORD)

    # wishes: every status, priority groups only with consent, some posted on behalf
    wishes = await Wish.select().output(load_json=True)
    assert 120 <= len(wishes) <= 200
    assert {w["status"] for w in wishes} == {s.value for s in WishStatus}
    prioritised = [w for w in wishes if w["priority_groups"]]
    assert 0.25 <= len(prioritised) / len(wishes) <= 0.55
    assert all(w["priority_consent"] and w["priority_recorded_by"] for w in prioritised)
    assert sum(w["posted_by"] != w["resident"] for w in wishes) >= 20
    now = datetime.now(UTC)
    assert all(
        now - timedelta(days=60) <= w["created_at"] <= w["updated_at"] <= now for w in wishes
    )

    # every wish's timeline starts with its submission and ends in its status
    events: dict[int, list[dict]] = {}
    for e in await WishEvent.select().order_by(WishEvent.id):
        events.setdefault(e["wish"], []).append(e)
    for w in wishes:
        timeline = events[w["id"]]
        assert timeline[0]["action"] == "submit" and timeline[0]["actor"] == w["posted_by"]
        assert timeline[-1]["to_status"] == w["status"]
        assert all(
            a["to_status"] == b["from_status"] for a, b in zip(timeline, timeline[1:], strict=False)
        )
        assert [e["at"] for e in timeline] == sorted(e["at"] for e in timeline)

    # tasks: one per wish ever published, in the matching status
    tasks = await Task.select().where(Task.source == "wish")
    by_wish = {t["source_id"]: t for t in tasks}
    assert len(by_wish) == len(tasks)
    ids = {w["id"] for w in wishes}
    assert set(by_wish) <= ids  # every wish task points at an existing wish
    for w in wishes:
        published = any(e["action"] == "publish" for e in events[w["id"]])
        task = by_wish.get(w["id"])
        assert (task is not None) == published
        if w["status"] == "cancelled":
            assert task is None or task["status"] == "closed"
        else:
            assert (task and task["status"]) == TASK_STATUS[w["status"]]

    # claims: exactly one active claim per claimed wish, and none elsewhere
    claims = await Claim.select()
    wish_of_task = {t["id"]: t["source_id"] for t in tasks}
    status_of = {w["id"]: w["status"] for w in wishes}
    active = Counter(wish_of_task[c["task"]] for c in claims if c["active_task"] is not None)
    assert all(c["active_task"] in (None, c["task"]) for c in claims)
    assert {wid for wid in active} == {w["id"] for w in wishes if w["status"] == "claimed"}
    assert set(active.values()) == {1}
    assert max(Counter(c["volunteer"] for c in claims if c["active_task"]).values()) <= 5
    for w in wishes:
        if w["status"] in ("fulfilled", "confirmed", "announced"):
            done = [
                c
                for c in claims
                if wish_of_task.get(c["task"]) == w["id"] and c["status"] == "fulfilled"
            ]
            assert len(done) == 1 and done[0]["hours"] and w["fulfilled_hours"]
            confirmed = w["status"] != "fulfilled"
            assert (done[0]["confirmed_at"] is not None) == confirmed
            assert (w["rating"] is not None) == confirmed
    assert all(status_of[wish_of_task[c["task"]]] != "submitted" for c in claims)

    # the demo accounts have something to show
    resident, _ = await authenticate(phone=DEMO_ACCOUNTS["resident"][0], password=DEMO_PASSWORD)
    volunteer, _ = await authenticate(phone=DEMO_ACCOUNTS["volunteer"][0], password=DEMO_PASSWORD)
    assert sum(w["resident"] == resident for w in wishes) >= 5
    assert any(c["volunteer"] == volunteer for c in claims)
    assert await VolunteerProfile.count().where(VolunteerProfile.person == volunteer) == 1

    # partners, projects, the store and points
    from marketplace.partners.tables import PartnerUnit
    from marketplace.points.tables import PointsEntry, StoreItem
    from marketplace.projects.tables import Project

    assert await PartnerUnit.count().where(PartnerUnit.status == "certified") >= 3
    assert await Project.count() == 2 and await StoreItem.count() >= 4
    assert await Task.count().where((Task.source == "slot") & (Task.status == "open")) == 3
    confirmed_claims = [c for c in claims if c["confirmed_at"] is not None]
    assert await PointsEntry.count() == len(confirmed_claims) > 0
