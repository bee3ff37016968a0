"""Lianxin matching engine (连心匹配): exact, fast assignment of volunteers to tasks.

Pure numpy / scipy / OR-Tools. Build a `Problem` (from geography or from explicit arcs), call
`solve(problem, Params(...))`, read the `Result`.
"""

from matching.certificate.certify import Tuning
from matching.geo import EARTH_RADIUS_M, haversine_m
from matching.problem import ALL_SLOTS, Problem
from matching.result import Breakdown, Result, Status, Unserved
from matching.solve import Mode, Params, objective, solve

__all__ = [
    "ALL_SLOTS",
    "EARTH_RADIUS_M",
    "Breakdown",
    "Mode",
    "Params",
    "Problem",
    "Result",
    "Status",
    "Tuning",
    "Unserved",
    "haversine_m",
    "objective",
    "solve",
]
