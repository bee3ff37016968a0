"""Hour capacities: detect when they cannot bind (the flow is then exact) and otherwise solve
the generalised assignment MIP, bounded by the certified flow relaxation."""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

import numpy as np

from matching.candidates import ArcSet, Space
from matching.flow import Residual, solve_flow
from matching.geo import chord_for_metres
from matching.greedy import greedy
from matching.lp import certified_lp
from matching.mip import solve_mip
from matching.pricing import all_relevant, relevant
from matching.result import Status

if TYPE_CHECKING:
    from matching.solve import Params

Array = np.ndarray
EPS_H = 1e-9
SMALL_MIP_ARCS = 100_000  # up to this many eligible pairs the exact MIP runs over all of them
LP_PRICE_ARCS = 3_000_000  # up to this many the LP relaxation is priced against all of them


def hours_cannot_bind(space: Space, res: Residual) -> bool:
    """True when no volunteer's hours can bind: its max tasks of its heaviest arcs fit."""
    fin = np.isfinite(res.hours) & (res.cap > 0)
    if not fin.any():
        return True
    if space.p.geo is not None:
        g = space.p.geo
        open_t = res.demand > 0
        max_h = float(space.p.task_hours[open_t].max()) if open_t.any() else 0.0
        heaviest = max_h + 2.0 * g.vol_max_distance_m / g.speed_mps / 3600.0
        return bool((res.cap[fin] * heaviest[fin] <= res.hours[fin] + EPS_H).all())
    a = relevant(space.all_explicit(), res, space.nv)
    order = np.lexsort((-a.load, a.vol))
    v_sorted = a.vol[order]
    rank = np.arange(order.size) - np.searchsorted(v_sorted, v_sorted)
    top = rank < res.cap[v_sorted]
    heavy = np.bincount(v_sorted[top], weights=a.load[order][top], minlength=res.cap.size)
    return bool((heavy[fin] <= res.hours[fin] + EPS_H).all())


def hours_fit(res: Residual, chosen: ArcSet) -> bool:
    """Whether the chosen arcs respect every volunteer's remaining hours."""
    used = np.bincount(chosen.vol, weights=chosen.load, minlength=res.cap.size)
    return bool((used <= res.hours + EPS_H).all())


def repair(res: Residual, chosen: ArcSet) -> ArcSet:
    """Make a solution hour-feasible by dropping, per overloaded volunteer, the arcs with the
    least profit per hour until the rest fits."""
    used = np.bincount(chosen.vol, weights=chosen.load, minlength=res.cap.size)
    keep = np.ones(chosen.size, dtype=bool)
    profit = res.value[chosen.task] - chosen.cost
    for v in np.flatnonzero(used > res.hours + EPS_H):
        idx = np.flatnonzero(chosen.vol == v)
        idx = idx[np.argsort(profit[idx] / np.maximum(chosen.load[idx], 1e-9))]
        for i in idx:
            if used[v] <= res.hours[v] + EPS_H:
                break
            keep[i] = False
            used[v] -= chosen.load[i]
    return chosen.take(np.flatnonzero(keep))


def reflow(res: Residual, arcs: ArcSet, chosen: ArcSet, rounds: int = 4) -> ArcSet:
    """A better hour-feasible solution than dropping arcs: lower each overloaded volunteer's task
    count to what its hours carried after repair, and let the flow re-route the freed tasks."""
    cap = res.cap.copy()
    for _ in range(rounds):
        if hours_fit(res, chosen):
            return chosen
        kept = repair(res, chosen)
        used = np.bincount(chosen.vol, weights=chosen.load, minlength=cap.size)
        over = used > res.hours + EPS_H
        cap[over] = np.minimum(cap[over], np.bincount(kept.vol, minlength=cap.size)[over])
        trial = Residual(res.value, res.demand, cap, res.hours, res.fair_start, res.fairness_m)
        chosen = arcs.take(np.flatnonzero(solve_flow(trial, arcs).chosen))
    return repair(res, chosen)


def lp_rounding(res: Residual, support: ArcSet, x: Array, arcs: ArcSet) -> ArcSet:
    """An integer solution from the LP: keep the arcs it mostly takes (made hour-feasible),
    then let the flow serve what is left with what capacity is left."""
    kept = repair(res, support.take(np.flatnonzero(x > 0.5)))
    used_n = np.bincount(kept.vol, minlength=res.cap.size)
    used_h = np.bincount(kept.vol, weights=kept.load, minlength=res.cap.size)
    rest = Residual(
        res.value,
        res.demand - np.bincount(kept.task, minlength=res.demand.size),
        res.cap - used_n,
        res.hours - used_h,
        res.fair_start + used_n,
        res.fairness_m,
    )
    free = arcs.take(np.flatnonzero((rest.demand[arcs.task] > 0) & (rest.cap[arcs.vol] > 0)))
    if free.size == 0:
        return kept
    filled = free.take(np.flatnonzero(solve_flow(rest, free).chosen))
    return ArcSet.concat([kept, reflow(rest, free, filled)])


def _within_gap(profit: int, bound: float, rel_gap: float) -> bool:
    return math.isfinite(bound) and bound - profit <= rel_gap * max(1.0, abs(bound)) + 1e-9


def _profit(res: Residual, arcs: ArcSet) -> int:
    """Objective of residual arcs, fairness included (ladder from the fixed arcs)."""
    n = np.bincount(arcs.vol, minlength=res.cap.size).astype(np.int64)
    s0 = res.fair_start.astype(np.int64)
    ladder = ((s0 + n) * (s0 + n - 1) - s0 * (s0 - 1)) // 2
    return int((res.value[arcs.task] - arcs.cost).sum()) - res.fairness_m * int(ladder.sum())


def _pair_count(space: Space, res: Residual) -> int:
    """How many eligible-by-distance pairs full enumeration would produce (an upper bound)."""
    if space.p.geo is None:
        return space.p.arcs.task.size if space.p.arcs is not None else 0
    tasks = np.flatnonzero(res.demand > 0)
    radius = chord_for_metres(np.minimum(res.value[tasks] - 1, space.max_reach))
    counts = space.vol_tree.query_ball_point(space.task_xyz[tasks], radius, return_length=True)
    return int(np.sum(counts))


def optimise_with_hours(
    space: Space,
    res: Residual,
    arcs: ArcSet,
    chosen: ArcSet,
    flow_bound: float,
    proven: bool,
    params: Params,
    start: float,
    stats: dict[str, object],
) -> tuple[ArcSet, float, Status]:
    """Hours bind. In order, stopping as soon as the best solution is within the requested gap
    of the best proven bound: re-route with the flow (bound: the flow relaxation); when every
    eligible pair fits in `max_mip_arcs`, either the exact MIP over all of them (small cases) or
    the LP relaxation certified over all of them (a much tighter bound) and a MIP over the LP's
    support for a better solution."""
    quick = reflow(res, arcs, chosen)
    stats["reflow_profit"] = _profit(res, quick)
    if proven and _within_gap(_profit(res, quick), flow_bound, params.mip_rel_gap):
        stats["mip_skipped"] = True
        return quick, flow_bound, Status.OPTIMAL
    pairs = _pair_count(space, res) if proven else None
    everything = all_relevant(space, res) if pairs is not None and pairs <= LP_PRICE_ARCS else None
    if everything is not None and everything.size <= min(SMALL_MIP_ARCS, params.max_mip_arcs):
        return _exact_mip(space, res, everything, quick, flow_bound, params, start, stats)
    bound, mip_arcs = flow_bound, arcs
    if everything is not None:
        left = params.time_limit_s - (time.perf_counter() - start)
        lp = certified_lp(res, arcs, everything, seconds=0.5 * left, threads=params.threads)
        if lp is not None:
            bound = min(bound, lp.bound)
            mip_arcs = relevant(ArcSet.concat([lp.support, quick]), res, space.nv)
            rounded = lp_rounding(res, lp.support, lp.x, arcs)
            stats.update(
                lp_bound=lp.bound,
                lp_rounds=lp.rounds,
                lp_support=lp.support.size,
                lp_rounded=_profit(res, rounded),
            )
            quick = max(quick, rounded, key=lambda a: _profit(res, a))
    if proven and _within_gap(_profit(res, quick), bound, params.mip_rel_gap):
        return quick, bound, Status.OPTIMAL
    left = params.time_limit_s - (time.perf_counter() - start)
    sol = solve_mip(
        res,
        mip_arcs,
        time_limit_s=left,
        seed=params.seed,
        threads=params.threads,
        rel_gap=params.mip_rel_gap,
    )
    stats.update(mip_arcs=mip_arcs.size, mip_complete=False)
    candidates = [quick, greedy(space, res)]
    if sol.chosen is not None:
        candidates.append(mip_arcs.take(np.flatnonzero(sol.chosen)))
    best = max(candidates, key=lambda a: _profit(res, a))
    ok = proven and _within_gap(_profit(res, best), bound, params.mip_rel_gap)
    return best, (bound if proven else math.nan), Status.OPTIMAL if ok else Status.FEASIBLE


def _exact_mip(
    space: Space,
    res: Residual,
    everything: ArcSet,
    quick: ArcSet,
    flow_bound: float,
    params: Params,
    start: float,
    stats: dict[str, object],
) -> tuple[ArcSet, float, Status]:
    """The MIP over every eligible pair: its own bound is global."""
    left = params.time_limit_s - (time.perf_counter() - start)
    sol = solve_mip(
        res,
        everything,
        time_limit_s=left,
        seed=params.seed,
        threads=params.threads,
        rel_gap=params.mip_rel_gap,
    )
    stats.update(mip_arcs=everything.size, mip_complete=True, mip_bound=sol.bound)
    bound = min(flow_bound, sol.bound)
    fallback = max(quick, greedy(space, res), key=lambda a: _profit(res, a))
    if sol.chosen is None:
        return fallback, bound, Status.FEASIBLE
    best = everything.take(np.flatnonzero(sol.chosen))
    status = Status.OPTIMAL if sol.proven else Status.FEASIBLE
    if _profit(res, fallback) > _profit(res, best):
        best, status = fallback, Status.FEASIBLE
    return best, bound, status
