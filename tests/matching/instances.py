"""Small random instances for the matching tests (fixed seeds, a few hundred metres apart)."""

from __future__ import annotations

import numpy as np

from matching.problem import Problem


def random_geo(
    seed: int,
    nt: int = 8,
    nv: int = 6,
    *,
    span_deg: float = 0.02,
    hours: bool = False,
    fairness: int = 0,
    extras: bool = False,
) -> Problem:
    """A random geography problem around Shanghai with skills, windows and optional extras."""
    rng = np.random.default_rng(seed)
    lat0, lng0 = 31.23, 121.47
    kw: dict = {}
    if extras:
        tv = rng.integers(0, nt * nv, size=3)
        kw["forbidden"] = (tv // nv, tv % nv)
        kw["continuity"] = (
            rng.integers(0, nt, 2),
            rng.integers(0, nv, 2),
            rng.integers(100, 900, 2),
        )
        kw["fixed"] = (np.array([int(rng.integers(nt))]), np.array([int(rng.integers(nv))]))
    return Problem.from_geography(
        task_lat=lat0 + rng.random(nt) * span_deg,
        task_lng=lng0 + rng.random(nt) * span_deg,
        task_value=rng.integers(300, 3000, nt),
        task_demand=rng.integers(1, 3, nt),
        task_hours=rng.uniform(0.5, 3.0, nt),
        task_priority=rng.integers(1, 4, nt),
        task_skills=rng.integers(0, 4, nt).astype(np.uint64),
        task_window=np.where(rng.random(nt) < 0.3, rng.integers(1, 8, nt), 0).astype(np.uint64),
        vol_lat=lat0 + rng.random(nv) * span_deg,
        vol_lng=lng0 + rng.random(nv) * span_deg,
        vol_skills=rng.integers(0, 4, nv).astype(np.uint64),
        vol_slots=np.where(rng.random(nv) < 0.5, rng.integers(1, 8, nv), 0xFFFF).astype(np.uint64),
        vol_max_distance_m=rng.integers(500, 2500, nv),
        vol_max_tasks=rng.integers(1, 4, nv),
        vol_max_hours=rng.uniform(2.0, 6.0, nv) if hours else None,
        fairness_m=fairness,
        **kw,
    )


def random_arcs(
    seed: int, nt: int = 8, nv: int = 5, density: float = 0.6, hours: bool = False
) -> Problem:
    """A random explicit-arc problem."""
    rng = np.random.default_rng(seed)
    grid = np.argwhere(rng.random((nt, nv)) < density)
    return Problem.from_arcs(
        arc_task=grid[:, 0],
        arc_vol=grid[:, 1],
        arc_cost=rng.integers(0, 100, grid.shape[0]),
        arc_hours=rng.uniform(1, 4, grid.shape[0]),
        task_value=rng.integers(20, 120, nt),
        task_demand=rng.integers(1, 3, nt),
        vol_max_tasks=rng.integers(1, 4, nv),
        vol_max_hours=rng.uniform(2, 7, nv) if hours else None,
    )
