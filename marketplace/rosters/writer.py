"""Writing an import: bulk inserts (marketplace.db.insert_many), never a row at a time, inside
the caller's transaction."""

from __future__ import annotations

import json
from datetime import datetime

from marketplace.accounts.rules import Actor
from marketplace.accounts.tables import Person, RoleGrant, VolunteerProfile
from marketplace.db import insert_many
from marketplace.notifications.tables import Notification
from marketplace.org.tables import Residence
from marketplace.rosters.rules import RosterKind, Row
from marketplace.rosters.tables import PriorityRecord
from marketplace.volunteers.tables import VolunteerApplication

PERSON = ("name", "phone", "community", "compound", "grid", "address", "lat", "lng", "created_at")


async def _new_ids(new: list[Row], community_id: int) -> list[int]:
    """The ids of the people just inserted, in the rows' order (found again by their key)."""
    from marketplace.rosters.service import existing_people

    found = await existing_people(new, community_id)
    return [found[r.key]["id"] for r in new]


async def write(
    *,
    actor: Actor,
    kind: RosterKind,
    community_id: int,
    new: list[Row],
    gaining: list[tuple[Row, int]],
    now: datetime,
    invitation: tuple[str, str],
) -> list[int]:
    """Insert the new people (with residence, invitation) and give everyone their role."""
    await insert_many(
        Person,
        PERSON,
        [
            (
                r.name,
                r.phone,
                community_id,
                r.compound.id,
                r.grid_id,
                r.address,
                float(r.point[0]),
                float(r.point[1]),
                now,
            )
            for r in new
        ],
    )
    new_ids = await _new_ids(new, community_id)
    people = list(zip(new, new_ids, strict=True)) + gaining
    if kind != RosterKind.RESIDENTS:
        # volunteers and grid workers are residents of the community too
        await insert_many(
            RoleGrant,
            ("person", "role", "community", "title"),
            [(pid, "resident", community_id, "") for pid in new_ids],
        )
    role = {"residents": "resident", "volunteers": "volunteer", "grid_workers": "grid_worker"}
    await insert_many(
        RoleGrant,
        ("person", "role", "community", "title"),
        [(pid, role[kind.value], community_id, r.title) for r, pid in people],
    )
    await insert_many(
        Residence,
        ("person", "building", "unit", "room"),
        [
            (pid, r.building.id, r.unit, r.room)
            for r, pid in zip(new, new_ids, strict=True)
            if r.building
        ],
    )
    await insert_many(
        Notification,
        ("person", "kind", "title", "body", "link", "created_at"),
        [
            (pid, "roster.invited", invitation[0], invitation[1], "/login", now)
            for r, pid in zip(new, new_ids, strict=True)
            if r.phone
        ],
    )
    if kind == RosterKind.RESIDENTS:
        await _priority(actor, people, now)
    elif kind == RosterKind.VOLUNTEERS:
        await _volunteers(actor, community_id, people, now)
    return [pid for _, pid in people]


async def _priority(actor: Actor, people: list[tuple[Row, int]], now: datetime) -> None:
    """Priority groups, recorded with consent (checked per row) and by whom."""
    rows = [(r, pid) for r, pid in people if r.priority_groups]
    ids = [pid for _, pid in rows]
    have = {
        p["person"]
        for p in await PriorityRecord.select(PriorityRecord.person).where(
            PriorityRecord.person.is_in(ids or [-1])
        )
    }
    await insert_many(
        PriorityRecord,
        ("person", "groups", "recorded_by", "recorded_at"),
        [
            (pid, json.dumps(r.priority_groups), actor.person_id, now)
            for r, pid in rows
            if pid not in have
        ],
    )


async def _volunteers(
    actor: Actor, community_id: int, people: list[tuple[Row, int]], now: datetime
) -> None:
    """A community's own roster certifies its volunteers: the application (certified by the
    importing coordinator) and the profile, homed at their building or compound."""
    ids = [pid for _, pid in people]
    applied = {
        a["person"]
        for a in await VolunteerApplication.select(VolunteerApplication.person).where(
            VolunteerApplication.person.is_in(ids or [-1])
        )
    }
    profiled = {
        p["person"]
        for p in await VolunteerProfile.select(VolunteerProfile.person).where(
            VolunteerProfile.person.is_in(ids or [-1])
        )
    }
    await insert_many(
        VolunteerApplication,
        (
            "person",
            "kind",
            "party_branch",
            "skills",
            "weekly_hours",
            "weekly_tasks",
            "community",
            "home_compound",
            "home_building",
            "status",
            "status_reason",
            "decided_by",
            "created_at",
            "decided_at",
        ),
        [
            (
                pid,
                r.kind,
                r.party_branch,
                json.dumps(r.skills),
                float(r.weekly_hours),
                3,
                community_id,
                r.compound.id,
                r.building.id if r.building else None,
                "certified",
                "名册导入",
                actor.person_id,
                now,
                now,
            )
            for r, pid in people
            if pid not in applied
        ],
    )
    await insert_many(
        VolunteerProfile,
        (
            "person",
            "kind",
            "skills",
            "home_lat",
            "home_lng",
            "weekly_hours",
            "weekly_tasks",
            "max_distance_m",
            "active",
            "committed_hours",
            "committed_visits",
            "home_compound",
            "home_building",
        ),
        [
            (
                pid,
                r.kind,
                json.dumps(r.skills),
                float(r.point[0]),
                float(r.point[1]),
                float(r.weekly_hours),
                3,
                3000,
                True,
                0.0,
                0,
                r.compound.id,
                r.building.id if r.building else None,
            )
            for r, pid in people
            if pid not in profiled
        ],
    )
