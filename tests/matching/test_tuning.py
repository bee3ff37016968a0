"""The accelerations change how fast the optimum is reached, never which one."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import Mode, Params, Status, Tuning, solve
from matching.accel.candidates import Space
from matching.solve import full_guard_pairs
from tests.matching.instances import random_geo

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _both(p, seed: int) -> None:
    on = solve(p, Params(time_limit_s=30, seed=seed, explain=False))
    off = solve(p, Params(time_limit_s=30, seed=seed, explain=False, tuning=Tuning.plain()))
    assert on.status == off.status == Status.OPTIMAL
    assert on.objective == off.objective == on.bound == off.bound


@FAST
@given(seed=st.integers(0, 10**6), fairness=st.sampled_from([0, 120]), extras=st.booleans())
def test_small_instances_reach_the_same_optimum(seed: int, fairness: int, extras: bool) -> None:
    _both(random_geo(seed, 40, 25, span_deg=0.03, fairness=fairness, extras=extras), seed)


@pytest.mark.parametrize("seed", range(12))
def test_grouped_instances_reach_the_same_optimum(seed: int) -> None:
    """Enough tasks per skill need and window for the grouped nearest lists, and wide enough
    reach (many pairs per task) that the full-enumeration guard stays off or on by seed."""
    p = random_geo(seed, 900, 500, span_deg=0.04 + 0.02 * (seed % 3), extras=seed % 2 == 1)
    _both(p, seed)
    full = solve(p, Params(time_limit_s=30, mode=Mode.FULL, explain=False))
    assert full.objective == solve(p, Params(time_limit_s=30, explain=False)).objective


def test_grouped_nearest_lists_hold_only_fitting_volunteers() -> None:
    p = random_geo(3, 900, 500, span_deg=0.05)
    space = Space(p)
    import numpy as np

    tasks = np.arange(p.n_tasks)
    groups = space.eligibility_groups(tasks)
    assert len(groups) > 1
    assert np.sort(np.concatenate([g for g, _ in groups])).tolist() == tasks.tolist()
    plain, _ = space.k_nearest(8, tasks)
    grouped, _ = space.k_nearest(8, tasks, grouped=True)
    assert grouped.size > plain.size  # more eligible arcs among the same k per task


@pytest.mark.parametrize("seed", range(8))
def test_waking_set_aside_arcs_reaches_the_same_optimum(seed: int) -> None:
    """Every round wakes the set-aside arcs of slack below 400 m (share 1: always), on
    instances large enough for rounds; the optimum is the plain one and the full one."""
    p = random_geo(seed, 600, 350, span_deg=0.05, extras=seed % 2 == 1)
    eager = Tuning(full_guard=False, wake_slack=400, wake_share=1.0)
    woken = solve(p, Params(time_limit_s=30, seed=seed, explain=False, tuning=eager))
    plain = solve(p, Params(time_limit_s=30, seed=seed, explain=False, tuning=Tuning.plain()))
    full = solve(p, Params(time_limit_s=30, mode=Mode.FULL, explain=False))
    assert woken.status == plain.status == Status.OPTIMAL
    assert woken.objective == plain.objective == full.objective == woken.bound
    assert woken.stats["pricing_rounds"] >= 2  # the wake ran at least once


def test_the_full_guard_lists_more_pairs_per_task_on_smaller_instances() -> None:
    assert full_guard_pairs(2_000) > full_guard_pairs(20_000) > full_guard_pairs(200_000)
    assert full_guard_pairs(40) == full_guard_pairs(1_000)  # tiny ones: a cap


@pytest.mark.parametrize("seed", range(4))
def test_the_guard_lists_every_pair_only_where_they_are_few(seed: int) -> None:
    """Narrow reach (few pairs a task) takes the full path, a wide one the rounds; both are
    certified at the full solve's optimum."""
    for span, path in ((0.1, "full"), (0.012, "")):  # about 8 and 250 pairs a task
        p = random_geo(seed, 600, 350, span_deg=span)
        r = solve(p, Params(time_limit_s=30, seed=seed, explain=False))
        full = solve(p, Params(time_limit_s=30, mode=Mode.FULL, explain=False))
        assert r.stats.get("path", "") == path
        assert r.status == Status.OPTIMAL and r.objective == full.objective == r.bound


def _hotspot(seed: int):
    """Most tasks in one dense cluster, volunteers spread evenly: demand beyond the
    cluster's nearest volunteers."""
    import numpy as np

    from matching import Problem

    rng = np.random.default_rng(seed)
    nt, nv = 400, 300
    hot = rng.random(nt) < 0.7
    task_lat = np.where(hot, 31.23 + rng.normal(0, 0.002, nt), 31.2 + 0.06 * rng.random(nt))
    task_lng = np.where(hot, 121.47 + rng.normal(0, 0.002, nt), 121.44 + 0.06 * rng.random(nt))
    return Problem.from_geography(
        task_lat=task_lat,
        task_lng=task_lng,
        task_value=rng.choice([1500, 3000, 6000], nt),
        task_hours=np.ones(nt),
        task_skills=np.where(rng.random(nt) < 0.3, 1 << rng.integers(0, 2, nt), 0).astype(
            np.uint64
        ),
        vol_lat=31.2 + 0.06 * rng.random(nv),
        vol_lng=121.44 + 0.06 * rng.random(nv),
        vol_skills=rng.integers(0, 4, nv).astype(np.uint64),
        vol_max_distance_m=rng.integers(1_000, 5_000, nv),
        vol_max_tasks=rng.integers(1, 3, nv),
    )


@pytest.mark.parametrize("seed", range(6))
def test_spread_candidates_reach_the_same_optimum(seed: int) -> None:
    """A dense cluster of tasks gets arcs drawn across its catchment; the certified optimum
    with them is the plain one and the full enumeration's."""
    import numpy as np

    from matching.accel.spread import spread_arcs
    from matching.certificate.pricing import initial_arcs
    from matching.solve import _residual

    p = _hotspot(seed)
    space = Space(p)
    _, res, _ = _residual(p, space)
    near, lower = initial_arcs(space, res, 16, grouped=True)
    extra = spread_arcs(space, res, near, lower, np.random.default_rng(seed))
    assert extra.size > 0
    keys = np.r_[near.task * space.nv + near.vol, extra.task * space.nv + extra.vol]
    assert np.unique(keys).size == keys.size  # none of them among the nearest lists
    assert (extra.dist <= p.geo.vol_max_distance_m[extra.vol]).all()
    only = Tuning(full_guard=False)
    spread = solve(p, Params(time_limit_s=30, seed=seed, explain=False, tuning=only))
    plain = solve(p, Params(time_limit_s=30, seed=seed, explain=False, tuning=Tuning.plain()))
    full = solve(p, Params(time_limit_s=30, mode=Mode.FULL, explain=False))
    assert spread.status == plain.status == Status.OPTIMAL
    assert spread.objective == plain.objective == full.objective == spread.bound
