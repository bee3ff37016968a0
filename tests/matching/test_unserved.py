"""Explanations: next-best volunteers and the reasons for unserved tasks, found by nearest
neighbours first, against a look at every volunteer."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import matching.explain
from matching import Mode, Params, solve
from tests.matching.instances import random_geo
from tests.matching.reference import next_best_reference, unserved_reference

# the monkeypatch holds one value for every example of a run: not reset between them is fine
FAST = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.mark.parametrize(("first", "nearest"), [(1, 1), (1, 3), (8, 32)])
@FAST
@given(
    seed=st.integers(0, 10**6),
    nt=st.integers(1, 60),
    nv=st.integers(1, 45),
    hours=st.booleans(),
    extras=st.booleans(),
    mode=st.sampled_from([Mode.CERTIFIED, Mode.GREEDY]),
)
def test_explanations_match_every_volunteer(
    monkeypatch: pytest.MonkeyPatch,
    first: int,
    nearest: int,
    seed: int,
    nt: int,
    nv: int,
    hours: bool,
    extras: bool,
    mode: Mode,
) -> None:
    """Few nearest volunteers per task force the later steps; many let them stop early."""
    monkeypatch.setattr(matching.explain, "FIRST_K", first)
    monkeypatch.setattr(matching.explain, "WITNESS_K", nearest)
    p = random_geo(seed, nt, nv, span_deg=0.04, hours=hours, extras=extras)
    r = solve(p, Params(mode=mode, time_limit_s=20))
    got = dict(zip(r.unserved_task.tolist(), r.unserved_reason.tolist(), strict=True))
    assert got == unserved_reference(p, r.task, r.volunteer, r.load_h)
    cost = r.distance_m - r.bonus_m
    for i, best in enumerate(next_best_reference(p, r.task, r.volunteer)):
        nb = int(r.next_best_volunteer[i])
        assert (nb < 0) == (best is None)
        if best is not None:
            assert int(r.extra_cost_m[i]) == best - int(cost[i])
            assert nb != int(r.volunteer[i])
