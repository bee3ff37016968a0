"""Independent reference solvers for the matching tests: a tiny scipy.optimize.milp model over
every eligible pair, built without the engine's candidate or flow code."""

from __future__ import annotations

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from matching.geo import EARTH_RADIUS_M
from matching.problem import Problem


def eligible_pairs(p: Problem) -> tuple[np.ndarray, ...]:
    """All (task, volunteer, cost, load, bonus) pairs by brute force over the full grid."""
    if p.arcs is not None:
        t, v, c, h = p.arcs.task, p.arcs.vol, p.arcs.cost, p.arcs.hours
    else:
        t, v, c, h, ok = geo_pairs(p)
        ok |= np.isin(t * p.n_vols + v, p.fixed[0] * p.n_vols + p.fixed[1])  # fixed arcs stay
        t, v, c, h = t[ok], v[ok], c[ok], h[ok]
    forb = set(zip(p.forbidden[0].tolist(), p.forbidden[1].tolist(), strict=True))
    forb -= set(zip(p.fixed[0].tolist(), p.fixed[1].tolist(), strict=True))
    keep = np.array([(a, b) not in forb for a, b in zip(t.tolist(), v.tolist(), strict=True)], bool)
    t, v, c, h = t[keep], v[keep], c[keep], h[keep]
    bonus = {}
    for a, b, w in zip(*(x.tolist() for x in p.bonus), strict=True):
        bonus[(a, b)] = max(bonus.get((a, b), 0), w)
    bb = np.array(
        [bonus.get((a, b), 0) for a, b in zip(t.tolist(), v.tolist(), strict=True)], np.int64
    )
    return t, v, c, h, bb


def geo_pairs(p: Problem) -> tuple[np.ndarray, ...]:
    """Every (task, volunteer) of a geography problem: distance, hours load and whether skills,
    availability and the volunteer's reach allow it."""
    g = p.geo
    t, v = (
        a.ravel() for a in np.meshgrid(np.arange(p.n_tasks), np.arange(p.n_vols), indexing="ij")
    )
    la1, lo1, la2, lo2 = map(np.radians, (g.task_lat[t], g.task_lng[t], g.vol_lat[v], g.vol_lng[v]))
    a = np.sin((la2 - la1) / 2) ** 2 + np.cos(la1) * np.cos(la2) * np.sin((lo2 - lo1) / 2) ** 2
    c = np.rint(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(a))).astype(np.int64)
    ok = (c <= g.vol_max_distance_m[v]) & ((g.vol_skills[v] & g.task_skills[t]) == g.task_skills[t])
    ok &= (g.task_window[t] == 0) | ((g.task_window[t] & g.vol_slots[v]) != 0)
    h = p.task_hours[t] + 2.0 * c / g.speed_mps / 3600.0
    return t, v, c, h, ok


def unserved_reference(
    p: Problem, task: np.ndarray, vol: np.ndarray, load: np.ndarray
) -> dict[int, int]:
    """Unserved task -> reason code of an assignment (rows task, vol, load), by looking at
    every volunteer: none eligible (0), every eligible one full (1), else not worth it (2)."""
    t, v, _, h, ok = geo_pairs(p)
    served = np.bincount(task, minlength=p.n_tasks)
    used = np.bincount(vol, minlength=p.n_vols)
    hours = np.bincount(vol, weights=load, minlength=p.n_vols)
    rows = set(zip(task.tolist(), vol.tolist(), strict=True))
    forbidden = set(zip(p.forbidden[0].tolist(), p.forbidden[1].tolist(), strict=True))
    why = {}
    for x in np.flatnonzero(served < p.task_demand).tolist():
        mine = t == x
        eligible = [
            (y, load_h)
            for y, load_h, good in zip(
                v[mine].tolist(), h[mine].tolist(), ok[mine].tolist(), strict=True
            )
            if good and (x, y) not in forbidden
        ]
        free = [
            y
            for y, load_h in eligible
            if used[y] < p.vol_max_tasks[y]
            and hours[y] + load_h <= p.vol_max_hours[y] + 1e-9
            and (x, y) not in rows
        ]
        why[x] = 0 if not eligible else 1 if not free else 2
    return why


def next_best_reference(p: Problem, task: np.ndarray, vol: np.ndarray) -> list[int | None]:
    """Per assignment row: the cost (distance - bonus) of the cheapest eligible pair of its
    task whose volunteer does not serve that task already, by looking at every volunteer."""
    t, v, c, _, ok = geo_pairs(p)
    rows = set(zip(task.tolist(), vol.tolist(), strict=True))
    forbidden = set(zip(p.forbidden[0].tolist(), p.forbidden[1].tolist(), strict=True))
    bonus: dict[tuple[int, int], int] = {}
    for a, b, w in zip(*(x.tolist() for x in p.bonus), strict=True):
        bonus[(a, b)] = max(bonus.get((a, b), 0), w)
    best: dict[int, int] = {}
    for x, y, cost, good in zip(t.tolist(), v.tolist(), c.tolist(), ok.tolist(), strict=True):
        if good and (x, y) not in forbidden and (x, y) not in rows:
            best[x] = min(best.get(x, cost), cost - bonus.get((x, y), 0))
    return [best.get(x) for x in task.tolist()]


def brute_force(p: Problem) -> int | None:
    """Optimal objective by an exact MILP over every eligible pair (fixed arcs forced)."""
    t, v, c, h, b = eligible_pairs(p)
    fixed = set(zip(p.fixed[0].tolist(), p.fixed[1].tolist(), strict=True))
    e, nt, nv = t.size, p.n_tasks, p.n_vols
    steps = np.repeat(np.arange(nv), p.vol_max_tasks)  # fairness ladder, one unit per step
    rank = np.arange(steps.size) - np.repeat(
        np.cumsum(p.vol_max_tasks) - p.vol_max_tasks, p.vol_max_tasks
    )
    n = e + steps.size
    rows = np.concatenate([t, nt + v, nt + nv + v, nt + steps])
    cols = np.concatenate([np.arange(e)] * 3 + [e + np.arange(steps.size)])
    vals = np.concatenate([np.ones(2 * e), h, -np.ones(steps.size)])
    a = coo_matrix((vals, (rows, cols)), shape=(nt + 2 * nv, n))
    lo = np.concatenate([np.full(nt, -np.inf), np.zeros(nv), np.full(nv, -np.inf)])
    hi = np.concatenate([p.task_demand, np.zeros(nv), p.vol_max_hours + 1e-9])
    lb = np.zeros(n)
    lb[:e] = [1.0 if (x, y) in fixed else 0.0 for x, y in zip(t.tolist(), v.tolist(), strict=True)]
    obj = -np.concatenate([p.task_value[t] - c + b, -p.fairness_m * rank]).astype(float)
    r = milp(
        obj,
        constraints=LinearConstraint(a, lo, hi),
        integrality=np.r_[np.ones(e), np.zeros(steps.size)],
        bounds=Bounds(lb, np.ones(n)),
        options={"mip_rel_gap": 0},
    )
    if r.status == 2:  # infeasible: fixed arcs break a limit
        return None
    assert r.status == 0, r.message
    return int(round(-r.fun))
