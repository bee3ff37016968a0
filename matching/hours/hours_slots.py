"""Slot flows: a very large hour-feasible neighbourhood, searched exactly by min-cost flow.

Give every volunteer a *profile* of slots, each with an hour limit, whose limits add up to at
most its hours. A task may fill a slot whose limit is at least its load. Any assignment that
fits the profiles respects the hours, and finding the best one is a min-cost flow: a task enters
the smallest slot it fits, and a staircase of arcs lets it move up to any larger slot of the same
volunteer (a set of tasks fits some slots exactly when it fits the largest ones).

A profile built from the current solution (one slot per task at its load, the spare hours added
to one slot or opened as a new one) contains that solution, so the flow never does worse; it
re-routes whole chains of tasks at once, which local moves cannot. Each round places the spare
hours differently, so the neighbourhood keeps changing.
"""

from __future__ import annotations

import time

import numpy as np

from matching.accel.candidates import ArcSet
from matching.flow import Residual, optimal_flows, profit

Array = np.ndarray
SOURCE, SINK = 0, 1
FIT = 1e-12  # a load fits a slot up to rounding of the limit itself
EPS_H = 1e-9  # the hour tolerance solutions are checked with


LARGEST, NEW, SMALLEST = 0, 1, 2  # where a volunteer's spare hours go


def profiles(res: Residual, chosen: ArcSet, spare_to: Array) -> tuple[Array, Array]:
    """Slots (volunteer, hour limit) holding `chosen`, sorted by volunteer then falling limit.

    Each volunteer's spare hours go where `spare_to` says: to its largest slot, its smallest,
    or a new slot (when it may take another task, else the largest); an idle volunteer gets
    one slot of all its hours, one with unlimited hours as many unlimited slots as it may
    take tasks. `chosen` need not fit the hours: the slots of a volunteer over its hours are
    shrunk in proportion until they do."""
    nv = res.cap.size
    limited = np.isfinite(res.hours)
    c = chosen.take(np.flatnonzero(limited[chosen.vol]))
    count = np.bincount(c.vol, minlength=nv)
    used = np.bincount(c.vol, weights=c.load, minlength=nv)
    # a set over its hours (knapsacks on a rounded grid may be) gets slots shrunk to fit
    over = used > res.hours + EPS_H
    load = np.where(over[c.vol], c.load * (res.hours / np.where(over, used, 1.0))[c.vol], c.load)
    spare = np.maximum(res.hours - np.bincount(c.vol, weights=load, minlength=nv), 0.0)
    opens = limited & (res.cap > count) & ((count == 0) | (spare_to == NEW))
    vol = np.concatenate([c.vol, np.flatnonzero(opens)])
    limit = np.concatenate([load, np.zeros(int(opens.sum()))])
    order = np.lexsort((-limit, vol))  # a new slot (limit 0) comes last of its volunteer
    v = vol[order]
    first = np.flatnonzero(np.diff(v, prepend=-1))
    last = np.r_[first[1:], v.size] - 1
    to_last = opens[v[first]] | (spare_to[v[first]] == SMALLEST)
    limit[order[np.where(to_last, last, first)]] += spare[v[first]]
    free = np.flatnonzero(~limited & (res.cap > 0))
    vol = np.concatenate([vol, np.repeat(free, res.cap[free])])
    limit = np.concatenate([limit, np.full(int(res.cap[free].sum()), np.inf)])
    order = np.lexsort((-limit, vol))
    vol, limit = vol[order], limit[order]
    keep = np.arange(vol.size) - np.searchsorted(vol, vol) < res.cap[vol]  # never over count
    return vol[keep], limit[keep]


def _pairs(first: Array, second: Array) -> Array:
    """(first, second) as complex numbers, which numpy orders lexicographically."""
    z = np.empty(first.size, np.complex128)
    z.real, z.imag = first, second
    return z


def _entry_slot(slot_vol: Array, slot_limit: Array, arcs: ArcSet) -> Array:
    """Index of the smallest slot of each arc's volunteer that its load fits (-1: none).
    Slots come sorted by volunteer then falling limit; of a volunteer's n slots, the ones
    its load fits are the first `fitting`."""
    ascending = np.sort(_pairs(slot_vol.astype(np.float64), slot_limit + FIT))
    first = np.searchsorted(slot_vol, arcs.vol)
    end = np.searchsorted(slot_vol, arcs.vol, side="right")
    fitting = end - np.searchsorted(ascending, _pairs(arcs.vol.astype(np.float64), arcs.load))
    return np.where(fitting > 0, first + fitting - 1, -1)


def slot_flow(res: Residual, arcs: ArcSet, slot_vol: Array, slot_limit: Array) -> Array:
    """The best assignment over `arcs` that fits the slots (a mask over `arcs`)."""
    entry = _entry_slot(slot_vol, slot_limit, arcs)
    usable = np.flatnonzero((entry >= 0) & (res.demand[arcs.task] > 0))
    flows = optimal_flows(*_network(res, arcs.take(usable), entry[usable], slot_vol))
    chosen = np.zeros(arcs.size, bool)
    chosen[usable] = flows[: usable.size] > 0
    return chosen


def _network(res: Residual, a: ArcSet, entry: Array, slot_vol: Array) -> tuple[Array, ...]:
    """Arcs (tails, heads, capacities, costs; the task arcs first) and supplies: source ->
    task (its demand, paying minus its value), task -> the slot it enters, slot -> the next
    larger slot of its volunteer, slot -> sink (one task; with fairness the k-th slot pays the
    k-th step), and source -> sink for units left unserved."""
    tasks = np.unique(a.task)
    task_node = np.full(res.demand.size, -1, np.int64)
    task_node[tasks] = 2 + np.arange(tasks.size)
    slot_node = 2 + tasks.size + np.arange(slot_vol.size)
    rank = np.arange(slot_vol.size) - np.searchsorted(slot_vol, slot_vol)
    up = np.flatnonzero(rank > 0)
    demand = res.demand[tasks]
    total = int(demand.sum())
    n = slot_vol.size
    tails = np.r_[task_node[a.task], np.full(tasks.size, SOURCE), slot_node, slot_node[up], SOURCE]
    heads = np.r_[slot_node[entry], task_node[tasks], np.full(n, SINK), slot_node[up - 1], SINK]
    caps = np.r_[
        np.ones(a.size, np.int64), demand, np.ones(n, np.int64), res.cap[slot_vol[up]], total
    ]
    step = res.fairness_m * (res.fair_start[slot_vol] + rank)
    costs = np.r_[a.cost, -res.value[tasks], step, np.zeros(up.size, np.int64), 0]
    supplies = np.zeros(2 + tasks.size + n, np.int64)
    supplies[SOURCE], supplies[SINK] = total, -total
    return tails, heads, caps, costs, supplies


def improve(
    res: Residual,
    pool: ArcSet,
    chosen: ArcSet,
    rng: np.random.Generator,
    deadline: float,
    patience: int = 12,
) -> tuple[ArcSet, int]:
    """Slot-flow rounds from `chosen` (whose arcs must be in `pool`) until `patience` rounds
    in a row bring nothing or the next round would end after `deadline` (judged by the last
    one). Ties are accepted: they move the solution, and with it the next profiles. Returns
    the best solution and the rounds run."""
    best, best_profit = chosen, profit(res, chosen)
    stall = rounds = 0
    took = 0.0
    while stall < patience and time.perf_counter() + took < deadline:
        clock = time.perf_counter()
        rounds += 1
        spare_to = rng.integers(0, 3, res.cap.size)
        new = pool.take(np.flatnonzero(slot_flow(res, pool, *profiles(res, best, spare_to))))
        gain = profit(res, new) - best_profit
        stall = 0 if gain > 0 else stall + 1
        if gain >= 0:
            best, best_profit = new, best_profit + gain
        took = time.perf_counter() - clock
    return best, rounds


def fill(res: Residual, pool: ArcSet, chosen: ArcSet) -> ArcSet:
    """`chosen` (hour-feasible, arcs in `pool`) re-routed by one slot flow in which every
    volunteer that may take another task offers its spare hours as a new slot."""
    spare_to = np.full(res.cap.size, NEW)
    return pool.take(np.flatnonzero(slot_flow(res, pool, *profiles(res, chosen, spare_to))))
