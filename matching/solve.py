"""solve(problem, params) -> Result: exact when it says so, always within a time limit."""

from __future__ import annotations

import dataclasses
import enum
import math
import time
from dataclasses import dataclass

import numpy as np

from matching.accel.candidates import ArcSet, Space
from matching.accel.parallel import Workers
from matching.certificate.certify import Tuning, certified_flow, trivial_bound
from matching.certificate.pricing import all_relevant_until, initial_arcs
from matching.explain import next_best, unserved_reasons
from matching.flow import FlowSolution, Residual, solve_flow
from matching.geo import morton_code
from matching.greedy import greedy
from matching.hours.hours import hours_cannot_bind, hours_fit, optimise_with_hours
from matching.problem import Problem, permuted
from matching.result import Result, Status, breakdown

SORT_MIN_TASKS = 2_000  # below this the copy costs more than it saves


class Mode(enum.StrEnum):
    CERTIFIED = "certified"  # k-nearest candidates + dual pricing: optimal over all eligible pairs
    FULL = "full"  # enumerate every eligible pair (reference; slow on big instances)
    KNEAREST = "knearest"  # k-nearest candidates only, no certificate
    GREEDY = "greedy"  # highest value first, nearest free volunteer


# The certified solve's first candidates per task: fewer nearest volunteers make a first flow
# that falls apart into independent parts (measured on the city: 16 nearest, 2.1 M arcs, 3.9 s
# against 40 nearest, 5.2 M arcs in one piece, 15 s; the district is the same either way).
CERTIFIED_FIRST_K = 16
# Worker processes pay off from about this size (booting two costs about a second of CPU; the
# sub-district's 2,000 tasks solve in a quarter of that).
PROCESSES_MIN_TASKS = 10_000
# Eligible pairs per task up to which the certified mode lists them all and solves once, at
# FULL_GUARD_TASKS open tasks; on fewer tasks the threshold rises as FULL_GUARD_TASKS / tasks
# to the power FULL_GUARD_SCALE, up to FULL_GUARD_CAP times (81 on the sub-district, 30 on the
# district, 11 on the city). Measured after the volunteer-side enumeration (run 5 in
# bench/results/2026-12-05-families.md, fresh processes alternating): on the sub-district
# listing beat the rounds at 35 and 59 pairs a task (0.07 against 0.09 s, 0.12 against
# 0.19 s); on the district one round beat listing at 36 a task (tight reach, 0.72 against
# 0.78 s) and four rounds tied it at 79 (scarce volunteers, 1.46 against 1.45 s, with half
# the peak memory).
FULL_GUARD_PAIRS = 30
FULL_GUARD_TASKS = 20_000
FULL_GUARD_SCALE = 0.43
FULL_GUARD_CAP = 2.7
# the guard counts this many sampled tasks first, and stops there at more than GUARD_CLEAR
# times its threshold
GUARD_FIRST = 40
GUARD_CLEAR = 2.0
# kept back from the time limit for the result's explanations (at most a tenth of the limit)
EXPLAIN_RESERVE_S = 0.25


@dataclass(frozen=True)
class Params:
    """Solver parameters: always a time limit, a seed and a thread count."""

    time_limit_s: float = 30.0
    seed: int = 0
    threads: int = 1
    mode: Mode = Mode.CERTIFIED
    k: int = 40  # candidates per task for the pruned solve (the certified one starts from
    # at most CERTIFIED_FIRST_K of them: pricing adds what is missing)
    mip_rel_gap: float = 0.0  # relative gap at which the hours MIP may stop
    max_mip_arcs: int = 200_000  # above this the MIP runs on the certified candidate set
    # next-best volunteers over every eligible one (not only the candidates generated) and
    # reasons for unserved tasks: a nearest-neighbour query per task, a range query for a few
    explain: bool = True
    # how the certified solve gets there (accelerations; Tuning.plain() turns them off): the
    # optimum it certifies is the same either way
    tuning: Tuning = Tuning()


def objective(problem: Problem, arcs: ArcSet) -> int:
    """Sum of (value - distance + bonus) over arcs, minus the fairness cost of each volunteer."""
    served = int((problem.task_value[arcs.task] - arcs.cost).sum())
    n = np.bincount(arcs.vol, minlength=problem.n_vols).astype(np.int64)
    return served - problem.fairness_m * int((n * (n - 1) // 2).sum())


def _residual(problem: Problem, space: Space) -> tuple[ArcSet, Residual, bool]:
    """Take the fixed arcs out: what remains of each demand, count and hour capacity."""
    ft, fv = problem.fixed
    if np.unique(ft * space.nv + fv).size != ft.size:
        raise ValueError("duplicate fixed arc")
    dist, load, _ = space.measure(ft, fv)
    fixed = ArcSet(ft, fv, dist, load, space.bonus_of(ft, fv))
    n_fixed = np.bincount(fv, minlength=problem.n_vols)
    res = Residual(
        value=problem.task_value,
        demand=problem.task_demand - np.bincount(ft, minlength=problem.n_tasks),
        cap=problem.vol_max_tasks - n_fixed,
        hours=problem.vol_max_hours - np.bincount(fv, weights=load, minlength=problem.n_vols),
        fair_start=n_fixed,
        fairness_m=problem.fairness_m,
    )
    ok = bool((res.demand >= 0).all() and (res.cap >= 0).all() and (res.hours >= -1e-9).all())
    return fixed, res, ok


def solve(problem: Problem, params: Params | None = None) -> Result:
    """Assign volunteers to tasks maximising served value minus travel (see docs/matching.md).

    A large geographic problem is solved on a copy with tasks and volunteers sorted along a
    Z-order curve (nearby ones next to each other in memory: measured 10% faster on the city,
    twice as fast candidate lists on the district) and the answer mapped back."""
    params = params or Params()
    small = problem.n_tasks < SORT_MIN_TASKS
    if problem.geo is None or small or params.mode == Mode.GREEDY:  # greedy breaks ties by id
        return _solve(problem, params)
    g = problem.geo
    task_order = np.argsort(morton_code(g.task_lat, g.task_lng), kind="stable")
    vol_order = np.argsort(morton_code(g.vol_lat, g.vol_lng), kind="stable")
    r = _solve(permuted(problem, task_order, vol_order), params)
    nb = r.next_best_volunteer
    return dataclasses.replace(
        r,
        task=task_order[r.task],
        volunteer=vol_order[r.volunteer],
        next_best_volunteer=np.where(nb >= 0, vol_order[np.maximum(nb, 0)], -1),
        unserved_task=task_order[r.unserved_task],
    )


def _solve(problem: Problem, params: Params) -> Result:
    start = time.perf_counter()
    space = Space(problem)
    fixed, res, ok = _residual(problem, space)
    stats: dict[str, object] = {"mode": str(params.mode)}
    if not ok:
        empty = ArcSet.empty()
        return _finish(
            space, fixed, empty, empty, Status.INFEASIBLE, math.nan, stats, params, start
        )
    if params.mode == Mode.GREEDY:
        chosen = greedy(space, res, params.k)
        return _finish(
            space, fixed, chosen, chosen, Status.FEASIBLE, math.nan, stats, params, start
        )
    boot = params.mode == Mode.CERTIFIED and problem.n_tasks >= PROCESSES_MIN_TASKS
    deadline = start + params.time_limit_s - min(EXPLAIN_RESERVE_S, 0.1 * params.time_limit_s)
    with Workers(params.threads, boot=boot) as workers:
        arcs, sol, seen, flow_bound = _optimal_flow(space, res, params, stats, workers, deadline)
    stats["candidate_arcs"] = arcs.size
    stats["flow_s"] = time.perf_counter() - start
    proven = params.mode != Mode.KNEAREST and not math.isnan(flow_bound)
    chosen = arcs.take(np.flatnonzero(sol.chosen))
    res_bound = flow_bound if proven else math.nan
    if proven and sol.profit >= flow_bound:
        status = Status.OPTIMAL
    elif stats.get("flow_done", True):
        status = Status.FEASIBLE
    else:  # the time ran out before any flow
        status = Status.TIMED_OUT
    if status != Status.TIMED_OUT and not hours_cannot_bind(space, res):
        if not hours_fit(res, chosen):
            # every arc generated, not just the active ones: re-routing needs the alternatives
            chosen, res_bound, status = optimise_with_hours(
                space, res, seen, chosen, res_bound, proven, params, start, stats
            )
        elif proven and sol.profit < flow_bound:
            status = Status.FEASIBLE
    bound = objective(problem, fixed) + res_bound
    return _finish(space, fixed, chosen, seen, status, bound, stats, params, start)


def full_guard_pairs(n_tasks: int) -> float:
    """Eligible pairs per task up to which listing them all is the cheaper proof."""
    scale = (FULL_GUARD_TASKS / max(n_tasks, 1)) ** FULL_GUARD_SCALE
    return FULL_GUARD_PAIRS * min(scale, FULL_GUARD_CAP)  # small ones: as on the sub-district


def _few_pairs(space: Space, res: Residual, sample: int = 400) -> bool:
    """Whether a random sample of the open tasks has at most full_guard_pairs(open tasks)
    eligible pairs per task within their value's reach (run 5, 2026-12-05: listing beat the
    rounds at 35 and 59 a task on the sub-district, lost to one round at 36 on the district).

    The first GUARD_FIRST sampled tasks are counted alone: at more than GUARD_CLEAR times the
    threshold the answer is no without counting the rest (a wide reach costs the whole sample
    as much as a small instance's plain solve)."""
    tasks = np.flatnonzero(res.demand > 0)
    if space.p.geo is None or tasks.size == 0:
        return False
    rng = np.random.default_rng(0)
    pick = rng.choice(tasks, min(sample, tasks.size), replace=False)
    limit = full_guard_pairs(tasks.size)

    def count(part: np.ndarray) -> int:
        part = np.sort(part)
        radius = np.minimum(res.value[part] - 1, space.max_reach)
        return sum(space.arcs_for(t, v).size for t, v, _ in space.pairs_within(part, radius))

    first = count(pick[:GUARD_FIRST])
    if first > GUARD_CLEAR * limit * min(GUARD_FIRST, pick.size):
        return False
    return first + count(pick[GUARD_FIRST:]) <= limit * pick.size


def _optimal_flow(
    space: Space,
    res: Residual,
    params: Params,
    stats: dict[str, object],
    workers: Workers,
    deadline: float,
) -> tuple[ArcSet, FlowSolution, ArcSet, float]:
    """The count-capacity flow of the mode: its arcs, the solution, every arc generated and
    the bound proven over all eligible pairs (nan: none). Past `deadline` the certified solve
    returns its last flow with the bound of its prices; the full enumeration, nothing."""
    if params.mode == Mode.CERTIFIED and params.tuning.full_guard and _few_pairs(space, res):
        stats["path"] = "full"  # enumerating every pair and one flow is the cheaper proof
        params = dataclasses.replace(params, mode=Mode.FULL)
    if params.mode == Mode.CERTIFIED:
        k = min(params.k, CERTIFIED_FIRST_K)
        cert = certified_flow(space, res, k, stats, params.tuning, params.seed, workers, deadline)
        stats["flow_done"] = bool(stats.get("pricing_rounds"))
        return cert.arcs, cert.flow, cert.pool, cert.bound
    clock = time.perf_counter()
    if params.mode == Mode.FULL:
        every = all_relevant_until(space, res, deadline, workers)
        stats["candidates_s"] = time.perf_counter() - clock
        if every is None:
            stats["flow_done"] = False
            nothing = FlowSolution(np.zeros(0, dtype=bool), 0)
            return ArcSet.empty(), nothing, ArcSet.empty(), float(trivial_bound(space, res))
        sol = solve_flow(res, every, space.node_code, workers)
        return every, sol, every, float(sol.profit)
    arcs, _ = initial_arcs(space, res, params.k, workers)
    stats["candidates_s"] = time.perf_counter() - clock
    return arcs, solve_flow(res, arcs, space.node_code, workers), arcs, math.nan


def _finish(
    space: Space,
    fixed: ArcSet,
    chosen: ArcSet,
    cands: ArcSet,
    status: Status,
    bound: float,
    stats: dict[str, object],
    params: Params,
    start: float,
) -> Result:
    """Assemble the Result: assignment rows, explanations, breakdown and gap."""
    p = space.p
    rows = ArcSet.concat([fixed, chosen])
    is_fixed = np.r_[np.ones(fixed.size, bool), np.zeros(chosen.size, bool)]
    clock = time.perf_counter()
    nb, extra = next_best(space, cands, rows, exact=params.explain, threads=params.threads)
    if params.explain:
        ut, units, why = unserved_reasons(space, rows, params.threads)
    else:
        ut = units = np.zeros(0, np.int64)
        why = np.zeros(0, np.int8)
    stats["explain_s"] = time.perf_counter() - clock
    obj = objective(p, rows)
    gap = (bound - obj) / max(1.0, abs(bound)) if not math.isnan(bound) else math.nan
    stats["total_s"] = time.perf_counter() - start
    return Result(
        status=status,
        objective=obj,
        bound=float(bound),
        gap=float(gap),
        task=rows.task,
        volunteer=rows.vol,
        distance_m=rows.dist,
        load_h=rows.load,
        bonus_m=rows.bonus,
        fixed=is_fixed,
        next_best_volunteer=nb,
        extra_cost_m=extra,
        unserved_task=ut,
        unserved_units=units,
        unserved_reason=why,
        breakdown=breakdown(
            p.task_priority, p.task_demand, rows.task, rows.vol, rows.dist, rows.load
        ),
        stats=stats,
    )
