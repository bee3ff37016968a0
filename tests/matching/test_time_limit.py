"""The time limit: every path returns (never raises) with a proven bound and its gap."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import Mode, Params, Problem, Status, solve
from matching.accel.candidates import Space
from matching.certificate.certify import Tuning, certified_flow, trivial_bound
from matching.certificate.pricing import all_relevant
from matching.flow import solve_flow
from matching.solve import _residual
from tests.matching.instances import random_geo

FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _setup(seed: int, fairness: int = 0):
    p = random_geo(seed, 60, 40, span_deg=0.03, fairness=fairness, extras=True)
    space = Space(p)
    _, res, ok = _residual(p, space)
    return space, res, ok


@FAST
@given(seed=st.integers(0, 10**6), fairness=st.sampled_from([0, 150]))
def test_every_round_bounds_the_optimum_and_the_last_meets_it(seed: int, fairness: int) -> None:
    space, res, ok = _setup(seed, fairness)
    if not ok:
        return
    optimum = solve_flow(res, all_relevant(space, res), space.node_code).profit
    stats: dict[str, object] = {}
    cert = certified_flow(space, res, 2, stats, Tuning(per_task=2))
    trace = stats["trace"]
    assert all(row.bound >= optimum for row in trace)  # type: ignore[attr-defined]
    assert trace[-1].bound == optimum == cert.flow.profit == cert.bound  # type: ignore[index]
    assert cert.complete and trivial_bound(space, res) >= optimum


@FAST
@given(seed=st.integers(0, 10**6), fairness=st.sampled_from([0, 150]))
def test_a_round_limit_returns_the_last_flow_with_a_bound(seed: int, fairness: int) -> None:
    space, res, ok = _setup(seed, fairness)
    if not ok:
        return
    optimum = solve_flow(res, all_relevant(space, res), space.node_code).profit
    stats: dict[str, object] = {}
    cert = certified_flow(space, res, 1, stats, Tuning(per_task=1, max_rounds=1))
    assert cert.flow.profit <= optimum <= cert.bound
    assert cert.complete == (cert.bound == cert.flow.profit)
    chosen = cert.arcs.take(np.flatnonzero(cert.flow.chosen))
    assert (np.bincount(chosen.task, minlength=res.demand.size) <= res.demand).all()
    assert (np.bincount(chosen.vol, minlength=res.cap.size) <= res.cap).all()


def test_a_past_deadline_returns_nothing_chosen_and_the_trivial_bound() -> None:
    space, res, _ = _setup(7)
    stats: dict[str, object] = {}
    cert = certified_flow(space, res, 4, stats, deadline=-math.inf)
    assert not cert.complete and cert.flow.chosen.size == 0
    assert cert.bound == trivial_bound(space, res)


def _large(seed: int = 3, nt: int = 12_000, nv: int = 8_000) -> Problem:
    """A large uniform instance with scarce volunteers (20 km across, travel limits 1-4 km)."""
    rng = np.random.default_rng(seed)
    km = 20.0 / 111.0
    return Problem.from_geography(
        task_lat=31.0 + rng.random(nt) * km,
        task_lng=121.2 + rng.random(nt) * km,
        task_value=rng.choice([1_500, 3_000, 6_000], nt),
        vol_lat=31.0 + rng.random(nv) * km,
        vol_lng=121.2 + rng.random(nv) * km,
        vol_max_distance_m=rng.integers(1_000, 4_001, nv),
        vol_max_tasks=rng.integers(1, 3, nv),
    )


@pytest.fixture(scope="module")
def large() -> Problem:
    return _large()


@pytest.mark.parametrize("mode", [Mode.CERTIFIED, Mode.FULL])
def test_a_tiny_limit_on_a_large_instance_returns_a_status_bound_and_gap(
    large: Problem, mode: Mode
) -> None:
    r = solve(large, Params(time_limit_s=0.01, seed=0, threads=1, mode=mode))
    assert r.status in (Status.TIMED_OUT, Status.FEASIBLE)
    assert math.isfinite(r.bound) and r.bound >= r.objective >= 0
    assert 0 < r.gap <= 1
    if r.status == Status.TIMED_OUT:
        assert r.size == 0 and r.unserved_task.size == large.n_tasks


def test_a_limit_past_the_first_rounds_returns_a_feasible_assignment(large: Problem) -> None:
    """A limit long enough for a first flow but not for the certificate: the assignment so
    far, within every limit, with a bound above the optimum."""
    full = solve(large, Params(time_limit_s=300, explain=False))
    assert full.status == Status.OPTIMAL
    stats: dict[str, object] = {}
    space = Space(large)
    _, res, _ = _residual(large, space)
    cert = certified_flow(space, res, 16, stats, Tuning(max_rounds=1))
    assert not cert.complete
    assert cert.flow.profit < full.objective <= cert.bound
    chosen = cert.arcs.take(np.flatnonzero(cert.flow.chosen))
    assert (np.bincount(chosen.vol, minlength=large.n_vols) <= large.vol_max_tasks).all()
    assert np.unique(chosen.task).size == chosen.size
