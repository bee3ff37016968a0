"""LP dual prices of an optimal flow: what each task and each volunteer is worth at the margin.

The count problem's LP is  max Σ (value_t − cost_tv) x_tv − fairness steps, with task rows
(≤ demand) and volunteer rows (≤ max tasks, or a ladder of unit steps with rising cost). Its
dual gives every task a price u_t ≥ 0 and every volunteer a price w_v ≥ 0, and a flow x is
optimal over a set of arcs exactly when prices exist with
    u_t + w_v ≥ value_t − cost_tv   for every arc of the set with x_tv = 0,
    u_t + w_v ≤ value_t − cost_tv   where x_tv = 1 (the arc is at its capacity of one),
    u_t = 0 where the task is not fully served,
    c(L−1) ≤ w_v ≤ c(L) for a volunteer with L tasks (c(k): cost of its k-th ladder step;
    all 0 without fairness, where c(−1) = 0 and c(cap) = ∞).
These are difference constraints: with y = u and z = −w they read z_v ≤ y_t − g (unused
arcs) and y_t ≤ z_v + g (used arcs), plus bounds against a root pinned at 0. Shortest paths from the root (a
vectorised Bellman-Ford) give the solution with the largest u and smallest w; a negative cycle
means the flow is not optimal. Pinning the root (instead of free source and sink potentials)
keeps the prices of one region unchanged when another region's flow changes.

Any pair outside the set is then priced by its slack  cost_tv − value_t + u_t + w_v: when every
eligible pair has slack ≥ 0 the flow is optimal over all of them (LP duality).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching.accel.candidates import ArcSet
from matching.flow import Residual

Array = np.ndarray
INF = np.int64(1) << np.int64(60)


class NotOptimal(RuntimeError):
    """The flow admits an improving cycle: no dual prices certify it."""


@dataclass(frozen=True, eq=False)
class Prices:
    """Dual prices: u per task, w per volunteer (int64, metres)."""

    u: Array
    w: Array

    def slack(self, res: Residual, arcs: ArcSet) -> Array:
        """cost − value + u + w: negative means the arc could improve the solution."""
        return arcs.cost - res.value[arcs.task] + self.u[arcs.task] + self.w[arcs.vol]

    def reach(self, res: Residual) -> Array:
        """value − u per task: a pair can improve only if cost < reach_t − w_v."""
        return res.value - self.u


def _volunteer_bounds(res: Residual, load: Array) -> tuple[Array, Array, Array, Array]:
    """Root arcs for volunteers: w_v ≥ low_v (root -> v, weight −low) and, where a ladder step is
    still free, w_v ≤ high_v (v -> root, weight high)."""
    nv = res.cap.size
    vols = np.arange(nv)
    low = np.where(load > 0, res.step_cost(vols, np.maximum(load - 1, 0)), 0)
    if res.fairness_m <= 0:
        low = np.zeros(nv, dtype=np.int64)
    room = np.flatnonzero(load < res.cap)
    high = res.step_cost(room, load[room]) if res.fairness_m > 0 else np.zeros(room.size, np.int64)
    return low.astype(np.int64), room, high.astype(np.int64), vols


def prices(res: Residual, arcs: ArcSet, chosen: Array) -> Prices:
    """Dual prices certifying that `chosen` is optimal over `arcs` (the largest u and smallest
    w that do); raises NotOptimal. Other certifying prices exist (the set is a polytope); the
    smallest u and largest w, or the average of both extremes, were measured to let more pairs
    outside the set price out, so they cost more rounds."""
    nt = res.demand.size
    d = shortest_from_root(*dual_graph(res, arcs, chosen))
    return Prices(u=d[1 : 1 + nt], w=-d[1 + nt :])


def dual_graph(res: Residual, arcs: ArcSet, chosen: Array) -> tuple[int, Array, Array, Array]:
    """The difference constraints of the prices as a graph: node count, tails, heads, costs.
    Node 0 is the root, tasks follow from 1, then volunteers; the first arcs.size arcs are the
    arcs' own (task -> volunteer if unused, volunteer -> task if chosen), then the root arcs.
    It is the flow's residual network with source and sink merged into the root."""
    nt, nv = res.demand.size, res.cap.size
    g = (res.value[arcs.task] - arcs.cost).astype(np.int64)
    served = np.bincount(arcs.task[chosen], minlength=nt)
    load = np.bincount(arcs.vol[chosen], minlength=nv)
    if (served > res.demand).any() or (load > res.cap).any():
        raise ValueError("the flow exceeds a demand or a capacity")
    open_t = np.flatnonzero(served < res.demand)
    low, room, high, vols = _volunteer_bounds(res, load)
    task_node, vol_node = 1 + np.arange(nt), 1 + nt + np.arange(nv)
    at, av = task_node[arcs.task], vol_node[arcs.vol]
    root = np.zeros
    i64 = np.int64
    arcs_of = [  # (tails, heads, costs) of each family of constraints
        # u + w >= g where unused, u + w <= g where chosen
        (np.where(chosen, av, at), np.where(chosen, at, av), np.where(chosen, g, -g)),
        (task_node, root(nt, i64), root(nt, i64)),  # u >= 0
        (root(open_t.size, i64), task_node[open_t], root(open_t.size, i64)),  # u = 0 if open
        (root(nv, i64), vol_node[vols], -low),  # w >= low
        (vol_node[room], root(room.size, i64), high),  # w <= high while a step is free
    ]
    tails, heads, costs = (np.concatenate([f[i] for f in arcs_of]) for i in range(3))
    return 1 + nt + nv, tails, heads, costs


def shortest_from_root(n: int, tails: Array, heads: Array, costs: Array) -> Array:
    """Distances from node 0 (pinned at 0), relaxing only arcs out of nodes that changed.
    Raises NotOptimal on a negative cycle (the root is lowered or rounds run out)."""
    order = np.argsort(tails, kind="stable")
    t, h, c = tails[order], heads[order], costs[order]
    indptr = np.searchsorted(t, np.arange(n + 1))
    d = np.full(n, INF, dtype=np.int64)
    d[0] = 0
    frontier = np.zeros(1, dtype=np.int64)
    mark = np.zeros(n, dtype=bool)
    for _ in range(n + 1):
        starts = indptr[frontier]
        counts = indptr[frontier + 1] - starts
        total = int(counts.sum())
        if total == 0:
            return d
        offs = np.repeat(starts - (np.cumsum(counts) - counts), counts) + np.arange(total)
        cand = d[t[offs]] + c[offs]
        hh = h[offs]
        better = cand < d[hh]
        if not better.any():
            return d
        hh, cand = hh[better], cand[better]
        np.minimum.at(d, hh, cand)
        if d[0] < 0:
            raise NotOptimal("an improving cycle passes through the pinned root")
        mark[hh] = True  # the nodes that changed, without sorting them
        frontier = np.flatnonzero(mark)
        mark[frontier] = False
    raise NotOptimal("prices did not settle: an improving cycle remains")


def dual_objective(res: Residual, pr: Prices) -> int:
    """Σ demand·u + each volunteer's ladder term at these prices: with the negative slacks of
    every eligible pair added (each arc's capacity of one), an upper bound on the profit of any
    flow over all of them (weak duality; any u, w ≥ 0 will do). Each ladder step k of a
    volunteer (capacity one, cost c(k)) adds max(0, w − c(k)); without fairness that is
    cap · w."""
    open_t = res.demand > 0
    total = int((res.demand[open_t] * pr.u[open_t]).sum())
    w, cap, f = pr.w, res.cap, res.fairness_m
    if f <= 0:
        return total + int((cap * w).sum())
    s = res.fair_start.astype(np.int64)
    m = np.clip(-(-(w - f * s) // f), 0, cap)  # steps with c(k) = f(s + k) < w
    return total + int((m * w - f * (m * s + m * (m - 1) // 2)).sum())
