"""The solver libraries (OR-Tools, HiGHS through MathOpt and scipy) print nothing."""

from __future__ import annotations

import pytest

from matching import Params, Status, solve
from tests.matching.instances import random_arcs, random_geo
from tests.matching.orlib import ORLIB, gap


@pytest.mark.parametrize("threads", [1, 2, 1])
def test_generalised_assignment_solves_print_nothing(capfd, threads: int) -> None:
    """Hours bind: the LP, the knapsack bounds and the exact MIP all run (thread counts
    alternate in one process, which HiGHS refuses unless every solve asks the same)."""
    for seed in range(4):
        p = random_arcs(seed, nt=30, nv=8, density=0.7, hours=True)
        r = solve(p, Params(time_limit_s=5, seed=seed, threads=threads))
        assert r.status in (Status.OPTIMAL, Status.FEASIBLE)
    p = random_geo(5, 60, 20, hours=True)
    solve(p, Params(time_limit_s=3, threads=threads))
    out, err = capfd.readouterr()
    assert out == "" and err == ""


@pytest.mark.skipif(not ORLIB.is_dir(), reason=f"OR-Library files not found at {ORLIB}")
def test_orlib_gap_solves_print_nothing(capfd) -> None:
    for name, threads in [("c05100", 2), ("gap12-0", 1)]:
        p, _ = gap(name)
        assert solve(p, Params(time_limit_s=10, threads=threads)).status == Status.OPTIMAL
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_certified_and_timed_out_solves_print_nothing(capfd) -> None:
    p = random_geo(9, 400, 300, span_deg=0.05)
    for params in (
        Params(time_limit_s=5, threads=2),
        Params(time_limit_s=0.001, threads=1),
    ):
        solve(p, params)
    out, err = capfd.readouterr()
    assert out == "" and err == ""
