"""The figures a coordinator compares: what the optimal matching and the greedy baseline serve."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from marketplace.dispatch.loading import Loaded
from matching import Problem, Result
from matching.geo import haversine_m


def of(result: Result, loaded: Loaded) -> dict:
    """Summary of one result: status and gap, tasks served by priority group, distances, loads."""
    n_tasks = int(loaded.task_ids.size)
    served_tasks = np.unique(result.task)
    groups_all = Counter(g for groups in loaded.task_groups for g in groups)
    groups_served = Counter(g for t in served_tasks for g in loaded.task_groups[int(t)])
    priority_tasks = sum(1 for groups in loaded.task_groups if groups)
    priority_served = sum(1 for t in served_tasks if loaded.task_groups[int(t)])
    b = result.breakdown
    return {
        "status": str(result.status),
        "objective": int(result.objective),
        "bound": None if math.isnan(result.bound) else float(result.bound),
        "gap": None if math.isnan(result.gap) else float(result.gap),
        "tasks_open": n_tasks,
        "tasks_served": int(served_tasks.size),
        "priority_tasks": priority_tasks,
        "priority_served": priority_served,
        "served_by_group": {
            g: {"served": groups_served.get(g, 0), "open": n} for g, n in groups_all.items()
        },
        "volunteers_available": int(loaded.volunteer_ids.size),
        "volunteers_used": b.volunteers_used,
        "total_distance_m": b.total_distance_m,
        "mean_distance_m": round(b.mean_distance_m, 1),
        "max_tasks_per_volunteer": b.max_tasks_per_volunteer,
        "max_hours_per_volunteer": round(b.max_hours_per_volunteer, 2),
        # what the objective weighs against travel: the worth of the tasks served (priority
        # groups are worth more) and residents kept with the volunteer they know (continuity)
        "served_value_m": int(loaded.problem.task_value[result.task].sum()) if result.size else 0,
        "continuity_kept": int((np.asarray(result.bonus_m) > 0).sum()),
    }


def next_best_more_m(problem: Problem, result: Result) -> np.ndarray:
    """For each assignment, how much farther its next-best volunteer lives from the task, in
    plain metres (negative: nearer; 0 where there is none). `extra_cost_m` is the solver's
    cost difference, continuity bonus included, so it is not a distance a person can read."""
    geo = problem.geo
    nb = result.next_best_volunteer
    if geo is None or not result.size:
        return np.zeros(result.size, dtype=np.int64)
    t, v, w = result.task, result.volunteer, np.maximum(nb, 0)
    lat, lng = geo.task_lat[t], geo.task_lng[t]
    mine = haversine_m(lat, lng, geo.vol_lat[v], geo.vol_lng[v])
    theirs = haversine_m(lat, lng, geo.vol_lat[w], geo.vol_lng[w])
    return np.where(nb >= 0, theirs - mine, 0)


def next_best_reason(*, more_m: int | None, extra_cost_m: int | None, continuity: bool) -> str:
    """Why this volunteer and not the next best, as a message code (never a negative distance):
    the next best lives farther (多 m 米); the chosen one is the resident's familiar volunteer
    (老熟人) and that decided it; the two are as far; or the next best is needed elsewhere.
    Runs stored before `more_m` existed fall back on the cost difference."""
    more = extra_cost_m if more_m is None else more_m
    if more is not None and more > 0:
        return "dispatch_next_best_more"
    if continuity:
        return "dispatch_next_best_familiar"
    if more == 0 and more_m is not None:
        return "dispatch_next_best_same"
    return "dispatch_next_best_needed"
