"""The LP relaxation of the hours problem, certified over every eligible pair.

When hour capacities bind, the flow relaxation (which ignores hours) is a weak bound. The LP
relaxation with the hour rows is much closer to the integer optimum. It is solved with HiGHS's
dual simplex (through scipy, whose arrays come back as numpy without a Python object per arc)
on a candidate set, then priced against all pairs worth serving with its row duals (task,
volunteer count and volunteer hour rows). By weak duality, for any non-negative duals y

    objective(x) <= y . b + sum over every pair of max(0, reduced profit)

so the bound holds after any round, even one cut short by the time limit.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csc_matrix

from matching.accel.candidates import ArcSet, in_sorted
from matching.flow import Residual

Array = np.ndarray
TOL = 1e-6
NEAR = 50.0  # support arcs: LP reduced profit above -NEAR (candidates for rounding)
CLOSE = 1e-4  # stop pricing once the bound is this close (relatively) to the LP's value


@dataclass(frozen=True, eq=False)
class LpBound:
    bound: float  # proven upper bound on the problem over every eligible pair
    support: ArcSet  # LP arcs with a positive value or a reduced profit near zero
    x: Array  # the LP value of each support arc
    rounds: int
    duals: Array  # non-negative row duals: demand rows, count rows, finite hour rows
    reduced: Array  # reduced profit under `duals` of each arc of `everything`


def hour_rows(res: Residual) -> Array:
    """Row index of each volunteer's hour row (rows: demand, count, then finite hours)."""
    finite = np.isfinite(res.hours)
    return np.where(finite, np.cumsum(finite) - 1 + res.demand.size + res.cap.size, -1)


def rhs(res: Residual) -> Array:
    """Right-hand sides in row order: demand, count, finite hours."""
    finite = np.isfinite(res.hours)
    return np.concatenate([res.demand, res.cap, res.hours[finite]]).astype(np.float64)


def reduced_profit(res: Residual, arcs: ArcSet, duals: Array) -> Array:
    """Profit of each arc minus the duals of the rows it uses (positive: worth adding)."""
    nt = res.demand.size
    row = hour_rows(res)[arcs.vol]
    rc = (res.value[arcs.task] - arcs.cost).astype(np.float64)
    rc -= duals[arcs.task] + duals[nt + arcs.vol]
    hv = row >= 0
    rc[hv] -= duals[row[hv]] * arcs.load[hv]
    return rc


def dual_bound(res: Residual, everything: ArcSet, duals: Array) -> tuple[float, Array]:
    """Weak-duality bound of non-negative duals over every pair worth serving, rounded down
    to an integer (objectives are integers) after a margin for floating-point error."""
    rc = reduced_profit(res, everything, duals)
    raw = float(duals @ rhs(res) + np.maximum(rc, 0.0).sum())
    return math.floor(raw + 1e-7 * max(1.0, abs(raw))), rc


def _matrix(res: Residual, arcs: ArcSet) -> csc_matrix:
    nt, nv, e = res.demand.size, res.cap.size, arcs.size
    row = hour_rows(res)[arcs.vol]
    hv = np.flatnonzero(row >= 0)
    cols = np.arange(e)
    rows = np.concatenate([arcs.task, nt + arcs.vol, row[hv]])
    col = np.concatenate([cols, cols, hv])
    val = np.concatenate([np.ones(2 * e), arcs.load[hv]])
    n_rows = nt + nv + int(np.isfinite(res.hours).sum())
    return csc_matrix((val, (rows, col)), shape=(n_rows, e))


def solve_lp(res: Residual, arcs: ArcSet, seconds: float) -> tuple[float, Array, Array] | None:
    """LP optimum over `arcs`: value, x and non-negative row duals; None if not solved."""
    if seconds <= 0:
        return None
    if arcs.size == 0:  # nothing to take: value 0, and zero duals bound the rest
        return 0.0, np.zeros(0), np.zeros(rhs(res).size)
    profit = (res.value[arcs.task] - arcs.cost).astype(np.float64)
    out = linprog(
        -profit,
        A_ub=_matrix(res, arcs),
        b_ub=rhs(res),
        bounds=(0.0, 1.0),
        method="highs-ds",
        options={"time_limit": max(seconds, 0.05), "presolve": True},
    )
    if out.status != 0 or out.ineqlin is None:
        return None
    return -float(out.fun), np.asarray(out.x), np.maximum(-np.asarray(out.ineqlin.marginals), 0.0)


def certified_lp(
    res: Residual,
    candidates: ArcSet,
    everything: ArcSet,
    *,
    seconds: float,
    max_rounds: int = 3,
    margin: float = 100.0,
) -> LpBound | None:
    """Solve the LP on `candidates`, adding the arcs of `everything` (all pairs worth serving)
    whose reduced profit exceeds -`margin`, for at most `max_rounds` or until none prices out
    positive, or the bound is within CLOSE of the LP's value (another round could not gain
    more). The best bound of any round is kept. None when the first LP is not solved in time,
    or when fairness is on (its ladder is not in the LP)."""
    if res.fairness_m > 0:
        return None
    clock = time.perf_counter()
    nv = res.cap.size
    all_keys = everything.task * nv + everything.vol
    arcs, best = candidates, None
    for rounds in range(1, max_rounds + 1):
        solved = solve_lp(res, arcs, seconds - (time.perf_counter() - clock))
        if solved is None:
            break
        value, x, duals = solved
        bound, rc = dual_bound(res, everything, duals)
        if best is None or bound < best.bound:
            best = _support(res, arcs, x, duals, bound, rounds, rc)
        outside = ~in_sorted(np.unique(arcs.task * nv + arcs.vol), all_keys)
        scale = max(1.0, abs(value))
        if bound - value <= CLOSE * scale or not (outside & (rc > TOL * scale)).any():
            break
        arcs = ArcSet.concat([arcs, everything.take(np.flatnonzero(outside & (rc > -margin)))])
    return best


def _support(
    res: Residual, arcs: ArcSet, x: Array, duals: Array, bound: float, rounds: int, rc: Array
) -> LpBound:
    keep = np.flatnonzero((x > TOL) | (reduced_profit(res, arcs, duals) > -NEAR))
    return LpBound(bound, arcs.take(keep), x[keep], rounds, duals, rc)
