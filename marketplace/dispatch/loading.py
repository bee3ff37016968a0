"""Load a scope's open tasks and available volunteers and build the matching Problem."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from marketplace.accounts.tables import RoleGrant, VolunteerProfile
from marketplace.dispatch import rules
from marketplace.dispatch.tables import DeclinedPair
from marketplace.org import service as org
from marketplace.settings import Settings
from marketplace.tasks.tables import Claim, Task
from marketplace.wishes.tables import Wish
from matching import Problem


@dataclass(frozen=True)
class Scope:
    kind: str  # "community" or "sub_district"
    id: int
    communities: list[int]


@dataclass(frozen=True)
class Loaded:
    """The rows behind a Problem: index i of the problem is tasks[i] / volunteers[j]."""

    problem: Problem
    task_ids: np.ndarray
    task_skills: list[list[str]]
    task_groups: list[list[str]]
    task_points: np.ndarray  # (n, 2) lat, lng
    volunteer_ids: np.ndarray
    volunteer_skills: list[list[str]]
    volunteer_points: np.ndarray


async def resolve_scope(kind: str, scope_id: int) -> Scope:
    if kind == "community":
        return Scope(kind, scope_id, [scope_id])
    return Scope(
        kind, scope_id, await org.communities_in(community_ids=set(), sub_district_ids={scope_id})
    )


def _open_tasks(scope: Scope):
    """Open tasks of the scope, as a query usable as a subquery (no id lists: a district has
    more rows than a statement may carry parameters)."""
    return Task.select(Task.id).where(
        (Task.status == "open") & Task.community.is_in(scope.communities or [-1])
    )


async def _tasks(scope: Scope) -> list[dict]:
    return (
        await Task.select(
            Task.id,
            Task.source,
            Task.source_id,
            Task.lat,
            Task.lng,
            Task.skills,
            Task.hours,
            Task.priority,
        )
        .where(Task.id.is_in(_open_tasks(scope)))
        .order_by(Task.id)
        .output(load_json=True)
    )


async def _volunteer_people(scope: Scope):
    sub_ids = await _sub_districts(scope)
    return RoleGrant.select(RoleGrant.person).where(
        (RoleGrant.role == "volunteer")
        & (
            RoleGrant.community.is_in(scope.communities or [-1])
            | RoleGrant.sub_district.is_in(sub_ids)
        )
    )


async def _volunteers(people) -> list[dict]:
    return (
        await VolunteerProfile.select(
            VolunteerProfile.person,
            VolunteerProfile.skills,
            VolunteerProfile.home_lat,
            VolunteerProfile.home_lng,
            VolunteerProfile.weekly_hours,
            VolunteerProfile.weekly_tasks,
            VolunteerProfile.max_distance_m,
        )
        .where((VolunteerProfile.active == True) & VolunteerProfile.person.is_in(people))  # noqa: E712
        .order_by(VolunteerProfile.person)
        .output(load_json=True)
    )


async def _sub_districts(scope: Scope) -> list[int]:
    if scope.kind == "sub_district":
        return [scope.id]
    return [await org.sub_district_of(community_id=scope.id)]


async def _held_load(people, since: datetime) -> tuple[dict[int, int], dict[int, float]]:
    """Tasks and hours each volunteer already holds this week (claimed ones stay theirs)."""
    rows = await Claim.select(
        Claim.volunteer, Claim.hours, Claim.task.hours.as_alias("task_hours")
    ).where(
        Claim.volunteer.is_in(people)
        & (
            Claim.active_task.is_not_null()
            | ((Claim.status == "fulfilled") & (Claim.ended_at >= since))
        )
    )
    count: dict[int, int] = {}
    hours: dict[int, float] = {}
    for r in rows:
        count[r["volunteer"]] = count.get(r["volunteer"], 0) + 1
        hours[r["volunteer"]] = hours.get(r["volunteer"], 0.0) + float(
            r["hours"] or r["task_hours"]
        )
    return count, hours


def _open_wishes(scope: Scope):
    return Task.select(Task.source_id).where(
        Task.id.is_in(_open_tasks(scope)) & (Task.source == "wish")
    )


async def _wish_facts(scope: Scope) -> dict[int, dict]:
    rows = (
        await Wish.select(Wish.id, Wish.resident, Wish.priority_groups)
        .where(Wish.id.is_in(_open_wishes(scope)))
        .output(load_json=True)
    )
    return {r["id"]: r for r in rows}


async def _previous_helpers(scope: Scope) -> list[tuple[int, int]]:
    """(resident, volunteer) pairs where the volunteer fulfilled a wish of the resident before."""
    residents = Wish.select(Wish.resident).where(Wish.id.is_in(_open_wishes(scope)))
    rows = await Claim.select(Claim.volunteer, Claim.task.source_id.as_alias("wish_id")).where(
        (Claim.status == "fulfilled")
        & (Claim.task.source == "wish")
        & Claim.task.source_id.is_in(Wish.select(Wish.id).where(Wish.resident.is_in(residents)))
    )
    wishes = await Wish.select(Wish.id, Wish.resident).where(
        Wish.id.is_in(Claim.select(Claim.task.source_id).where(Claim.status == "fulfilled"))
        & Wish.resident.is_in(residents)
    )
    resident_of = {w["id"]: w["resident"] for w in wishes}
    return sorted(
        {(resident_of[r["wish_id"]], r["volunteer"]) for r in rows if r["wish_id"] in resident_of}
    )


async def _declined(scope: Scope) -> list[tuple[int, int]]:
    rows = await DeclinedPair.select(DeclinedPair.task, DeclinedPair.volunteer).where(
        DeclinedPair.task.is_in(_open_tasks(scope))
    )
    return [(r["task"], r["volunteer"]) for r in rows]


def _pairs(pairs: list[tuple[int, int]], left: dict[int, int], right: dict[int, int]) -> tuple:
    kept = [(left[a], right[b]) for a, b in pairs if a in left and b in right]
    return (
        np.array([a for a, _ in kept], dtype=np.int64),
        np.array([b for _, b in kept], dtype=np.int64),
    )


async def load_problem(
    *, scope: Scope, settings: Settings, fairness: bool, continuity: bool
) -> Loaded:
    """Everything the engine needs for one scope, as arrays (one query per kind of row)."""
    tasks = await _tasks(scope)
    people = await _volunteer_people(scope)
    vols = await _volunteers(people)
    vol_ids = [v["person"] for v in vols]
    count, hours = await _held_load(people, rules.week_start(datetime.now(UTC)))
    facts = await _wish_facts(scope)
    task_index = {t["id"]: i for i, t in enumerate(tasks)}
    vol_index = {pid: j for j, pid in enumerate(vol_ids)}
    t_mask, v_mask = rules.skill_masks([t["skills"] for t in tasks], [v["skills"] for v in vols])
    residents = [
        facts.get(t["source_id"], {}).get("resident", -1) if t["source"] == "wish" else -1
        for t in tasks
    ]
    previous = await _previous_helpers(scope) if continuity else []
    resident_ids = {
        r: r for r in set(residents)
    }  # residents keep their ids, volunteers become indices
    problem = Problem.from_geography(
        task_lat=np.array([t["lat"] for t in tasks], dtype=np.float64),
        task_lng=np.array([t["lng"] for t in tasks], dtype=np.float64),
        task_value=np.array(
            [
                rules.task_value(
                    t["priority"],
                    base_m=settings.task_value_base_m,
                    per_group_m=settings.task_value_per_group_m,
                )
                for t in tasks
            ],
            dtype=np.int64,
        ),
        task_hours=np.array([t["hours"] for t in tasks], dtype=np.float64),
        task_priority=np.array([t["priority"] for t in tasks], dtype=np.int64),
        task_skills=t_mask,
        task_resident=np.array(residents, dtype=np.int64),
        vol_lat=np.array([v["home_lat"] for v in vols], dtype=np.float64),
        vol_lng=np.array([v["home_lng"] for v in vols], dtype=np.float64),
        vol_skills=v_mask,
        vol_max_distance_m=np.array([v["max_distance_m"] for v in vols], dtype=np.int64),
        vol_max_tasks=np.array(
            [max(0, v["weekly_tasks"] - count.get(v["person"], 0)) for v in vols], dtype=np.int64
        ),
        vol_max_hours=np.array(
            [max(0.0, v["weekly_hours"] - hours.get(v["person"], 0.0)) for v in vols],
            dtype=np.float64,
        ),
        speed_kmh=settings.travel_speed_kmh,
        forbidden=_pairs(await _declined(scope), task_index, vol_index),
        previous=_pairs(previous, resident_ids, vol_index) if previous else None,
        continuity_bonus_m=settings.continuity_bonus_m if continuity else 0,
        fairness_m=settings.fairness_m if fairness else 0,
    )
    return Loaded(
        problem=problem,
        task_ids=np.array([t["id"] for t in tasks], dtype=np.int64),
        task_skills=[list(t["skills"]) for t in tasks],
        task_groups=[
            list(facts.get(t["source_id"], {}).get("priority_groups", []))
            if t["source"] == "wish"
            else []
            for t in tasks
        ],
        task_points=np.array([(t["lat"], t["lng"]) for t in tasks], dtype=np.float64).reshape(
            -1, 2
        ),
        volunteer_ids=np.array(vol_ids, dtype=np.int64),
        volunteer_skills=[list(v["skills"]) for v in vols],
        volunteer_points=np.array(
            [(v["home_lat"], v["home_lng"]) for v in vols], dtype=np.float64
        ).reshape(-1, 2),
    )
