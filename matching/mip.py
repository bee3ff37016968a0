"""Generalised assignment with hour capacities: a MIP solved by HiGHS through OR-Tools MathOpt.

The model is written straight into a MathOpt ModelProto from numpy arrays (no Python object per
arc). HiGHS rejects MathOpt's generic `threads` parameter in OR-Tools 9.15, so threads go through
HiGHS's own options. HiGHS sizes its scheduler once per process and fails every later solve
that asks for another thread count (`HighsStatus: kError`), so the first count asked for is the
one every solve of the process uses.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

import numpy as np
from ortools.math_opt import model_pb2
from ortools.math_opt.python import mathopt
from ortools.math_opt.solvers import highs_pb2

from matching.accel.candidates import ArcSet
from matching.flow import Residual

Array = np.ndarray
_THREADS: list[int] = []  # the thread count HiGHS's scheduler was started with, once known


@dataclass(frozen=True, eq=False)
class MipSolution:
    """Chosen arcs (None when no solution was found), the dual bound and whether it is proven."""

    chosen: Array | None
    bound: float
    proven: bool


def _ladder(res: Residual, arcs: ArcSet) -> tuple[Array, Array]:
    """Fairness ladder variables: (volunteer, cost) per unit step."""
    if res.fairness_m <= 0:
        z = np.zeros(0, dtype=np.int64)
        return z, z
    deg = np.bincount(arcs.vol, minlength=res.cap.size)
    steps = np.minimum(res.cap, deg)
    vols = np.repeat(np.arange(res.cap.size), steps)
    rank = np.arange(vols.size) - np.repeat(np.cumsum(steps) - steps, steps)
    return vols, res.fairness_m * (res.fair_start[vols] + rank)


def _matrix(res: Residual, arcs: ArcSet, ladder_vol: Array) -> tuple[Array, ...]:
    """Constraint rows: task demand, volunteer count, volunteer hours (finite ones only)."""
    nt, nv, e = res.demand.size, res.cap.size, arcs.size
    finite = np.isfinite(res.hours)
    hour_row = np.cumsum(finite) - 1 + nt + nv
    hrs = np.flatnonzero(finite[arcs.vol])
    cols = np.arange(e)
    rows = np.concatenate([arcs.task, nt + arcs.vol, hour_row[arcs.vol[hrs]], nt + ladder_vol])
    col = np.concatenate([cols, cols, hrs, e + np.arange(ladder_vol.size)])
    val = np.concatenate([np.ones(2 * e), arcs.load[hrs], -np.ones(ladder_vol.size)])
    if res.fairness_m > 0:
        vol_lb, vol_ub = np.zeros(nv), np.zeros(nv)
    else:
        vol_lb, vol_ub = np.full(nv, -np.inf), res.cap.astype(float)
    lb = np.concatenate([np.full(nt, -np.inf), vol_lb, np.full(int(finite.sum()), -np.inf)])
    ub = np.concatenate([res.demand.astype(float), vol_ub, res.hours[finite]])
    order = np.lexsort((col, rows))
    return rows[order], col[order], val[order], lb, ub


def _proto(res: Residual, arcs: ArcSet) -> model_pb2.ModelProto:
    ladder_vol, ladder_cost = _ladder(res, arcs)
    n = arcs.size + ladder_vol.size
    rows, cols, vals, lb, ub = _matrix(res, arcs, ladder_vol)
    p = model_pb2.ModelProto()
    p.variables.ids.extend(range(n))
    p.variables.lower_bounds.extend(np.zeros(n).tolist())
    p.variables.upper_bounds.extend(np.ones(n).tolist())
    p.variables.integers.extend([True] * arcs.size + [False] * ladder_vol.size)
    p.objective.maximize = True
    obj = np.concatenate([res.value[arcs.task] - arcs.cost, -ladder_cost]).astype(float)
    p.objective.linear_coefficients.ids.extend(range(n))
    p.objective.linear_coefficients.values.extend(obj.tolist())
    p.linear_constraints.ids.extend(range(lb.size))
    p.linear_constraints.lower_bounds.extend(lb.tolist())
    p.linear_constraints.upper_bounds.extend(ub.tolist())
    m = p.linear_constraint_matrix
    m.row_ids.extend(rows.tolist())
    m.column_ids.extend(cols.tolist())
    m.coefficients.extend(vals.tolist())
    return p


def _highs_threads(threads: int) -> int:
    if not _THREADS:
        _THREADS.append(max(1, threads))
    return _THREADS[0]


def solve_mip(
    res: Residual, arcs: ArcSet, *, time_limit_s: float, seed: int, threads: int, rel_gap: float
) -> MipSolution:
    """Maximise served value minus travel over `arcs` under count and hour capacities."""
    if arcs.size == 0:
        return MipSolution(np.zeros(0, dtype=bool), 0.0, True)
    model = mathopt.Model.from_model_proto(_proto(res, arcs))
    params = mathopt.SolveParameters(
        time_limit=datetime.timedelta(seconds=max(time_limit_s, 0.01)),
        relative_gap_tolerance=rel_gap,
        absolute_gap_tolerance=0.0 if rel_gap == 0 else None,
        random_seed=seed,
        highs=highs_pb2.HighsOptionsProto(
            int_options={"threads": _highs_threads(threads)},
            bool_options={"output_flag": False, "log_to_console": False},
        ),
    )
    out = mathopt.solve(model, mathopt.SolverType.HIGHS, params=params)
    reason = out.termination.reason
    raw = float(out.termination.objective_bounds.dual_bound)
    # objective coefficients are integers, so the bound may be rounded down (beyond float noise)
    bound = math.floor(raw + 1e-4 + 1e-9 * abs(raw)) if math.isfinite(raw) else raw
    proven = reason == mathopt.TerminationReason.OPTIMAL
    if not out.has_primal_feasible_solution():
        return MipSolution(None, bound, False)
    values = out.variable_values()
    xs = model.variables()
    x = np.fromiter((values[v] for v in xs), dtype=np.float64, count=model.get_num_variables())
    return MipSolution(x[: arcs.size] > 0.5, bound, proven)
