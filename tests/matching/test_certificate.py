"""The optimality certificate: dual prices, pricing against every pair, components re-used."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from matching import Mode, Params, solve
from matching.accel.candidates import SORTED_LOOKUP_MIN, KeySet, Space, in_sorted
from matching.certificate.certify import Tuning, certified_flow
from matching.certificate.duals import NotOptimal, prices
from matching.certificate.pricing import _groups as _pricing_groups
from matching.certificate.pricing import all_relevant, initial_arcs, violations
from matching.flow import profit as flow_profit
from matching.flow import solve_flow
from matching.solve import _residual
from tests.matching.instances import random_geo

FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _setup(seed: int, nt: int = 60, nv: int = 40, fairness: int = 0, extras: bool = False):
    p = random_geo(seed, nt, nv, span_deg=0.03, fairness=fairness, extras=extras)
    space = Space(p)
    _, res, ok = _residual(p, space)
    return p, space, res, ok


@FAST
@given(seed=st.integers(0, 10**6), fairness=st.sampled_from([0, 200]))
def test_prices_certify_an_optimal_flow(seed: int, fairness: int) -> None:
    _, space, res, ok = _setup(seed, fairness=fairness, extras=True)
    if not ok:
        return
    arcs, _ = initial_arcs(space, res, 3)
    sol = solve_flow(res, arcs, space.node_code)
    pr = prices(res, arcs, sol.chosen)
    slack = pr.slack(res, arcs)
    assert (slack[~sol.chosen] >= 0).all() and (slack[sol.chosen] <= 0).all()
    assert (pr.u >= 0).all() and (pr.w >= 0).all()
    served = np.bincount(arcs.task[sol.chosen], minlength=res.demand.size)
    assert (pr.u[served < res.demand] == 0).all()
    # the dual objective equals the flow's profit (strong duality) when fairness is off
    if fairness == 0:
        load = np.bincount(arcs.vol[sol.chosen], minlength=res.cap.size)
        assert (pr.w[load < res.cap] == 0).all()
        dual = (res.demand * pr.u).sum() + (res.cap * pr.w).sum() - slack[sol.chosen].sum()
        assert dual == sol.profit


def test_a_flow_that_is_not_optimal_has_no_prices() -> None:
    _, space, res, _ = _setup(3, 30, 20)
    arcs, _ = initial_arcs(space, res, 3)
    sol = solve_flow(res, arcs, space.node_code)
    worse = sol.chosen.copy()
    worse[np.flatnonzero(worse)[0]] = False  # drop a profitable arc: an improving path exists
    with pytest.raises(NotOptimal):
        prices(res, arcs, worse)


@FAST
@given(seed=st.integers(0, 10**6), k=st.integers(1, 6), grouped=st.booleans())
def test_pricing_finds_exactly_the_pairs_with_negative_slack(
    seed: int, k: int, grouped: bool
) -> None:
    """Grouped: tasks whose skill need and window few volunteers fit are priced against
    those alone (enough tasks that such groups form)."""
    _, space, res, ok = _setup(seed, 240 if grouped else 80, 50)
    if not ok:
        return
    arcs, lower = initial_arcs(space, res, k)
    sol = solve_flow(res, arcs, space.node_code)
    pr = prices(res, arcs, sol.chosen)
    keys = np.sort(arcs.task * space.nv + arcs.vol)
    everything = all_relevant(space, res)
    outside = ~np.isin(everything.task * space.nv + everything.vol, keys)
    want = everything.take(np.flatnonzero(outside & (pr.slack(res, everything) < 0)))
    tasks = np.flatnonzero(res.demand > 0)
    got = violations(space, res, KeySet(keys), pr, tasks, lower, grouped=grouped)
    assert set(zip(got.task.tolist(), got.vol.tolist(), strict=True)) == set(
        zip(want.task.tolist(), want.vol.tolist(), strict=True)
    )


@FAST
@given(seed=st.integers(0, 10**6), threads=st.sampled_from([1, 2]), extras=st.booleans())
def test_full_enumeration_is_every_eligible_pair_worth_serving(
    seed: int, threads: int, extras: bool
) -> None:
    """The volunteer-side enumeration against every task and volunteer measured pairwise."""
    from matching.accel.parallel import Workers
    from matching.certificate import pricing

    _, space, res, ok = _setup(seed, 70, 45, extras=extras)
    if not ok:
        return
    grid = np.indices((space.p.n_tasks, space.nv)).reshape(2, -1)
    want = pricing.relevant(space.arcs_for(grid[0], grid[1]), res, space.nv)
    with Workers(threads) as workers:
        old, pricing.ENUM_VOLS = pricing.ENUM_VOLS, 7  # several chunks, several batches
        try:
            got = all_relevant(space, res, workers)
        finally:
            pricing.ENUM_VOLS = old
    key = lambda a: sorted(zip(a.task.tolist(), a.vol.tolist(), a.cost.tolist(), strict=True))  # noqa: E731
    assert key(got) == key(want)


def test_pricing_groups_form_on_a_grouped_instance() -> None:
    """The grouped case above does price some tasks among their fitting volunteers alone."""
    _, space, res, _ = _setup(1, 240, 50)
    tasks = np.flatnonzero(res.demand > 0)
    groups = _pricing_groups(space, tasks, np.arange(space.nv), True)
    assert len(groups) > 1 and any(vols.size < space.nv for _, vols in groups)
    assert np.sort(np.concatenate([t for t, _ in groups])).tolist() == tasks.tolist()


@FAST
@given(sizes=st.lists(st.integers(0, 40), max_size=12), seed=st.integers(0, 10**6))
@example(sizes=list(range(40, 28, -1)), seed=0)
def test_key_set_holds_exactly_the_keys_added(sizes: list[int], seed: int) -> None:
    """Runs of every size, merged as they grow: membership is the union of what was added."""
    keys = np.random.default_rng(seed).permutation(10 * (sum(sizes) + 1))
    added, start = KeySet(), 0
    for n in sizes:
        added.add(keys[start : start + n])
        start += n
    assert added.size == start
    assert len(added.runs) <= max(1, int(np.log2(start + 1)) + 1)
    assert all(np.all(np.diff(r) > 0) for r in added.runs)
    assert np.array_equal(added.contains(keys), np.arange(keys.size) < start)


@pytest.mark.parametrize("size", [1_000, SORTED_LOOKUP_MIN + 1])
def test_in_sorted_is_membership_in_any_order_and_shape(size: int) -> None:
    """Small sets search the keys as given, large ones in ascending order: same answer."""
    rng = np.random.default_rng(size)
    hay = np.sort(rng.choice(10 * size, size, replace=False))
    keys = np.r_[rng.integers(-5, 10 * size + 5, 3_000), hay[rng.integers(0, hay.size, 3_000)]]
    for k in (keys, keys.reshape(2, -1), keys[:10]):
        assert np.array_equal(in_sorted(hay, k), np.isin(k, hay))


@FAST
@given(
    seed=st.integers(0, 10**6), fairness=st.sampled_from([0, 150]), keep=st.sampled_from([0, 60])
)
def test_reusing_and_repairing_components_keeps_the_optimum(
    seed: int, fairness: int, keep: int
) -> None:
    """Many small rounds (2 new arcs per task), more or fewer arcs kept active: components
    that did not change keep their flow and prices, changed ones are repaired around their new
    arcs or solved again, and the result is still the optimum."""
    p, space, res, ok = _setup(seed, 150, 90, fairness=fairness, extras=True)
    if not ok:
        return
    stats: dict[str, object] = {}
    cert = certified_flow(space, res, 2, stats, Tuning(per_task=2, keep_slack=keep))
    assert cert.flow.profit == solve_flow(res, all_relevant(space, res), space.node_code).profit
    assert int(stats["pricing_rounds"]) >= 1  # type: ignore[call-overload]


def test_components_solver_reuses_what_did_not_change() -> None:
    from matching.accel.components import ComponentSolver

    _, space, res, _ = _setup(7, 200, 120)
    arcs, _ = initial_arcs(space, res, 3)
    solver = ComponentSolver(res, space.node_code)
    idx = np.arange(arcs.size)
    chosen, pr = solver.solve(arcs, idx)
    again, pr2 = solver.solve(arcs, idx)
    assert solver.stats["arcs_reused"] == arcs.size  # the second solve re-used every component
    assert (again == chosen).all() and (pr2.u == pr.u).all() and (pr2.w == pr.w).all()
    whole = prices(res, arcs, chosen)  # prices per component equal the prices of the whole
    assert (whole.u == pr.u).all() and (whole.w == pr.w).all()
    fewer = idx[1:]  # drop one arc: its component is solved again, the optimum over the rest
    sub = arcs.take(fewer)
    chosen3, pr3 = solver.solve(sub, fewer)
    assert solver.stats["arcs_reused"] > arcs.size
    assert chosen3.sum() and (pr3.u == prices(res, sub, chosen3).u).all()
    assert solve_flow(res, sub, space.node_code).profit == flow_profit(
        res, sub.take(np.flatnonzero(chosen3))
    )


def test_certified_solve_reports_its_rounds() -> None:
    p = random_geo(11, 400, 250, span_deg=0.05)
    rounds = Tuning(full_guard=False)  # the guard would list this instance's few pairs
    r = solve(p, Params(mode=Mode.CERTIFIED, k=2, tuning=rounds))
    full = solve(p, Params(mode=Mode.FULL))
    assert r.objective == full.objective and r.stats["pricing_rounds"] >= 2


@FAST
@given(seed=st.integers(0, 10**6))
def test_seed_is_a_feasible_assignment(seed: int) -> None:
    from matching.accel.seed import seed_arcs, seed_beyond

    p, space, res, ok = _setup(seed, 120, 60, extras=True)
    if not ok:
        return
    near, _ = initial_arcs(space, res, 3)
    arcs = seed_arcs(space, res, near)
    assert (np.bincount(arcs.task, minlength=p.n_tasks) <= res.demand).all()
    assert (np.bincount(arcs.vol, minlength=p.n_vols) <= res.cap).all()
    keys = arcs.task * space.nv + arcs.vol
    assert np.unique(keys).size == keys.size  # distinct volunteers per task
    everything = all_relevant(space, res)
    assert np.isin(keys, everything.task * space.nv + everything.vol).all()  # eligible, worth it
    # what the certified solve adds to its candidates: exactly the seed's arcs not in `near`
    beyond = seed_beyond(space, res, near)
    new = np.setdiff1d(keys, near.task * space.nv + near.vol)
    assert np.array_equal(np.sort(beyond.task * space.nv + beyond.vol), np.sort(new))


def test_sorted_copy_maps_back_to_the_callers_numbering() -> None:
    """Large problems are solved on a spatially sorted copy; the answer is in the caller's ids."""
    from matching.solve import SORT_MIN_TASKS, _solve

    p = random_geo(5, SORT_MIN_TASKS + 100, 1200, span_deg=0.08, extras=True)
    sorted_run = solve(p, Params(mode=Mode.CERTIFIED))
    plain = _solve(p, Params(mode=Mode.CERTIFIED))
    assert sorted_run.objective == plain.objective and sorted_run.status == plain.status
    space = Space(p)
    dist, _, ok = space.measure(sorted_run.task, sorted_run.volunteer)
    assert ok[~sorted_run.fixed].all() and (dist == sorted_run.distance_m).all()
    fixed = set(zip(p.fixed[0].tolist(), p.fixed[1].tolist(), strict=True))
    rows = set(zip(sorted_run.task.tolist(), sorted_run.volunteer.tolist(), strict=True))
    assert fixed <= rows
    nb = sorted_run.next_best_volunteer
    assert (nb != sorted_run.volunteer).all()
    served = np.bincount(sorted_run.task, minlength=p.n_tasks)
    assert set(sorted_run.unserved_task.tolist()) == set(
        np.flatnonzero(served < p.task_demand).tolist()
    )


@FAST
@given(seed=st.integers(0, 10**6), fairness=st.sampled_from([0, 200]), share=st.floats(0.3, 0.95))
def test_cancelling_the_new_arcs_cycles_reaches_the_optimum(
    seed: int, fairness: int, share: float
) -> None:
    """An optimal flow over part of the arcs, repaired for the rest by cycle cancelling, is
    optimal over all of them, and the prices it returns prove it."""
    from matching.accel.cancel import cancel_broken

    _, space, res, ok = _setup(seed, 80, 50, fairness=fairness, extras=True)
    if not ok:
        return
    every = all_relevant(space, res)
    first = np.random.default_rng(seed).random(every.size) < share
    old = every.take(np.flatnonzero(first))
    sol = solve_flow(res, old, space.node_code)
    pr = prices(res, old, sol.chosen)
    before = np.zeros(every.size, dtype=bool)
    before[np.flatnonzero(first)[sol.chosen]] = True
    broken = (pr.slack(res, every) < 0) & ~first
    repaired = cancel_broken(res, every, before, pr.u, pr.w, broken)
    assert repaired is not None
    flow, proof = repaired
    best = solve_flow(res, every, space.node_code).profit
    assert flow_profit(res, every.take(np.flatnonzero(flow))) == best
    slack = proof.slack(res, every)
    assert (slack[~flow] >= 0).all() and (slack[flow] <= 0).all()
    assert (proof.u >= 0).all() and (proof.w >= 0).all()
    served = np.bincount(every.task[flow], minlength=res.demand.size)
    assert (proof.u[served < res.demand] == 0).all()


def test_cancelling_gives_up_when_the_prices_do_not_hold() -> None:
    from matching.accel.cancel import cancel_broken

    _, space, res, _ = _setup(3, 40, 25)
    arcs, _ = initial_arcs(space, res, 3)
    sol = solve_flow(res, arcs, space.node_code)
    pr = prices(res, arcs, sol.chosen)
    wrong = np.zeros(arcs.size, dtype=bool)  # the empty flow is not what these prices prove
    assert sol.chosen.any()
    assert cancel_broken(res, arcs, wrong, pr.u, pr.w, np.zeros(arcs.size, bool)) is None
