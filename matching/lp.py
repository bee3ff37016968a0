"""The LP relaxation of the hours problem, certified over every eligible pair.

When hour capacities bind, the flow relaxation (which ignores hours) is a weak bound. The LP
relaxation with the hour rows is much closer to the integer optimum. It is solved on a candidate
set and then priced against all pairs worth serving with its dual values (task, volunteer count
and volunteer hour rows); violating pairs are added until none is left, so its optimum bounds
the integer problem over every eligible pair.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass

import numpy as np
from ortools.math_opt.python import mathopt
from ortools.math_opt.solvers import highs_pb2

from matching.candidates import ArcSet
from matching.flow import Residual
from matching.mip import _proto

Array = np.ndarray
TOL = 1e-6


@dataclass(frozen=True, eq=False)
class LpBound:
    bound: float  # optimum of the LP over all eligible pairs (an upper bound on the problem)
    support: ArcSet  # arcs with a positive LP value or a reduced cost near zero
    x: Array  # the LP value of each support arc
    rounds: int


def _solve(res: Residual, arcs: ArcSet, seconds: float, threads: int):
    proto = _proto(res, arcs)
    proto.variables.integers[:] = [False] * len(proto.variables.ids)
    model = mathopt.Model.from_model_proto(proto)
    params = mathopt.SolveParameters(
        time_limit=datetime.timedelta(seconds=max(seconds, 0.05)),
        highs=highs_pb2.HighsOptionsProto(
            int_options={"threads": threads},
            bool_options={"output_flag": False, "log_to_console": False},
        ),
    )
    out = mathopt.solve(model, mathopt.SolverType.HIGHS, params=params)
    if out.termination.reason != mathopt.TerminationReason.OPTIMAL:
        return None
    x = np.fromiter((out.variable_values()[v] for v in model.variables()), dtype=np.float64)
    y = out.dual_values()
    duals = np.fromiter((y[c] for c in model.linear_constraints()), dtype=np.float64)
    return float(out.objective_value()), x[: arcs.size], duals


def _reduced(res: Residual, arcs: ArcSet, duals: Array) -> Array:
    """Reduced profit of each arc: positive means adding it could raise the LP optimum."""
    nt, nv = res.demand.size, res.cap.size
    finite = np.isfinite(res.hours)
    hour_row = np.cumsum(finite) - 1 + nt + nv
    rc = (res.value[arcs.task] - arcs.cost).astype(np.float64)
    rc -= duals[arcs.task] + duals[nt + arcs.vol]
    hv = finite[arcs.vol]
    rc[hv] -= duals[hour_row[arcs.vol[hv]]] * arcs.load[hv]
    return rc


def _rhs(res: Residual) -> Array:
    """Right-hand sides of the rows, in the order of mip._matrix: demand, count, finite hours."""
    return np.concatenate([res.demand, res.cap, res.hours[np.isfinite(res.hours)]]).astype(
        np.float64
    )


def certified_lp(
    res: Residual,
    candidates: ArcSet,
    everything: ArcSet,
    *,
    seconds: float,
    threads: int,
    max_rounds: int = 3,
) -> LpBound | None:
    """Solve the LP on `candidates`, adding arcs of `everything` (all pairs worth serving) that
    price out positive, for at most `max_rounds`. The bound is valid after any round by weak
    duality: rows' duals times right-hand sides, plus every arc's positive reduced profit (each
    arc is at most 1). None when the time runs out or fairness is on (its ladder is not priced)."""
    if res.fairness_m > 0:
        return None
    start = time.perf_counter()
    nv = res.cap.size
    arcs = candidates
    for rounds in range(1, max_rounds + 1):
        left = seconds - (time.perf_counter() - start)
        solved = _solve(res, arcs, left, threads) if left > 0 else None
        if solved is None:
            return None
        value, x, duals = solved
        if (duals < -TOL * max(1.0, abs(value))).any():
            return None  # not the sign convention weak duality needs: no bound claimed
        rc = _reduced(res, everything, duals)
        inside = np.isin(everything.task * nv + everything.vol, arcs.task * nv + arcs.vol)
        positive = np.maximum(rc, 0.0)
        bound = float(duals @ _rhs(res) + positive.sum())
        new = np.flatnonzero((rc > TOL * max(1.0, abs(value))) & ~inside)
        if new.size == 0 or rounds == max_rounds:
            near = _reduced(res, arcs, duals) > -50
            keep = np.flatnonzero((x > TOL) | near)
            return LpBound(
                bound=max(bound, value), support=arcs.take(keep), x=x[keep], rounds=rounds
            )
        arcs = ArcSet.concat([arcs, everything.take(new)])
    return None
