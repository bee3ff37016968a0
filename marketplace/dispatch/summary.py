"""The figures a coordinator compares: what the optimal matching and the greedy baseline serve."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from marketplace.dispatch.loading import Loaded
from matching import Result


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
