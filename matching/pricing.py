"""Certified pruning: solve on a small candidate set, then prove optimality over every eligible
pair with the flow's dual prices, adding only the pairs whose reduced cost is negative.

A pair (t, v) outside the set cannot improve the flow when its reduced cost
dist - bonus + pi(task t) - pi(volunteer v) is >= 0. Pricing therefore looks, per task, only
within the radius pi(v) - pi(t) (bounded by the task's value and the travel limit), and skips
tasks whose k-th nearest volunteer is already farther than that radius.
"""

from __future__ import annotations

import time

import numpy as np

from matching.candidates import ArcSet, Space, in_sorted
from matching.flow import FlowSolution, Residual, solve_flow
from matching.geo import chord_for_metres

Array = np.ndarray
N_BUCKETS = 6


def relevant(arcs: ArcSet, res: Residual, nv: int) -> ArcSet:
    """Drop duplicate pairs, closed endpoints and arcs never worth serving (value <= cost):
    removing such an arc from any solution never lowers the objective."""
    keys = arcs.task * nv + arcs.vol
    _, first = np.unique(keys, return_index=True)
    a = arcs.take(first)
    ok = (res.demand[a.task] > 0) & (res.cap[a.vol] > 0) & (res.value[a.task] > a.cost)
    return a.take(np.flatnonzero(ok))


def initial_arcs(space: Space, res: Residual, k: int) -> tuple[ArcSet, Array]:
    """k nearest (geography) or k cheapest (explicit arcs) per task, plus continuity pairs."""
    nv, nt = space.nv, space.p.n_tasks
    tasks = np.flatnonzero(res.demand > 0)
    if space.p.geo is not None:
        near, lower = space.k_nearest(k, tasks)
    else:
        a = relevant(space.all_explicit(), res, nv)
        order = np.lexsort((a.cost, a.task))
        t_sorted = a.task[order]
        rank = np.arange(order.size) - np.searchsorted(t_sorted, t_sorted)
        near, lower = a.take(order[rank < k]), np.zeros(nt)
    bt, bv, _ = space.p.bonus
    bonus = space.arcs_for(bt, bv)
    return relevant(ArcSet.concat([near, bonus]), res, nv), lower


def all_relevant(space: Space, res: Residual) -> ArcSet:
    """Every eligible pair worth serving (full enumeration, chunked)."""
    if space.p.geo is None:
        return relevant(space.all_explicit(), res, space.nv)
    tasks = np.flatnonzero(res.demand > 0)
    radius = np.minimum(res.value[tasks] - 1, space.max_reach)
    vols = np.flatnonzero(res.cap > 0)
    parts = [space.arcs_for(t, v) for t, v, _ in space.pairs_within(tasks, radius, vols)]
    bt, bv, _ = space.p.bonus
    parts.append(space.arcs_for(bt, bv))
    return relevant(ArcSet.concat(parts), res, space.nv)


def violations(
    space: Space, res: Residual, arcs: ArcSet, sol: FlowSolution, lower: Array, margin: int = 0
) -> ArcSet:
    """Eligible pairs outside `arcs` with reduced cost below `margin` (0: the violations of the
    optimality certificate; a positive margin also fetches arcs likely to be needed next)."""
    nv = space.nv
    set_keys = np.sort(arcs.task * nv + arcs.vol)
    pt, pv = sol.pot_task, sol.pot_vol
    if space.p.geo is None:
        a = relevant(space.all_explicit(), res, nv)
        bad = (a.cost + pt[a.task] - pv[a.vol] < margin) & ~in_sorted(set_keys, a.task * nv + a.vol)
        return a.take(np.flatnonzero(bad))
    limit = space.p.geo.vol_max_distance_m
    tasks = np.flatnonzero(res.demand > 0)
    vols = np.flatnonzero(res.cap > 0)
    found = [ArcSet.empty()]
    if vols.size == 0:
        return found[0]
    # volunteers grouped by potential: cheap (busy) volunteers get small search radii
    edges = np.unique(np.quantile(pv[vols], np.linspace(0, 1, N_BUCKETS + 1)[1:-1]))
    bucket = np.searchsorted(edges, pv[vols])
    for b in np.unique(bucket):
        vb = vols[bucket == b]
        top = int(pv[vb].max())
        radius = np.minimum.reduce(
            [np.full(tasks.size, int(limit[vb].max())), top - pt[tasks] - 1 + margin,
             res.value[tasks] - 1]
        )
        need = (radius >= 0) & (radius >= lower[tasks])
        for t, v, chord in space.pairs_within(tasks[need], radius[need], vb):
            thr = np.minimum.reduce([pv[v] - pt[t] - 1 + margin, res.value[t] - 1, limit[v]])
            keep = np.flatnonzero((thr >= 0) & (chord <= chord_for_metres(thr)))
            a = space.arcs_for(t[keep], v[keep])
            rc = a.cost + pt[a.task] - pv[a.vol]
            bad = (rc < margin) & ~in_sorted(set_keys, a.task * nv + a.vol)
            found.append(a.take(np.flatnonzero(bad)))
    return relevant(ArcSet.concat(found), res, nv)


def certified_flow(
    space: Space,
    res: Residual,
    k: int,
    stats: dict[str, object],
    max_rounds: int = 1000,
    keep_rc: int = 100,
    prune_rounds: int = 2,
    margin: int = 100,
) -> tuple[ArcSet, FlowSolution]:
    """Solve on the k-candidate set and grow it until the dual certificate holds.

    A pool holds every arc generated so far; the flow runs on its active part. In the first
    `prune_rounds` rounds arcs whose reduced cost exceeds `keep_rc` are deactivated (they stay
    in the pool and are re-checked every round), which keeps each flow small; afterwards the
    active set only grows, so the loop terminates. Returns the active arcs and the flow over
    them, optimal over all eligible pairs; timings and rounds go to `stats`."""
    clock = time.perf_counter()
    pool, lower = initial_arcs(space, res, k)
    active = np.ones(pool.size, dtype=bool)
    stats["candidates_s"] = time.perf_counter() - clock
    flow_s = price_s = 0.0
    for rounds in range(1, max_rounds + 1):
        clock = time.perf_counter()
        idx = np.flatnonzero(active)
        sol = solve_flow(res, pool.take(idx))
        flow_s += time.perf_counter() - clock
        clock = time.perf_counter()
        rc = pool.cost + sol.pot_task[pool.task] - sol.pot_vol[pool.vol]
        stale = (rc < 0) & ~active
        extra = violations(space, res, pool, sol, lower, margin if rounds <= prune_rounds else 0)
        price_s += time.perf_counter() - clock
        if not stale.any() and (extra.size == 0 or not (
            extra.cost + sol.pot_task[extra.task] - sol.pot_vol[extra.vol] < 0).any()):
            stats.update(pricing_rounds=rounds, flow_solve_s=flow_s, pricing_s=price_s,
                         pool_arcs=pool.size)
            return pool.take(idx), sol
        if rounds <= prune_rounds:
            used = np.zeros(pool.size, dtype=bool)
            used[idx[sol.chosen]] = True
            active = (rc <= keep_rc) | used
        active |= stale
        pool = ArcSet.concat([pool, extra])
        active = np.r_[active, np.ones(extra.size, dtype=bool)]
    raise RuntimeError("pricing did not converge")
