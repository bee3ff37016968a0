"""The LP relaxation with hours is a valid bound over every eligible pair, tighter than the flow's,
and LP rounding gives a feasible assignment."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.accel.candidates import Space
from matching.certificate.lp import certified_lp
from matching.certificate.pricing import all_relevant, initial_arcs
from matching.hours.hours import hours_fit, lp_rounding
from matching.solve import _residual
from tests.matching.instances import random_geo
from tests.matching.reference import brute_force


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10**6), rounds=st.sampled_from([1, 3]))
def test_lp_bound_is_valid_and_rounding_feasible(seed: int, rounds: int) -> None:
    p = random_geo(seed, 9, 4, hours=True)
    space = Space(p)
    _, res, ok = _residual(p, space)
    if not ok:
        return
    everything = all_relevant(space, res)
    candidates, _ = initial_arcs(space, res, 2)  # deliberately too few: pricing must fix it
    lp = certified_lp(res, candidates, everything, seconds=10, max_rounds=rounds)
    optimum = brute_force(p)
    assert lp is not None and optimum is not None
    assert lp.bound >= optimum - 1e-6
    rounded = lp_rounding(res, lp.support, lp.x, everything)
    assert hours_fit(res, rounded)
    assert np.all(np.bincount(rounded.task, minlength=p.n_tasks) <= p.task_demand)
    assert np.all(np.bincount(rounded.vol, minlength=p.n_vols) <= p.vol_max_tasks)
