"""Immutable matching problems: tasks, volunteers and how they may be paired.

Two ways in: `Problem.from_geography` (the engine finds eligible arcs itself from locations,
skills, windows and travel limits) and `Problem.from_arcs` (explicit (task, volunteer, cost,
hours) arrays, e.g. published benchmarks).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

ALL_SLOTS = np.uint64(0xFFFF_FFFF_FFFF_FFFF)
Array = np.ndarray


def _arr(x: object, n: int, default: float | np.integer, dtype: type) -> Array:
    """Broadcast a scalar / None / sequence to an array of length n with the given dtype."""
    if x is None:
        return np.full(n, default, dtype=dtype)
    a = np.asarray(x)
    if a.ndim == 0:
        return np.full(n, a, dtype=dtype)
    if a.shape != (n,):
        raise ValueError(f"expected {n} values, got shape {a.shape}")
    return a.astype(dtype, copy=False)


def _pairs(p: tuple[Array, ...] | None, width: int) -> tuple[Array, ...]:
    """Normalise optional (task, volunteer[, extra]) pair arrays to int64 arrays."""
    if p is None:
        return tuple(np.zeros(0, dtype=np.int64) for _ in range(width))
    if len(p) != width:
        raise ValueError(f"expected {width} arrays")
    return tuple(np.asarray(a, dtype=np.int64).ravel() for a in p)


@dataclass(frozen=True, eq=False)
class Geography:
    """Where tasks and volunteers are and who may go where (from_geography problems)."""

    task_lat: Array
    task_lng: Array
    task_skills: Array  # uint64 bitmask of required skills
    task_window: Array  # uint64 slot bitmask; 0 = any time
    vol_lat: Array
    vol_lng: Array
    vol_skills: Array  # uint64 bitmask of held skills
    vol_slots: Array  # uint64 slot bitmask of availability; all ones = always
    vol_max_distance_m: Array  # int64 farthest travel distance
    speed_mps: float  # travel speed for the hours load of an arc


@dataclass(frozen=True, eq=False)
class ArcTable:
    """Explicit candidate arcs (from_arcs problems)."""

    task: Array
    vol: Array
    cost: Array  # int64, e.g. metres of travel
    hours: Array  # float64 load on the volunteer's hours


@dataclass(frozen=True, eq=False)
class Problem:
    """An immutable assignment problem. Use `from_geography` or `from_arcs` to build one."""

    task_value: Array  # int64, worth of one served unit in metres of travel
    task_demand: Array  # int64, volunteers needed
    task_hours: Array  # float64
    task_priority: Array  # int64 label for the breakdown
    vol_max_tasks: Array  # int64 per week
    vol_max_hours: Array  # float64, inf = unlimited
    geo: Geography | None = None
    arcs: ArcTable | None = None
    fixed: tuple[Array, Array] = field(default_factory=lambda: _pairs(None, 2))  # type: ignore
    forbidden: tuple[Array, Array] = field(default_factory=lambda: _pairs(None, 2))  # type: ignore
    bonus: tuple[Array, Array, Array] = field(default_factory=lambda: _pairs(None, 3))  # type: ignore
    fairness_m: int = 0  # the k-th extra task on one volunteer costs k * fairness_m

    @property
    def n_tasks(self) -> int:
        return int(self.task_value.shape[0])

    @property
    def n_vols(self) -> int:
        return int(self.vol_max_tasks.shape[0])

    @classmethod
    def from_geography(
        cls,
        *,
        task_lat: Array,
        task_lng: Array,
        task_value: Array,
        vol_lat: Array,
        vol_lng: Array,
        vol_max_distance_m: Array | float,
        task_demand: Array | int | None = None,
        task_hours: Array | float | None = None,
        task_priority: Array | int | None = None,
        task_skills: Array | int | None = None,
        task_window: Array | int | None = None,
        task_resident: Array | None = None,
        vol_skills: Array | int | None = None,
        vol_slots: Array | int | None = None,
        vol_max_tasks: Array | int | None = None,
        vol_max_hours: Array | float | None = None,
        speed_kmh: float = 15.0,
        fixed: tuple[Array, Array] | None = None,
        forbidden: tuple[Array, Array] | None = None,
        continuity: tuple[Array, Array, Array] | None = None,
        previous: tuple[Array, Array] | None = None,
        continuity_bonus_m: int = 0,
        fairness_m: int = 0,
    ) -> Problem:
        """Build a problem from locations (degrees), skills/slot bitmasks and limits.

        `continuity` gives explicit (task, volunteer, bonus) arrays; alternatively `previous`
        maps residents to their previous volunteer as (resident ids, volunteer ids) arrays and
        every task of such a resident (`task_resident`) gets `continuity_bonus_m` with them.
        """
        nt, nv = len(task_lat), len(vol_lat)
        geo = Geography(
            task_lat=_arr(task_lat, nt, 0.0, np.float64),
            task_lng=_arr(task_lng, nt, 0.0, np.float64),
            task_skills=_arr(task_skills, nt, 0, np.uint64),
            task_window=_arr(task_window, nt, 0, np.uint64),
            vol_lat=_arr(vol_lat, nv, 0.0, np.float64),
            vol_lng=_arr(vol_lng, nv, 0.0, np.float64),
            vol_skills=_arr(vol_skills, nv, 0, np.uint64),
            vol_slots=_arr(vol_slots, nv, ALL_SLOTS, np.uint64),
            vol_max_distance_m=_arr(vol_max_distance_m, nv, 0, np.int64),
            speed_mps=speed_kmh / 3.6,
        )
        bonus = _continuity(continuity, previous, task_resident, continuity_bonus_m, nt)
        return cls(
            task_value=_arr(task_value, nt, 0, np.int64),
            task_demand=_arr(task_demand, nt, 1, np.int64),
            task_hours=_arr(task_hours, nt, 0.0, np.float64),
            task_priority=_arr(task_priority, nt, 0, np.int64),
            vol_max_tasks=_arr(vol_max_tasks, nv, 1, np.int64),
            vol_max_hours=_arr(vol_max_hours, nv, np.inf, np.float64),
            geo=geo,
            fixed=_pairs(fixed, 2),  # type: ignore[arg-type]
            forbidden=_pairs(forbidden, 2),  # type: ignore[arg-type]
            bonus=bonus,
            fairness_m=int(fairness_m),
        )

    @classmethod
    def from_arcs(
        cls,
        *,
        arc_task: Array,
        arc_vol: Array,
        arc_cost: Array,
        task_value: Array,
        vol_max_tasks: Array,
        arc_hours: Array | None = None,
        task_demand: Array | int | None = None,
        task_priority: Array | int | None = None,
        vol_max_hours: Array | float | None = None,
        fixed: tuple[Array, Array] | None = None,
        forbidden: tuple[Array, Array] | None = None,
        continuity: tuple[Array, Array, Array] | None = None,
        fairness_m: int = 0,
    ) -> Problem:
        """Build a problem from explicit arcs; each (task, volunteer) pair at most once."""
        nt, nv = len(task_value), len(vol_max_tasks)
        t = np.asarray(arc_task, dtype=np.int64)
        v = np.asarray(arc_vol, dtype=np.int64)
        if t.size and (t.min() < 0 or t.max() >= nt or v.min() < 0 or v.max() >= nv):
            raise ValueError("arc endpoint out of range")
        keys = t * nv + v
        if np.unique(keys).size != keys.size:
            raise ValueError("duplicate (task, volunteer) arc")
        arcs = ArcTable(
            task=t,
            vol=v,
            cost=np.asarray(arc_cost, dtype=np.int64),
            hours=_arr(arc_hours, t.size, 0.0, np.float64),
        )
        return cls(
            task_value=_arr(task_value, nt, 0, np.int64),
            task_demand=_arr(task_demand, nt, 1, np.int64),
            task_hours=np.zeros(nt),
            task_priority=_arr(task_priority, nt, 0, np.int64),
            vol_max_tasks=_arr(vol_max_tasks, nv, 1, np.int64),
            vol_max_hours=_arr(vol_max_hours, nv, np.inf, np.float64),
            arcs=arcs,
            fixed=_pairs(fixed, 2),  # type: ignore[arg-type]
            forbidden=_pairs(forbidden, 2),  # type: ignore[arg-type]
            bonus=_pairs(continuity, 3),  # type: ignore[arg-type]
            fairness_m=int(fairness_m),
        )


def _continuity(
    explicit: tuple[Array, Array, Array] | None,
    previous: tuple[Array, Array] | None,
    task_resident: Array | None,
    bonus_m: int,
    n_tasks: int,
) -> tuple[Array, Array, Array]:
    """Continuity bonus pairs from explicit triples and/or a resident -> volunteer mapping."""
    t, v, b = _pairs(explicit, 3)
    if previous is not None and task_resident is not None and bonus_m > 0:
        res = np.asarray(previous[0], dtype=np.int64)
        prev_v = np.asarray(previous[1], dtype=np.int64)
        order = np.argsort(res, kind="stable")
        res, prev_v = res[order], prev_v[order]
        tr = _arr(task_resident, n_tasks, -1, np.int64)
        pos = np.clip(np.searchsorted(res, tr), 0, max(res.size - 1, 0))
        hit = (tr >= 0) & (res.size > 0) & (res[pos] == tr) if res.size else np.zeros(n_tasks, bool)
        tasks = np.flatnonzero(hit)
        t = np.concatenate([t, tasks])
        v = np.concatenate([v, prev_v[pos[tasks]]])
        b = np.concatenate([b, np.full(tasks.size, bonus_m, dtype=np.int64)])
    return t, v, b


def permuted(p: Problem, task_order: Array, vol_order: Array) -> Problem:
    """The same problem with tasks and volunteers renumbered: new task i is old task_order[i]
    (likewise volunteers). Solving a spatially sorted copy keeps memory access local."""
    t_new = np.empty_like(task_order)
    t_new[task_order] = np.arange(task_order.size)
    v_new = np.empty_like(vol_order)
    v_new[vol_order] = np.arange(vol_order.size)

    def pair(x: tuple[Array, Array]) -> tuple[Array, Array]:
        return t_new[x[0]], v_new[x[1]]

    geo = arcs = None
    if p.geo is not None:
        g = p.geo
        geo = Geography(
            task_lat=g.task_lat[task_order],
            task_lng=g.task_lng[task_order],
            task_skills=g.task_skills[task_order],
            task_window=g.task_window[task_order],
            vol_lat=g.vol_lat[vol_order],
            vol_lng=g.vol_lng[vol_order],
            vol_skills=g.vol_skills[vol_order],
            vol_slots=g.vol_slots[vol_order],
            vol_max_distance_m=g.vol_max_distance_m[vol_order],
            speed_mps=g.speed_mps,
        )
    if p.arcs is not None:
        a = p.arcs
        arcs = ArcTable(t_new[a.task], v_new[a.vol], a.cost, a.hours)
    return Problem(
        task_value=p.task_value[task_order],
        task_demand=p.task_demand[task_order],
        task_hours=p.task_hours[task_order],
        task_priority=p.task_priority[task_order],
        vol_max_tasks=p.vol_max_tasks[vol_order],
        vol_max_hours=p.vol_max_hours[vol_order],
        geo=geo,
        arcs=arcs,
        fixed=pair(p.fixed),
        forbidden=pair(p.forbidden),
        bonus=(t_new[p.bonus[0]], v_new[p.bonus[1]], p.bonus[2]),
        fairness_m=p.fairness_m,
    )
