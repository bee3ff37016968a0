"""External checks: OR-Library assignment and generalised assignment optima."""

from __future__ import annotations

import pytest

from matching import Params, Status, solve
from tests.matching.orlib import BIG, ORLIB, assignment, gap, gap_optimum

pytestmark = pytest.mark.skipif(not ORLIB.is_dir(), reason=f"OR-Library files not found at {ORLIB}")


@pytest.mark.parametrize(
    ("name", "optimum"),
    [("assign100", 305), ("assign800", 1552), ("assignp800", 2239), ("assignp5000", 48533)],
)
def test_linear_assignment_optimum(name: str, optimum: int) -> None:
    p, n = assignment(name)
    r = solve(p, Params(k=10, time_limit_s=30))
    assert r.status == Status.OPTIMAL
    assert r.size == n
    assert BIG * n - r.objective == optimum


@pytest.mark.parametrize("name", ["gap1-0", "gap12-0", "a05100", "c05100"])
def test_generalised_assignment_optimum(name: str) -> None:
    p, n = gap(name)
    r = solve(p, Params(time_limit_s=30, mip_rel_gap=0.0))
    assert r.status == Status.OPTIMAL
    assert r.size == n
    assert BIG * n - r.objective == gap_optimum(name)
    assert BIG * n - r.bound == gap_optimum(name)
