"""Results: chosen assignments as arrays, the objective breakdown and why each choice was made."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

import numpy as np

Array = np.ndarray


class Status(enum.StrEnum):
    OPTIMAL = "optimal"  # proven optimal over all eligible pairs (within the requested gap)
    FEASIBLE = "feasible"  # a valid assignment, optimality not proven
    INFEASIBLE = "infeasible"  # fixed arcs break a volunteer's or a task's limits
    TIMED_OUT = "timed_out"  # the time limit passed before any assignment was found


class Unserved(enum.IntEnum):
    NO_ELIGIBLE_VOLUNTEER = 0  # nobody with the skills, availability and reach
    ALL_ELIGIBLE_FULL = 1  # every eligible volunteer is at their task or hour limit
    NOT_WORTH_TRAVEL = 2  # a free eligible volunteer exists but costs more than the task is worth


@dataclass(frozen=True)
class Breakdown:
    """Objective broken down for reporting."""

    served_by_priority: dict[int, int]  # served task units per priority level
    demand_by_priority: dict[int, int]
    total_distance_m: int
    mean_distance_m: float
    volunteers_used: int
    max_tasks_per_volunteer: int
    max_hours_per_volunteer: float


@dataclass(frozen=True, eq=False)
class Result:
    """The outcome of `solve`: one row per chosen (task, volunteer) arc, plus unserved tasks."""

    status: Status
    objective: int  # sum of (value - distance + bonus) minus fairness costs
    bound: float  # proven upper bound on the objective (nan when nothing is proven)
    gap: float  # (bound - objective) / max(1, |bound|)
    task: Array
    volunteer: Array
    distance_m: Array
    load_h: Array
    bonus_m: Array
    fixed: Array  # bool: the arc was given as fixed
    next_best_volunteer: Array  # -1 where there is no other candidate
    extra_cost_m: Array  # extra distance - bonus of the next-best volunteer (0 if none)
    unserved_task: Array
    unserved_units: Array
    unserved_reason: Array  # Unserved codes (int8)
    breakdown: Breakdown
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return int(self.task.size)

    def explain(self, i: int) -> dict[str, Any]:
        """Why assignment `i` was made, as a plain dict."""
        nb = int(self.next_best_volunteer[i])
        return {
            "task": int(self.task[i]),
            "volunteer": int(self.volunteer[i]),
            "distance_m": int(self.distance_m[i]),
            "load_h": float(self.load_h[i]),
            "continuity_bonus_m": int(self.bonus_m[i]),
            "fixed": bool(self.fixed[i]),
            "next_best_volunteer": None if nb < 0 else nb,
            "next_best_extra_cost_m": None if nb < 0 else int(self.extra_cost_m[i]),
        }

    def explain_unserved(self, j: int) -> dict[str, Any]:
        """Why unserved task row `j` was (partly) left unserved."""
        return {
            "task": int(self.unserved_task[j]),
            "units": int(self.unserved_units[j]),
            "reason": Unserved(int(self.unserved_reason[j])).name.lower(),
        }


def breakdown(
    priority: Array, demand: Array, task: Array, volunteer: Array, dist: Array, load: Array
) -> Breakdown:
    """Served units per priority, distances and volunteer loads of an assignment."""
    levels = np.unique(priority)
    served = np.bincount(np.searchsorted(levels, priority[task]), minlength=levels.size)
    wanted = np.bincount(np.searchsorted(levels, priority), weights=demand, minlength=levels.size)
    _, per_vol = np.unique(volunteer, return_counts=True)
    hours = np.bincount(volunteer, weights=load) if volunteer.size else np.zeros(0)
    return Breakdown(
        served_by_priority={int(p): int(s) for p, s in zip(levels, served, strict=True)},
        demand_by_priority={int(p): int(s) for p, s in zip(levels, wanted, strict=True)},
        total_distance_m=int(dist.sum()),
        mean_distance_m=float(dist.mean()) if dist.size else 0.0,
        volunteers_used=int(per_vol.size),
        max_tasks_per_volunteer=int(per_vol.max()) if per_vol.size else 0,
        max_hours_per_volunteer=float(hours.max()) if hours.size else 0.0,
    )
