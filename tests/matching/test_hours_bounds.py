"""Bounds and slot flows checked against brute force: the knapsack bound is valid over every
eligible pair and no weaker than the LP's, and a slot flow finds the best assignment that fits
its slots."""

from __future__ import annotations

import itertools
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching import Problem
from matching.accel.candidates import ArcSet, Space
from matching.certificate.lp import certified_lp
from matching.certificate.pricing import all_relevant, initial_arcs, relevant
from matching.flow import Residual, profit
from matching.greedy import greedy
from matching.hours.hours import hours_fit, within_limits
from matching.hours.hours_lagrange import Prices, knapsack_bound
from matching.hours.hours_slots import improve, profiles, slot_flow
from matching.solve import _residual, objective
from tests.matching.instances import random_arcs, random_geo
from tests.matching.orlib import BIG, ORLIB, gap, gap_optimum
from tests.matching.reference import brute_force


def _setup(p: Problem) -> tuple[Space, Residual, bool]:
    space = Space(p)
    _, res, ok = _residual(p, space)
    return space, res, ok


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10**6), explicit=st.booleans())
def test_knapsack_bound_is_valid_and_tighter_than_the_lp(seed: int, explicit: bool) -> None:
    p = (
        random_arcs(seed, nt=10, nv=4, hours=True)
        if explicit
        else random_geo(seed, 9, 4, hours=True)
    )
    space, res, ok = _setup(p)
    if not ok:
        return
    everything = all_relevant(space, res)
    candidates, _ = initial_arcs(space, res, 2)
    lp = certified_lp(res, candidates, everything, seconds=10)
    assert lp is not None
    known = greedy(space, res)
    kp = knapsack_bound(res, everything, lp.duals, known, deadline=time.perf_counter() + 0.5)
    assert kp is not None
    assert brute_force(p) <= kp <= lp.bound


@pytest.mark.skipif(not ORLIB.is_dir(), reason=f"OR-Library files not found at {ORLIB}")
@pytest.mark.parametrize("name", ["c05100", "d05100"])
def test_bounds_on_orlibrary_gap(name: str) -> None:
    p, n = gap(name)
    space, res, _ = _setup(p)
    everything = all_relevant(space, res)
    lp = certified_lp(res, everything, everything, seconds=30)
    assert lp is not None
    known = greedy(space, res)
    kp = knapsack_bound(res, everything, lp.duals, known, deadline=time.perf_counter() + 2)
    assert kp is not None
    optimum = BIG * n - gap_optimum(name)
    assert optimum <= kp <= lp.bound


def _fits(res: Residual, arcs: ArcSet, pick: tuple[int, ...], slot_vol, slot_limit) -> bool:  # noqa: ANN001
    """Brute-force test of one assignment against demand, distinctness and the slots."""
    a = arcs.take(np.array(pick, dtype=np.int64))
    if (np.bincount(a.task, minlength=res.demand.size) > res.demand).any():
        return False
    for v in np.unique(a.vol):
        loads = np.sort(a.load[a.vol == v])[::-1]
        limits = np.sort(slot_limit[slot_vol == v])[::-1]
        if loads.size > limits.size or (loads > limits[: loads.size] + 1e-12).any():
            return False
    return True


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10**6), fairness=st.sampled_from([0, 40]))
def test_slot_flow_is_the_best_fit_to_its_slots(seed: int, fairness: int) -> None:
    rng = np.random.default_rng(seed)
    nt, nv, e = 5, 3, 9
    pairs = rng.choice(nt * nv, size=e, replace=False)
    arcs = ArcSet(
        pairs // nv, pairs % nv, rng.integers(0, 50, e), rng.uniform(1, 3, e), np.zeros(e, np.int64)
    )
    res = Residual(
        rng.integers(20, 100, nt),
        rng.integers(1, 3, nt),
        np.full(nv, 3),
        rng.uniform(2, 6, nv),
        rng.integers(0, 2, nv),
        fairness,
    )
    slot_vol = np.repeat(np.arange(nv), rng.integers(1, 4, nv))
    slot_limit = rng.uniform(0.5, 3.5, slot_vol.size)
    order = np.lexsort((-slot_limit, slot_vol))
    slot_vol, slot_limit = slot_vol[order], slot_limit[order]
    found = profit(res, arcs.take(np.flatnonzero(slot_flow(res, arcs, slot_vol, slot_limit))))
    best = max(
        profit(res, arcs.take(np.array(pick, dtype=np.int64)))
        for k in range(e + 1)
        for pick in itertools.combinations(range(e), k)
        if _fits(res, arcs, pick, slot_vol, slot_limit)
    )
    assert found == best


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10**6))
def test_profiles_hold_the_solution_and_slot_flows_keep_the_hours(seed: int) -> None:
    p = random_geo(seed, 12, 5, hours=True, extras=True)
    space, res, ok = _setup(p)
    if not ok:
        return
    start = greedy(space, res)
    pool = relevant(ArcSet.concat([all_relevant(space, res), start]), res, p.n_vols)
    spare_to = np.random.default_rng(seed).integers(0, 3, p.n_vols)
    slot_vol, slot_limit = profiles(res, start, spare_to)
    finite = np.isfinite(res.hours)
    total = np.bincount(slot_vol, np.where(finite[slot_vol], slot_limit, 0.0), p.n_vols)
    assert (total[finite] <= res.hours[finite] + 1e-9).all()
    assert (np.bincount(slot_vol, minlength=p.n_vols) <= res.cap).all()
    assert profit(
        res, pool.take(np.flatnonzero(slot_flow(res, pool, slot_vol, slot_limit)))
    ) >= profit(res, start)
    better, _ = improve(res, pool, start, np.random.default_rng(seed), deadline=np.inf)
    assert profit(res, better) >= profit(res, start)
    assert (np.bincount(better.vol, better.load, p.n_vols) <= res.hours + 1e-9).all()
    assert (np.bincount(better.vol, minlength=p.n_vols) <= res.cap).all()
    assert (np.bincount(better.task, minlength=p.n_tasks) <= res.demand).all()
    assert np.unique(better.task * p.n_vols + better.vol).size == better.size


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10**6))
def test_every_price_step_proves_a_bound_and_packs_what_fits(seed: int) -> None:
    p = random_geo(seed, 10, 4, hours=True, extras=True)
    space = Space(p)
    fixed, res, ok = _residual(p, space)
    if not ok:
        return
    everything = all_relevant(space, res)
    lp = certified_lp(res, everything, everything, seconds=10)
    assert lp is not None
    optimum = brute_force(p) - objective(p, fixed)  # of what is left after the fixed arcs
    prices = Prices(res, everything, lp.duals, greedy(space, res))
    for _ in range(6):
        packed = prices.step(pack=True)
        assert packed is not None and hours_fit(res, packed)
        assert (np.bincount(packed.vol, minlength=p.n_vols) <= res.cap).all()
        assert optimum <= prices.best
    assert optimum <= prices.refine(deadline=time.perf_counter() + 1)


def test_a_broken_solution_is_cut_back_to_every_limit() -> None:
    res = Residual(
        np.array([100, 100]),
        np.array([1, 1]),
        np.array([1, 2]),
        np.array([2.0, 9.0]),
        np.zeros(2, np.int64),
        0,
    )
    broken = ArcSet(
        np.array([0, 1, 0, 1]),
        np.array([0, 0, 1, 1]),
        np.array([5, 6, 7, 8]),
        np.array([1.5, 1.5, 1.0, 1.0]),
        np.zeros(4, np.int64),
    )
    fixed = within_limits(res, broken)
    assert hours_fit(res, fixed)
    assert (np.bincount(fixed.vol, minlength=2) <= res.cap).all()
    assert (np.bincount(fixed.task, minlength=2) <= res.demand).all()
    assert fixed.size == 2


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_each_knapsack_is_the_best_subset_that_fits(seed: int) -> None:
    """The table's shifted views against every subset: the most profit per volunteer within
    its count and room, and the items marked make exactly that."""
    from matching.hours.hours_lagrange import _Items, _knapsacks

    rng = np.random.default_rng(seed)
    nv, m = int(rng.integers(1, 6)), int(rng.integers(1, 14))
    vol = np.sort(rng.integers(0, nv, m))
    count = rng.integers(1, 4, nv)
    q = rng.integers(1, 20, m).astype(np.float64)
    items = _Items(np.arange(m), vol, np.arange(m), q, q, count, np.zeros(nv), 0.0)
    weight, room = rng.integers(0, 12, m), rng.integers(0, 16, nv)
    best, chosen = _knapsacks(items, weight, room, sets=True)
    for v in range(nv):
        mine = np.flatnonzero(vol == v)
        fits = [
            q[list(s)].sum()
            for k in range(int(count[v]) + 1)
            for s in itertools.combinations(mine, k)
            if weight[list(s)].sum() <= room[v]
        ]
        assert best[v] == max(fits)
        sel = chosen & (vol == v)
        assert sel.sum() <= count[v] and weight[sel].sum() <= room[v] and q[sel].sum() == best[v]
