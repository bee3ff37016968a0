"""Exactness: the engine matches independent brute force and scipy's assignment solver."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from matching import Mode, Params, Problem, Status, solve
from tests.matching.instances import random_arcs, random_geo
from tests.matching.reference import brute_force

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(p: Problem, mode: Mode = Mode.CERTIFIED, k: int = 2) -> None:
    r = solve(p, Params(mode=mode, k=k, time_limit_s=20))
    want = brute_force(p)
    if want is None:
        assert r.status == Status.INFEASIBLE
        return
    assert r.status == Status.OPTIMAL
    assert r.objective == want
    assert r.bound == want and r.gap == 0


@FAST
@given(seed=st.integers(0, 10**6), nt=st.integers(1, 9), nv=st.integers(1, 7))
def test_geography_matches_brute_force(seed: int, nt: int, nv: int) -> None:
    _check(random_geo(seed, nt, nv))


@FAST
@given(seed=st.integers(0, 10**6), fairness=st.sampled_from([0, 150, 600]))
def test_extras_match_brute_force(seed: int, fairness: int) -> None:
    """Fixed, forbidden, continuity and fairness together."""
    _check(random_geo(seed, 8, 5, fairness=fairness, extras=True))


@FAST
@given(seed=st.integers(0, 10**6))
def test_binding_hours_match_brute_force(seed: int) -> None:
    _check(random_geo(seed, 9, 4, hours=True))


@FAST
@given(seed=st.integers(0, 10**6), hours=st.booleans())
def test_arcs_match_brute_force(seed: int, hours: bool) -> None:
    _check(random_arcs(seed, hours=hours))


@FAST
@given(seed=st.integers(0, 10**6), k=st.integers(1, 4))
def test_certified_equals_full_enumeration(seed: int, k: int) -> None:
    p = random_geo(seed, 60, 40, span_deg=0.03, fairness=seed % 3 * 100, extras=True)
    full = solve(p, Params(mode=Mode.FULL))
    cert = solve(p, Params(mode=Mode.CERTIFIED, k=k))
    assert cert.objective == full.objective and cert.status == full.status


def test_certified_equals_full_on_a_dense_instance() -> None:
    p = random_geo(7, 1500, 900, span_deg=0.05)
    full = solve(p, Params(mode=Mode.FULL))
    cert = solve(p, Params(mode=Mode.CERTIFIED, k=5))
    knn = solve(p, Params(mode=Mode.KNEAREST, k=5))
    assert cert.objective == full.objective == full.bound
    assert knn.objective <= cert.objective and knn.status == Status.FEASIBLE


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10**6), n=st.integers(1, 30))
def test_one_to_one_matches_linear_sum_assignment(seed: int, n: int) -> None:
    rng = np.random.default_rng(seed)
    cost = rng.integers(0, 1000, (n, n))
    t, v = np.divmod(np.arange(n * n), n)
    big = 10**6
    p = Problem.from_arcs(
        arc_task=t,
        arc_vol=v,
        arc_cost=cost.ravel(),
        task_value=np.full(n, big),
        vol_max_tasks=np.ones(n, np.int64),
    )
    r = solve(p, Params(k=3))
    rows, cols = linear_sum_assignment(cost)
    assert r.status == Status.OPTIMAL and r.size == n
    assert big * n - r.objective == cost[rows, cols].sum()


def test_objective_helper_agrees_with_result() -> None:
    p = random_geo(3, 30, 20, fairness=200, extras=True)
    r = solve(p)
    assert r.objective == brute_force(p)
    assert r.size == np.unique(r.task * p.n_vols + r.volunteer).size
