"""Candidates spread over a busy area's catchment: where nearby demand exceeds nearby supply,
a task's nearest volunteers are the same few for all its neighbours, and the volunteers who
end up serving the area lie in a ring around it. Such a task also gets arcs to volunteers
drawn across the box that holds enough capacity for the demand around it.

The catchment comes from a grid: open task demand and volunteer capacity summed per cell,
box sums from 2D prefix sums over a ladder of half-widths, the first whose capacity covers
the demand (or the share of it that capacity covers overall; an estimate: skills and windows
are ignored). A draw is a random point of the catchment and a random volunteer of that
point's cell among those holding the task's skills (no KD query); only eligible, worthwhile
arcs not already among the candidates are kept.
"""

from __future__ import annotations

import numpy as np

from matching.accel.candidates import ArcSet, Space, in_sorted
from matching.flow import Residual
from matching.geo import EARTH_RADIUS_M

Array = np.ndarray
CELL_M = 250.0
LADDER = np.array([1, 2, 3, 4, 6, 8, 12, 16, 24])  # box half-widths, in cells
DRAWS = 16  # random points per task whose catchment reaches beyond its nearest list


def _planar(lat: Array, lng: Array, lat0: float) -> tuple[Array, Array]:
    y = np.radians(lat) * EARTH_RADIUS_M
    x = np.radians(lng) * EARTH_RADIUS_M * np.cos(np.radians(lat0))
    return x, y


class _Grid:
    """Tasks and volunteers in square cells of CELL_M (planar around the tasks' mean
    latitude), with a margin of the ladder's largest half-width on every side."""

    def __init__(self, space: Space, tasks: Array) -> None:
        g = space.p.geo
        assert g is not None
        self.lat0 = float(np.mean(g.task_lat[tasks]))
        tx, ty = _planar(g.task_lat, g.task_lng, self.lat0)
        vx, vy = _planar(g.vol_lat, g.vol_lng, self.lat0)
        self.x0, self.y0 = min(tx.min(), vx.min()), min(ty.min(), vy.min())
        self.pad = int(LADDER[-1])
        self.tcx, self.tcy = self.cells(tx, ty)
        self.vcx, self.vcy = self.cells(vx, vy)
        self.shape = (
            int(max(self.tcx.max(), self.vcx.max())) + self.pad + 2,
            int(max(self.tcy.max(), self.vcy.max())) + self.pad + 2,
        )

    def cells(self, x: Array, y: Array) -> tuple[Array, Array]:
        return (
            ((x - self.x0) // CELL_M).astype(np.int64) + self.pad,
            ((y - self.y0) // CELL_M).astype(np.int64) + self.pad,
        )

    def prefix(self, cx: Array, cy: Array, weight: Array) -> Array:
        """2D prefix sums of `weight` by cell (one row and column of zeros in front)."""
        grid = np.zeros(self.shape)
        np.add.at(grid, (cx, cy), weight)
        out = np.zeros((self.shape[0] + 1, self.shape[1] + 1))
        out[1:, 1:] = grid.cumsum(0).cumsum(1)
        return out

    def index(self, vols: Array) -> tuple[Array, Array]:
        """`vols` sorted by cell and where each cell's run starts (CSR over flat cell ids)."""
        flat = self.vcx[vols] * self.shape[1] + self.vcy[vols]
        order = np.argsort(flat, kind="stable")
        starts = np.searchsorted(flat[order], np.arange(self.shape[0] * self.shape[1] + 1))
        return vols[order], starts


def catchment_m(grid: _Grid, res: Residual, tasks: Array) -> Array:
    """Per task, the half-width (metres) of the smallest box around it, on a ladder, whose
    volunteer capacity covers its open demand, or the share of it that capacity covers
    overall (the last rung where none does)."""
    open_t = np.flatnonzero(res.demand > 0)
    room = np.maximum(res.cap, 0)
    demand = grid.prefix(grid.tcx[open_t], grid.tcy[open_t], res.demand[open_t].astype(float))
    supply = grid.prefix(grid.vcx, grid.vcy, room.astype(float))
    # where capacity falls short of demand overall, the catchment is where it covers the same
    # share of the demand as everywhere
    share = min(1.0, float(room.sum()) / max(float(res.demand[open_t].sum()), 1.0))
    cx, cy = grid.tcx[tasks], grid.tcy[tasks]
    radius = np.full(tasks.size, float(LADDER[-1] * CELL_M))
    left = np.ones(tasks.size, dtype=bool)
    for h in LADDER:
        lo_x, hi_x, lo_y, hi_y = cx - h, cx + h + 1, cy - h, cy + h + 1

        def box(p: Array) -> Array:
            return p[hi_x, hi_y] - p[lo_x, hi_y] - p[hi_x, lo_y] + p[lo_x, lo_y]  # noqa: B023

        ok = left & (box(supply) >= share * box(demand))
        radius[ok] = h * CELL_M
        left &= ~ok
    return radius


def spread_arcs(
    space: Space, res: Residual, have: ArcSet, lower: Array, rng: np.random.Generator
) -> ArcSet:
    """Arcs from the tasks whose catchment reaches beyond their nearest list (`lower`: the
    distance past it) to volunteers drawn across the catchment, none of them in `have`.

    A draw is a random point of the disk and a random volunteer of its cell among those who
    hold the task's skills (none if the cell has none): no KD query."""
    g = space.p.geo
    if g is None or space.nv == 0:
        return ArcSet.empty()
    tasks = np.flatnonzero(res.demand > 0)
    if tasks.size == 0:
        return ArcSet.empty()
    grid = _Grid(space, tasks)
    radius = np.minimum(catchment_m(grid, res, tasks), res.value[tasks] - 1)
    far = radius > lower[tasks]
    tasks, radius = tasks[far], radius[far]
    if tasks.size == 0:
        return ArcSet.empty()
    need = g.task_skills[tasks]
    parts = []
    for s in np.unique(need):
        mine = need == s
        t, rad = tasks[mine], radius[mine]
        n = t.size * DRAWS
        ang = rng.random(n) * 2 * np.pi
        dist = np.repeat(rad, DRAWS) * np.sqrt(rng.random(n))
        tt = np.repeat(t, DRAWS)
        x, y = _planar(g.task_lat[tt], g.task_lng[tt], grid.lat0)
        cx, cy = grid.cells(x + dist * np.cos(ang), y + dist * np.sin(ang))
        cx = np.clip(cx, 0, grid.shape[0] - 1)
        cy = np.clip(cy, 0, grid.shape[1] - 1)
        vols, starts = grid.index(np.flatnonzero((g.vol_skills & s) == s))
        flat = cx * grid.shape[1] + cy
        lo, count = starts[flat], starts[flat + 1] - starts[flat]
        hit = count > 0
        pick = lo[hit] + (rng.random(int(hit.sum())) * count[hit]).astype(np.int64)
        parts.append(space.arcs_for(tt[hit], vols[pick]))
    a = ArcSet.concat([ArcSet.empty(), *parts])
    keys = a.task * space.nv + a.vol
    _, first = np.unique(keys, return_index=True)
    a, keys = a.take(first), keys[first]
    fresh = ~in_sorted(np.sort(have.task * space.nv + have.vol), keys)
    ok = fresh & (res.cap[a.vol] > 0) & (res.value[a.task] > a.cost)
    return a.take(np.flatnonzero(ok))
