"""Hour capacities: detect when they cannot bind (the flow is then exact) and otherwise solve
the generalised assignment problem within the time limit, with a proven bound.

The bound is the best of the flow relaxation (hours ignored), the LP relaxation with the hour
rows (lp) and the knapsack bounds of a subgradient search on the task prices (hours_lagrange),
each valid over every eligible pair. The assignment comes from slot flows (hours_slots) started
from the LP's rounding and from the volunteers' knapsacks at those prices (hours_search). Small
cases get the exact MIP over every pair (mip).
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

import numpy as np

from matching.accel.candidates import ArcSet, Space
from matching.certificate.lp import LpBound, certified_lp
from matching.certificate.pricing import all_relevant, relevant
from matching.flow import Residual, profit, solve_flow
from matching.geo import chord_for_metres
from matching.greedy import greedy
from matching.hours.hours_search import Clock, Goal, priced_search, search
from matching.hours.hours_slots import fill
from matching.mip import solve_mip
from matching.result import Status

if TYPE_CHECKING:
    from matching.solve import Params

Array = np.ndarray
EPS_H = 1e-9
SMALL_MIP_ARCS = 100_000  # up to this many eligible pairs the exact MIP runs over all of them
LP_PRICE_ARCS = 3_000_000  # up to this many the LP relaxation is priced against all of them
POOL_RC = 500.0  # slot flows use the pairs whose LP reduced profit is above -POOL_RC
LP_SHARE = 0.4  # of the searches' time, at most this much for the LP rounds
FIRST_SEARCH = 0.05  # of their time left after the LP, at most this much for first slot flows
BEFORE_MIP = 0.3  # with few pairs, of the time left, the anytime searches' share before the MIP
MIP_SHARE = 0.9  # then of the time left, the exact MIP's at most (less its overrun, below)
ROUND_S = 1.5e-5  # seconds per arc of a HiGHS root step, which its time limit cannot stop


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
    """An integer solution from the LP: keep the arcs it mostly takes (cut back to every
    limit), then one slot flow over `arcs` re-routes them and fills the hours left."""
    kept = within_limits(res, support.take(np.flatnonzero(x > 0.5)))
    return fill(res, relevant(ArcSet.concat([kept, arcs]), res, res.cap.size), kept)


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
    """Hours bind. Re-route with the flow; then, when every eligible pair can be listed, the
    LP bound over all of them, slot flows from the LP's rounding, priced search (knapsack
    bounds and assignments) and slot flows again, until the gap is closed or the time is up;
    when they are few, that for a share of the time and then the exact MIP over all of them.
    Without a listing (too many pairs) or without an LP (fairness on) slot flows over the
    candidates, bounded by the flow; in the k-nearest mode nothing is proven (bound nan)."""
    clock = Clock(params, start)
    goal = Goal(params.mip_rel_gap, _fixed_objective(space, res), params.seed)
    quick = reflow(res, arcs, chosen)
    stats["reflow_profit"] = profit(res, quick)
    if proven and goal.met(profit(res, quick), flow_bound):
        stats["mip_skipped"] = True
        return quick, flow_bound, Status.OPTIMAL
    pairs = _pair_count(space, res) if proven else None
    everything = all_relevant(space, res) if pairs is not None and pairs <= LP_PRICE_ARCS else None
    exact = everything is not None and everything.size <= min(SMALL_MIP_ARCS, params.max_mip_arcs)
    deadline = clock.share(BEFORE_MIP) if exact else clock.deadline
    bound = flow_bound if proven else math.inf
    best, bound = _anytime(space, res, arcs, everything, quick, bound, goal, deadline, stats)
    if exact and not goal.met(profit(res, best), bound):
        assert everything is not None
        best, bound = _exact_mip(res, everything, best, bound, params, clock, stats)
        best = search(res, everything, [best], bound, goal, clock.deadline, stats)
    best = within_limits(res, best)
    if not proven:
        return best, math.nan, Status.FEASIBLE
    return best, bound, _status(res, best, bound, goal)


def _anytime(
    space: Space,
    res: Residual,
    arcs: ArcSet,
    everything: ArcSet | None,
    quick: ArcSet,
    bound: float,
    goal: Goal,
    deadline: float,
    stats: dict[str, object],
) -> tuple[ArcSet, float]:
    """The searches that improve with time and stop at `deadline`: the LP (over every pair
    in `everything`, when listed) and its rounding, slot flows, priced search, slot flows.
    Returns the best assignment and the best proven bound (never above `bound`)."""
    pool, lp, starts = arcs, None, [quick]
    if everything is not None:
        seconds = LP_SHARE * (deadline - time.perf_counter())
        lp, pool, rounded = _lp(res, arcs, everything, seconds, stats)
        bound = min(bound, lp.bound) if lp is not None else bound
        starts += rounded
    if lp is None:
        starts.append(greedy(space, res))
    first = time.perf_counter() + FIRST_SEARCH * (deadline - time.perf_counter())
    best = search(res, pool, starts, bound, goal, first, stats)
    if lp is not None and not goal.met(profit(res, best), bound):
        assert everything is not None
        best, bound = priced_search(
            res, everything, lp.duals, pool, best, bound, goal, deadline, stats
        )
    return search(res, pool, [best], bound, goal, deadline, stats), bound


def within_limits(res: Residual, best: ArcSet) -> ArcSet:
    """`best` cut back to respect every limit: the most profitable arcs within each
    volunteer's count, then within each task's demand, then hours repaired. Searches keep
    every limit; this guards their result, and makes the LP's rounding a solution."""
    b = best.take(np.argsort(-(res.value[best.task] - best.cost), kind="stable"))
    b = b.take(np.flatnonzero(_rank_within(b.vol) < res.cap[b.vol]))
    b = b.take(np.flatnonzero(_rank_within(b.task) < res.demand[b.task]))
    if b.size == best.size and hours_fit(res, best):
        return best
    return repair(res, b)


def _rank_within(group: Array) -> Array:
    """Each element's position among those of its group, in the given order."""
    order = np.argsort(group, kind="stable")
    rank = np.empty(group.size, np.int64)
    rank[order] = np.arange(group.size) - np.searchsorted(group[order], group[order])
    return rank


def _status(res: Residual, best: ArcSet, bound: float, goal: Goal) -> Status:
    """OPTIMAL only when the solution is within the requested gap of the proven bound."""
    return Status.OPTIMAL if goal.met(profit(res, best), bound) else Status.FEASIBLE


def _fixed_objective(space: Space, res: Residual) -> float:
    """What the fixed arcs make, fairness included (the result counts it in its gap)."""
    ft, fv = space.p.fixed
    dist, _, _ = space.measure(ft, fv)
    made = int((space.p.task_value[ft] - dist + space.bonus_of(ft, fv)).sum())
    n = res.fair_start.astype(np.int64)
    return float(made - res.fairness_m * int((n * (n - 1) // 2).sum()))


def _lp(
    res: Residual, arcs: ArcSet, everything: ArcSet, seconds: float, stats: dict[str, object]
) -> tuple[LpBound | None, ArcSet, list[ArcSet]]:
    """The LP bound over every pair worth serving, the pairs slot flows should search (near
    zero LP reduced profit) and the LP's rounding. Without an LP (fairness on, or out of
    time) the candidate arcs and no rounding."""
    lp_clock = time.perf_counter()
    columns = _lp_columns(res, arcs, everything)
    lp = certified_lp(res, columns, everything, seconds=seconds)
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


def _exact_mip(
    res: Residual,
    everything: ArcSet,
    best: ArcSet,
    bound: float,
    params: Params,
    clock: Clock,
    stats: dict[str, object],
) -> tuple[ArcSet, float]:
    """The MIP over every eligible pair: its bound is global, and it may prove optimality.
    HiGHS checks its time limit only between the steps of its root (cut rounds of about
    ROUND_S per arc here), so that much is kept back, and the MIP is skipped without time."""
    seconds = MIP_SHARE * clock.left() - ROUND_S * everything.size
    if seconds <= 0:
        return best, bound
    sol = solve_mip(
        res,
        everything,
        time_limit_s=seconds,
        seed=params.seed,
        threads=params.threads,
        rel_gap=params.mip_rel_gap,
    )
    stats.update(mip_arcs=everything.size, mip_complete=True, mip_bound=sol.bound)
    if sol.chosen is not None:
        found = everything.take(np.flatnonzero(sol.chosen))
        best = max(best, found, key=lambda a: profit(res, a))
    return best, min(bound, sol.bound)
