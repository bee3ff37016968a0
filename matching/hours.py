"""Hour capacities: detect when they cannot bind (the flow is then exact) and otherwise solve
the generalised assignment problem within the time limit, with a proven bound.

The bound is the best of the flow relaxation (hours ignored), the LP relaxation with the hour
rows and the knapsack bound from the LP's task prices, each valid over every eligible pair. The
solution comes from slot flows (see hours_slots) started from the LP's rounding; small cases get
the exact MIP over every pair.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

import numpy as np

from matching.candidates import ArcSet, Space
from matching.flow import Residual, solve_flow
from matching.geo import chord_for_metres
from matching.greedy import greedy
from matching.hours_lagrange import knapsack_bound
from matching.hours_slots import fill, improve, profit
from matching.lp import LpBound, certified_lp
from matching.mip import solve_mip
from matching.pricing import all_relevant, relevant
from matching.result import Status

if TYPE_CHECKING:
    from matching.solve import Params

Array = np.ndarray
EPS_H = 1e-9
SMALL_MIP_ARCS = 100_000  # up to this many eligible pairs the exact MIP runs over all of them
LP_PRICE_ARCS = 3_000_000  # up to this many the LP relaxation is priced against all of them
POOL_RC = 500.0  # slot flows use the pairs whose LP reduced profit is above -POOL_RC
RESERVE_S = 0.25  # left at the end for the result's explanations
LP_SHARE = 0.4  # of the time left, at most this much for the LP rounds
FIRST_SEARCH = 0.3  # of the time left after the LP, at most this much for the first slot flows
KNAPSACK = 0.75  # then of the time left, at most this much for the knapsack bound
MIP_SHARE = 0.8  # of the time left, the exact MIP's time limit (it may run over)


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
    gain = res.value[chosen.task] - chosen.cost
    for v in np.flatnonzero(used > res.hours + EPS_H):
        idx = np.flatnonzero(chosen.vol == v)
        idx = idx[np.argsort(gain[idx] / np.maximum(chosen.load[idx], 1e-9))]
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
    then one slot flow over `arcs` re-routes them and fills the hours left."""
    kept = repair(res, support.take(np.flatnonzero(x > 0.5)))
    return fill(res, relevant(ArcSet.concat([kept, arcs]), res, res.cap.size), kept)


def _within_gap(value: int, bound: float, rel_gap: float) -> bool:
    return math.isfinite(bound) and bound - value <= rel_gap * max(1.0, abs(bound)) + 1e-9


def _pair_count(space: Space, res: Residual) -> int:
    """How many eligible-by-distance pairs full enumeration would produce (an upper bound)."""
    if space.p.geo is None:
        return space.p.arcs.task.size if space.p.arcs is not None else 0
    tasks = np.flatnonzero(res.demand > 0)
    radius = chord_for_metres(np.minimum(res.value[tasks] - 1, space.max_reach))
    counts = space.vol_tree.query_ball_point(space.task_xyz[tasks], radius, return_length=True)
    return int(np.sum(counts))


class _Clock:
    """The time left before the result must be assembled."""

    def __init__(self, params: Params, start: float) -> None:
        self.deadline = start + params.time_limit_s - min(RESERVE_S, 0.1 * params.time_limit_s)

    def left(self) -> float:
        return self.deadline - time.perf_counter()

    def share(self, fraction: float) -> float:
        """The moment when `fraction` of the time left will have passed."""
        return time.perf_counter() + fraction * max(self.left(), 0.0)


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
    """Hours bind. Re-route with the flow; then, when every eligible pair can be listed, either
    the exact MIP over all of them (small cases) or the LP bound over all of them, slot flows
    from the LP's rounding, the knapsack bound from the LP's prices and slot flows again,
    until the gap is closed or the time is up. Without a listing (too many pairs) slot flows
    over the candidates, bounded by the flow; in the k-nearest mode nothing is proven and the
    bound is nan."""
    clock = _Clock(params, start)
    quick = reflow(res, arcs, chosen)
    stats["reflow_profit"] = profit(res, quick)
    if proven and _within_gap(profit(res, quick), flow_bound, params.mip_rel_gap):
        stats["mip_skipped"] = True
        return quick, flow_bound, Status.OPTIMAL
    pairs = _pair_count(space, res) if proven else None
    everything = all_relevant(space, res) if pairs is not None and pairs <= LP_PRICE_ARCS else None
    starts = [quick, greedy(space, res)]
    if everything is not None and everything.size <= min(SMALL_MIP_ARCS, params.max_mip_arcs):
        return _exact_mip(res, everything, starts, flow_bound, params, clock, stats)
    bound, pool, lp = flow_bound if proven else math.inf, arcs, None
    if everything is not None:
        lp, pool, rounded = _lp(res, arcs, everything, clock, stats)
        bound = min(bound, lp.bound) if lp is not None else bound
        starts += rounded
    best = _search(res, pool, starts, bound, params, clock.share(FIRST_SEARCH), stats)
    if lp is not None and not _within_gap(profit(res, best), bound, params.mip_rel_gap):
        kp_clock = time.perf_counter()
        enough = (
            profit(res, best) / (1 - params.mip_rel_gap) if params.mip_rel_gap < 1 else math.inf
        )
        kp = knapsack_bound(
            res, everything, lp.duals, best, deadline=clock.share(KNAPSACK), enough=enough
        )
        stats.update(knapsack_bound=kp, knapsack_s=time.perf_counter() - kp_clock)
        bound = min(bound, math.inf if kp is None else kp)
    best = _search(res, pool, [best], bound, params, clock.deadline, stats)
    if not proven:
        return best, math.nan, Status.FEASIBLE
    return best, bound, _status(res, best, bound, params)


def _status(res: Residual, best: ArcSet, bound: float, params: Params) -> Status:
    """OPTIMAL only when the solution is within the requested gap of the proven bound."""
    ok = _within_gap(profit(res, best), bound, params.mip_rel_gap)
    return Status.OPTIMAL if ok else Status.FEASIBLE


def _lp(
    res: Residual, arcs: ArcSet, everything: ArcSet, clock: _Clock, stats: dict[str, object]
) -> tuple[LpBound | None, ArcSet, list[ArcSet]]:
    """The LP bound over every pair worth serving, the pairs slot flows should search (near
    zero LP reduced profit) and the LP's rounding. Without an LP (fairness on, or out of
    time) the candidate arcs and no rounding."""
    lp_clock = time.perf_counter()
    columns = _lp_columns(res, arcs, everything)
    lp = certified_lp(res, columns, everything, seconds=LP_SHARE * clock.left())
    stats["lp_s"] = time.perf_counter() - lp_clock
    if lp is None:
        return None, arcs, []
    near = everything.take(np.flatnonzero(lp.reduced > -POOL_RC))
    pool = relevant(ArcSet.concat([arcs, near]), res, res.cap.size)
    rounded = lp_rounding(res, lp.support, lp.x, pool)
    stats.update(lp_bound=lp.bound, lp_rounds=lp.rounds, lp_rounded=profit(res, rounded))
    return lp, pool, [rounded]


def _lp_columns(res: Residual, arcs: ArcSet, everything: ArcSet, per_task: int = 10) -> ArcSet:
    """The first LP's columns: the candidates and each task's cheapest pairs, which the
    hours may push it to when its nearest volunteers are full."""
    order = np.lexsort((everything.cost, everything.task))
    task = everything.task[order]
    cheap = order[np.arange(task.size) - np.searchsorted(task, task) < per_task]
    return relevant(ArcSet.concat([arcs, everything.take(cheap)]), res, res.cap.size)


def _search(
    res: Residual,
    pool: ArcSet,
    starts: list[ArcSet],
    bound: float,
    params: Params,
    deadline: float,
    stats: dict[str, object],
) -> ArcSet:
    """Slot flows over `pool` from the best start, until they stall or `deadline`; none when
    that start is already within the requested gap of `bound`."""
    best = max(starts, key=lambda a: profit(res, a))
    stats.setdefault("start_profit", profit(res, best))
    if _within_gap(profit(res, best), bound, params.mip_rel_gap):
        return best
    pool = relevant(ArcSet.concat([pool, best]), res, res.cap.size)
    clock = time.perf_counter()
    rng = np.random.default_rng([params.seed, int(stats.get("slot_rounds", 0))])
    best, rounds = improve(res, pool, best, rng, deadline)
    stats["slot_rounds"] = int(stats.get("slot_rounds", 0)) + rounds
    stats["slot_s"] = float(stats.get("slot_s", 0.0)) + time.perf_counter() - clock
    stats["slot_arcs"] = pool.size
    return best


def _exact_mip(
    res: Residual,
    everything: ArcSet,
    starts: list[ArcSet],
    flow_bound: float,
    params: Params,
    clock: _Clock,
    stats: dict[str, object],
) -> tuple[ArcSet, float, Status]:
    """The MIP over every eligible pair, whose own bound is global, after a short slot-flow
    search for a fallback should it find nothing in time. HiGHS only checks its time limit
    between steps, so it gets a share of the time left, not all of it."""
    fallback = _search(
        res, everything, starts, math.inf, params, clock.deadline - 0.8 * clock.left(), stats
    )
    sol = solve_mip(
        res,
        everything,
        time_limit_s=MIP_SHARE * clock.left(),
        seed=params.seed,
        threads=params.threads,
        rel_gap=params.mip_rel_gap,
    )
    stats.update(mip_arcs=everything.size, mip_complete=True, mip_bound=sol.bound)
    bound = min(flow_bound, sol.bound)
    best = fallback
    if sol.chosen is not None:
        best = max(best, everything.take(np.flatnonzero(sol.chosen)), key=lambda a: profit(res, a))
    return best, bound, _status(res, best, bound, params)
