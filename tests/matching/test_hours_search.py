"""The binding-hours path for large instances (LP and knapsack bounds, slot flows), forced on
small instances with max_mip_arcs=0 and checked against brute force: the solution is feasible,
the bound is at least the optimum, and OPTIMAL is claimed only within the requested gap."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from matching import Params, Problem, Result, Status, solve
from tests.matching.instances import random_arcs, random_geo
from tests.matching.reference import brute_force, eligible_pairs

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LARGE_PATH = Params(max_mip_arcs=0, time_limit_s=5, seed=3)


def assert_feasible(p: Problem, r: Result) -> None:
    """Every limit of the problem holds, read from the problem itself (not the engine)."""
    t, v, cost, load, bonus = eligible_pairs(p)
    allowed = {(a, b): (c, h, w) for a, b, c, h, w in zip(t, v, cost, load, bonus, strict=True)}
    rows = list(zip(r.task.tolist(), r.volunteer.tolist(), strict=True))
    assert len(set(rows)) == len(rows), "a volunteer twice on one task"
    assert all(row in allowed for row in rows), "an ineligible or forbidden pair"
    assert set(zip(p.fixed[0].tolist(), p.fixed[1].tolist(), strict=True)) <= set(rows)
    assert (np.bincount(r.task, minlength=p.n_tasks) <= p.task_demand).all()
    count = np.bincount(r.volunteer, minlength=p.n_vols)
    assert (count <= p.vol_max_tasks).all()
    hours = np.zeros(p.n_vols)
    for a, b in rows:
        hours[b] += allowed[(a, b)][1]
    assert (hours <= p.vol_max_hours + 1e-9).all()
    served = sum(
        int(p.task_value[a]) - int(allowed[(a, b)][0]) + int(allowed[(a, b)][2]) for a, b in rows
    )
    assert r.objective == served - p.fairness_m * int((count * (count - 1) // 2).sum())


def check(p: Problem, params: Params = LARGE_PATH) -> Result:
    r = solve(p, params)
    best = brute_force(p)
    if best is None:
        assert r.status == Status.INFEASIBLE
        return r
    assert_feasible(p, r)
    assert r.objective <= best <= r.bound + 1e-6
    if r.status == Status.OPTIMAL:
        assert r.bound - r.objective <= params.mip_rel_gap * max(1.0, abs(r.bound)) + 1e-9
    return r


@FAST
@given(seed=st.integers(0, 10**6))
def test_geography_with_binding_hours(seed: int) -> None:
    check(random_geo(seed, 9, 4, hours=True))


@FAST
@given(seed=st.integers(0, 10**6), fairness=st.sampled_from([0, 150, 600]))
def test_fixed_forbidden_continuity_and_fairness(seed: int, fairness: int) -> None:
    check(random_geo(seed, 9, 5, hours=True, fairness=fairness, extras=True))


@FAST
@given(seed=st.integers(0, 10**6))
def test_explicit_arcs_with_binding_hours(seed: int) -> None:
    check(random_arcs(seed, nt=10, nv=5, hours=True))


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10**6), gap=st.sampled_from([0.0, 0.01, 0.2]), extras=st.booleans())
@example(seed=170, gap=0.0, extras=False)  # the LP's rounding once broke a count limit
@example(seed=26, gap=0.01, extras=True)  # a fixed arc losing money once widened the gap
def test_optimal_only_within_the_requested_gap(seed: int, gap: float, extras: bool) -> None:
    """The gap is the result's, fixed arcs included (they can make it wider or narrower)."""
    params = Params(max_mip_arcs=0, time_limit_s=5, seed=seed, mip_rel_gap=gap)
    if extras:
        check(random_geo(seed, 30, 10, span_deg=0.01, hours=True, extras=True), params)
    else:
        check(random_geo(seed, 25, 8, span_deg=0.01, hours=True), params)


def test_a_denser_instance_gets_close() -> None:
    """Brute force is still quick at this size; the search should find the optimum or come
    within a percent of it. The searches stop when they stall; the generous limit only keeps a
    loaded machine from cutting them short."""
    p = random_geo(11, 40, 12, span_deg=0.01, hours=True)
    r = check(p, Params(max_mip_arcs=0, time_limit_s=60, seed=1))
    assert r.objective >= 0.99 * brute_force(p)
