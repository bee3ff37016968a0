"""A tighter proven bound than the LP's: price the task rows, solve one knapsack per volunteer.

Give each task unit a price u_t >= 0. For any feasible assignment

    objective <= sum_t u_t * demand_t + sum_v K_v(u),

where K_v(u) is the most volunteer v could make alone: at most its task count within its hours,
each task worth value - cost - u_t (weak duality on the task rows). With the LP's task duals
and every knapsack solved in fractions this is the LP bound; solving the knapsacks in integers
is what tightens it, and subgradient steps on the prices tighten it further. K_v is bounded
from above, so the bound stays proven, by a dynamic programme over a grid of hours with every
load rounded down (any set that fits still fits), and by the volunteer's LP term (the LP's
count and hour duals); the smaller counts.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from matching.accel.candidates import ArcSet
from matching.certificate.lp import hour_rows
from matching.flow import Residual

Array = np.ndarray
EPS_H = 1e-9  # the hour tolerance solutions are checked with
TOL = 1e-6  # of profits, against rounding
MAX_WORK = 5e7  # table cells of a pass at most (a third of a second; else a coarser grid)
STEP = 0.2  # Polyak step length: this share of the gap to the best known solution
MOMENTUM = 0.5  # share of the last direction kept in the next (a deflected subgradient)
REFINE = 0.4  # of the time, kept for finer grids at the best prices
HALVINGS = 3  # finer grids at most


@dataclass(frozen=True, eq=False)
class _Items:
    """The knapsack items at one set of prices: each volunteer's arcs of positive priced
    profit that may be in its best knapsack, and what bounds each volunteer without one."""

    arc: Array  # index into `everything`
    vol: Array
    task: Array
    load: Array
    q: Array  # value - cost - task price
    count: Array  # per volunteer, at most this many items fit
    lp_term: Array  # per volunteer, its LP dual bound (valid for any volunteer)
    priced: float  # sum of task prices times demand


def _lp_terms(res: Residual, everything: ArcSet, duals: Array, q: Array) -> tuple[Array, Array]:
    """Per volunteer, the LP dual bound of its knapsack (count and hour duals times their
    right-hand sides plus the positive reduced profits of its arcs), and each arc's reduced
    profit."""
    nt, nv = res.demand.size, res.cap.size
    row = hour_rows(res)
    lam = np.where(row >= 0, duals[np.maximum(row, 0)], 0.0)
    mu = duals[nt : nt + nv]
    rc = q - mu[everything.vol] - lam[everything.vol] * everything.load
    hours = np.where(row >= 0, res.hours + EPS_H, 0.0)  # valid for sets within the tolerance
    return mu * res.cap + lam * hours + np.bincount(everything.vol, np.maximum(rc, 0.0), nv), rc


def _undominated(vol: Array, load: Array, q: Array, cap: Array) -> Array:
    """Items that may be in an optimal knapsack: drop an item when `cap` others of its
    volunteer are worth at least as much and weigh no more (one of them is always free to
    take its place, and they come earlier in this order). Returns indices into the inputs."""
    order = np.lexsort((load, -q, vol))
    v, w = vol[order], load[order]
    rank = np.arange(v.size) - np.searchsorted(v, v)
    width = int(cap.max())
    lightest = np.full((cap.size, width), np.inf)  # the `cap` lightest among better items
    keep = np.zeros(v.size, bool)
    for r in range(int(rank.max()) + 1 if v.size else 0):
        at = np.flatnonzero(rank == r)
        vv = v[at]
        keep[at] = w[at] < lightest[vv, cap[vv] - 1]
        rows = np.sort(np.concatenate([lightest[vv], w[at, None]], axis=1), axis=1)
        lightest[vv] = rows[:, :width]
    return order[keep]


def _count_limit(res: Residual, vol: Array, load: Array) -> Array:
    """Per volunteer, at most how many of its items a knapsack can hold: its task limit, its
    number of items, and how many of its lightest would fit in its hours (plus one, safely)."""
    nv = res.cap.size
    lightest = np.full(nv, np.inf)
    np.minimum.at(lightest, vol, load)
    with np.errstate(divide="ignore", invalid="ignore"):
        by_hours = np.floor(np.where(lightest > 0, res.hours / lightest, np.inf)) + 1
    limit = np.minimum(res.cap, np.bincount(vol, minlength=nv)).astype(np.float64)
    return np.minimum(limit, np.nan_to_num(by_hours, posinf=limit.max())).astype(np.int64)


def _items(res: Residual, everything: ArcSet, duals: Array, known: ArcSet) -> _Items:
    """Items worth a knapsack. A set holding arc j makes at most lp_term + rc_j (rc_j < 0), so
    j is in no optimal set when that is below what the volunteer's tasks in `known` make; of
    the rest, the dominated are dropped too."""
    u = duals[: res.demand.size]
    q = (res.value[everything.task] - everything.cost) - u[everything.task]
    lp_term, rc = _lp_terms(res, everything, duals, q)
    floor = _held(res, known, u)
    worth = lp_term[everything.vol] + np.minimum(rc, 0.0) >= floor[everything.vol] - TOL
    items = np.flatnonzero((q > 0) & np.isfinite(res.hours)[everything.vol] & worth)
    items = items[_undominated(everything.vol[items], everything.load[items], q[items], res.cap)]
    vol, load = everything.vol[items], everything.load[items]
    count = _count_limit(res, vol, load)
    task = everything.task[items]
    return _Items(items, vol, task, load, q[items], count, lp_term, float(u @ res.demand))


def _held(res: Residual, known: ArcSet, u: Array) -> Array:
    """Per volunteer, what its tasks in `known` make at prices u, a value its best knapsack
    reaches; 0 (the empty knapsack) where they do not form a knapsack of its own (over its
    count or hours, or a task twice), so the bound never depends on `known` being right."""
    nv = res.cap.size
    made = np.bincount(known.vol, (res.value[known.task] - known.cost) - u[known.task], nv)
    used = np.bincount(known.vol, known.load, nv)
    pairs = np.unique(known.task * nv + known.vol)
    ok = (np.bincount(known.vol, minlength=nv) <= res.cap) & (used <= res.hours + EPS_H)
    ok &= np.bincount(pairs % nv, minlength=nv) == np.bincount(known.vol, minlength=nv)
    return np.where(ok, np.maximum(made, 0.0), 0.0)


def _grid(res: Residual, it: _Items, grid_h: float) -> tuple[Array, Array]:
    """Integer weights and rooms: every weight is at most load / grid + 1e-9, so a set that
    fits its hours weighs at most its room (exact multiples of the grid keep their weight;
    the margins cover rounding error)."""
    hours = np.where(np.isfinite(res.hours), res.hours, 0.0) + EPS_H
    room = np.floor(hours / grid_h + 1e-9 * (it.count + 1) + 1e-7).astype(np.int64)
    return np.floor(it.load / grid_h + 1e-9).astype(np.int64), room


def _packings(res: Residual, it: _Items, grid_h: float) -> Array:
    """Items of each volunteer's best knapsack among those that truly fit: loads rounded up
    on the grid (within the hour tolerance) and hours rounded down."""
    hours = np.where(np.isfinite(res.hours), res.hours, 0.0)
    room = np.floor(hours / grid_h + 1e-9).astype(np.int64)
    weight = np.ceil(it.load / grid_h - 1e-9).astype(np.int64)
    return _knapsacks(it, weight, room, sets=True)[1]


def _work(res: Residual, it: _Items, grid_h: float) -> float:
    """Table cells a pass updates (its time and memory, roughly)."""
    return float(((it.count[it.vol] + 1) * (res.hours[it.vol] / grid_h + 1)).sum())


def _knapsacks(it: _Items, weight: Array, room: Array, sets: bool) -> tuple[Array, Array]:
    """Most profit per volunteer with at most count[v] items within room[v], by dynamic
    programming over all volunteers of one count limit at once; with `sets`, also which
    items make it (else none).

    The table's rows hold the volunteers with the most items first, so the r-th items of all
    of them go to its first rows (a slice, no copy), and its hours run after `pad` columns of
    -inf, so taking an item of weight w reads the same row shifted by w (a strided view)."""
    best, chosen = np.zeros(it.count.size), np.zeros(it.vol.size, bool)
    for c in np.unique(it.count[it.vol]):
        at = np.flatnonzero(it.count[it.vol] == c)
        vs, row, n_items = np.unique(it.vol[at], return_inverse=True, return_counts=True)
        by_items = np.argsort(-n_items, kind="stable")
        slot = np.empty_like(by_items)
        slot[by_items] = np.arange(by_items.size)
        vs, row = vs[by_items], slot[row]
        order = np.argsort(row, kind="stable")
        at, row = at[order], row[order]
        width = int(room[vs].max()) + 1
        pad = min(int(weight[at].max()), width)
        table = np.zeros((vs.size, c + 1, pad + width))  # [v, items, pad + hours] -> profit
        table[:, :, :pad] = -np.inf
        rank = np.arange(at.size) - np.searchsorted(row, row)
        capped = np.minimum(weight, pad)  # heavier items fit nowhere either way
        steps = [
            _add_items(table, at[rank == r], it.q, capped, pad, sets)
            for r in range(int(rank.max()) + 1)
        ]
        hours = np.minimum(room[vs], width - 1)
        best[vs] = table[np.arange(vs.size), c, pad + hours]
        if sets:
            _backtrack(steps, np.full(vs.size, c), hours, weight, chosen)
    return best, chosen


def _add_items(
    table: Array, items: Array, q: Array, weight: Array, pad: int, keep: bool
) -> tuple[Array, Array, Array] | None:
    """One item more for each of the table's first items.size volunteers (in that order):
    table[k, h] = max(itself, table[k-1, h - w] + q). Returns where the item was taken (if
    `keep`)."""
    n, c, width = items.size, table.shape[1] - 1, table.shape[2] - pad
    windows = np.lib.stride_tricks.sliding_window_view(table[:n, :-1, :], width, axis=2)
    take = windows[np.arange(n)[:, None], np.arange(c)[None, :], (pad - weight[items])[:, None]]
    take += q[items, None, None]
    now = table[:n, 1:, pad:]
    better = take > now if keep else None
    np.maximum(now, take, out=now)
    return None if better is None else (items, np.arange(n), better)


def _backtrack(steps: list, k: Array, h: Array, weight: Array, chosen: Array) -> None:
    """Mark the items of each best knapsack, walking the steps back from (count, room)."""
    for items, rows, better in reversed(steps):
        took = (k[rows] > 0) & better[np.arange(items.size), np.maximum(k[rows] - 1, 0), h[rows]]
        chosen[items[took]] = True
        k[rows[took]] -= 1
        h[rows[took]] -= weight[items[took]]


def _total(res: Residual, it: _Items, kp: Array) -> float:
    """The bound: prices times demand plus, per volunteer, the smaller of its two bounds."""
    has = np.bincount(it.vol, minlength=res.cap.size) > 0
    per_vol = np.where(has, np.minimum(it.lp_term, kp), 0.0)
    raw = it.priced + float(np.where(np.isfinite(res.hours), per_vol, it.lp_term).sum())
    return math.floor(raw + 1e-7 * max(1.0, abs(raw)))


class Prices:
    """Subgradient search on the task prices. Each step proves a bound and gives every
    volunteer's best knapsack at the current prices (together they may take a task too often
    or not at all, but their shapes are what a good assignment looks like), then moves the
    prices. Needs a feasible solution `known`: its profit is the step's target, and its tasks
    let items that cannot beat them be dropped."""

    def __init__(self, res: Residual, everything: ArcSet, duals: Array, known: ArcSet) -> None:
        if res.fairness_m > 0:
            raise ValueError("the knapsacks do not price the fairness ladder")
        self.res, self.everything, self.known = res, everything, known
        self.duals, self.best_duals = duals.copy(), duals
        self.best = math.inf  # the best bound proven so far
        self.rate = math.inf  # seconds per table cell of a pass
        self.took = 0.0  # seconds the last step took
        self.direction = np.zeros(res.demand.size)  # the last step's (deflected subgradient)

    def step(self, pack: bool = False, grid_h: float = 0.02) -> ArcSet | None:
        """Prove the bound at the current prices, then move them. With `pack`, first also
        the volunteers' best knapsacks that truly fit (loads rounded up on the grid)."""
        clock, res = time.perf_counter(), self.res
        it = _items(res, self.everything, self.duals, self.known)
        grid = grid_h * max(1.0, _work(res, it, grid_h) / MAX_WORK)
        kp, chosen = _knapsacks(it, *_grid(res, it, grid), sets=True)
        self.rate = min(self.rate, (time.perf_counter() - clock) / max(_work(res, it, grid), 1.0))
        bound = _total(res, it, kp)
        if bound < self.best:
            self.best, self.best_duals = bound, self.duals.copy()
        packed = self.everything.take(it.arc[_packings(res, it, grid)]) if pack else None
        target = float((res.value[self.known.task] - self.known.cost).sum())
        g = res.demand - np.bincount(it.task[chosen], minlength=res.demand.size)
        self.duals[: res.demand.size], self.direction = _step(
            res, self.duals, self.direction, g.astype(np.float64), bound, target
        )
        self.took = time.perf_counter() - clock
        return packed

    def refine(self, deadline: float, grid_h: float = 0.02) -> float:
        """The best bound, also tried at the best prices on grids finer than `grid_h` (halved
        each pass) while a pass should end before `deadline`; HALVINGS at most."""
        it = _items(self.res, self.everything, self.best_duals, self.known)
        for _ in range(HALVINGS):
            grid_h /= 2
            if time.perf_counter() + self.rate * _work(self.res, it, grid_h) > deadline:
                break
            kp = _knapsacks(it, *_grid(self.res, it, grid_h), sets=False)[0]
            self.best = min(self.best, _total(self.res, it, kp))
        return self.best


def knapsack_bound(
    res: Residual,
    everything: ArcSet,
    duals: Array,
    known: ArcSet,
    *,
    deadline: float = math.inf,
    steps: int = 20,
) -> float | None:
    """Proven bound over every pair in `everything` (all pairs worth serving) from the LP's
    row duals and a feasible solution `known`: subgradient steps while the time allows
    (REFINE of it kept for finer grids), `steps` at most. None with fairness on (its ladder
    is not priced)."""
    if res.fairness_m > 0:
        return None
    prices = Prices(res, everything, duals, known)
    start = time.perf_counter()
    for _ in range(steps):
        if time.perf_counter() + prices.took > start + (1 - REFINE) * (deadline - start):
            break
        prices.step()
    return prices.refine(deadline)


def _step(
    res: Residual, duals: Array, direction: Array, g: Array, bound: float, target: float
) -> tuple[Array, Array]:
    """Polyak step on the task prices along the subgradient `g` (demand minus the knapsacks'
    takings) deflected by the last direction: tasks taken too often get dearer, the others
    cheaper, never below zero. Returns the new prices and direction."""
    direction = g + MOMENTUM * direction
    norm = float((direction**2).sum())
    if norm == 0:
        return duals[: res.demand.size], direction
    step = STEP * max(bound - target, 0.0) / norm
    return np.maximum(duals[: res.demand.size] - step * direction, 0.0), direction
