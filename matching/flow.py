"""Exact min-cost flow for count capacities, with dual prices (node potentials).

Network: source -> task (capacity demand, cost -value), task -> volunteer (capacity 1, cost
distance - bonus), volunteer -> sink (capacity max tasks; with fairness a ladder of unit arcs
with increasing cost), and a bypass source -> sink for units left unserved (cost 0).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from matching.candidates import ArcSet

Array = np.ndarray
SOURCE, SINK = 0, 1


@dataclass(frozen=True, eq=False)
class Residual:
    """What is left after fixed arcs: demand and capacities still open."""

    value: Array  # int64 per task
    demand: Array  # int64 per task
    cap: Array  # int64 per volunteer (tasks)
    hours: Array  # float64 per volunteer
    fair_start: Array  # int64 tasks already on each volunteer (fairness ladder start)
    fairness_m: int


@dataclass(frozen=True, eq=False)
class FlowSolution:
    """Chosen arcs (mask over the ArcSet), profit, and potentials proving optimality."""

    chosen: Array
    profit: int
    pot_task: Array
    pot_vol: Array


def _sink_arcs(res: Residual, arcs: ArcSet, nt: int) -> tuple[Array, Array, Array, Array]:
    """Volunteer -> sink arcs: one per volunteer, or a fairness ladder of unit arcs."""
    nv = res.cap.size
    if res.fairness_m <= 0:
        vols = np.flatnonzero(res.cap > 0)
        return 2 + nt + vols, np.full(vols.size, SINK), res.cap[vols], np.zeros(vols.size, np.int64)
    deg = np.bincount(arcs.vol, minlength=nv)
    steps = np.minimum(res.cap, deg)
    vols = np.repeat(np.arange(nv), steps)
    first = np.cumsum(steps) - steps
    rank = np.arange(vols.size) - np.repeat(first, steps)
    costs = res.fairness_m * (res.fair_start[vols] + rank)
    return 2 + nt + vols, np.full(vols.size, SINK), np.ones(vols.size, np.int64), costs


def solve_flow(res: Residual, arcs: ArcSet) -> FlowSolution:
    """Solve the count-capacity problem exactly over `arcs` and return potentials."""
    nt, nv = res.demand.size, res.cap.size
    tasks = np.flatnonzero(res.demand > 0)
    total = int(res.demand.sum())
    st, sh, sc, scost = _sink_arcs(res, arcs, nt)
    tails = np.concatenate([2 + arcs.task, np.full(tasks.size, SOURCE), st, [SOURCE]])
    heads = np.concatenate([2 + nt + arcs.vol, 2 + tasks, sh, [SINK]])
    caps = np.concatenate([np.ones(arcs.size, np.int64), res.demand[tasks], sc, [total]])
    costs = np.concatenate([arcs.cost, -res.value[tasks], scost, [0]])
    tails, heads = tails.astype(np.int32), heads.astype(np.int32)
    caps, costs = caps.astype(np.int64), costs.astype(np.int64)
    mcf = min_cost_flow.SimpleMinCostFlow()
    mcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.zeros(2 + nt + nv, dtype=np.int64)
    supplies[SOURCE], supplies[SINK] = total, -total
    mcf.set_nodes_supplies(np.arange(supplies.size, dtype=np.int32), supplies)
    status = mcf.solve()
    if status != mcf.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    flows = mcf.flows(np.arange(tails.size, dtype=np.int32))
    pot = residual_potentials(supplies.size, tails, heads, caps, costs, flows)
    return FlowSolution(
        chosen=flows[: arcs.size] > 0,
        profit=-int(mcf.optimal_cost()),
        pot_task=pot[2 : 2 + nt],
        pot_vol=pot[2 + nt :],
    )


def residual_potentials(
    n: int, tails: Array, heads: Array, caps: Array, costs: Array, flows: Array
) -> Array:
    """Node potentials pi with c(u,w) + pi(u) - pi(w) >= 0 on every residual arc.

    They are shortest-path distances from a virtual root (0-cost arcs to every node) in the
    residual graph, which has no negative cycle because the flow is optimal."""
    fwd = flows < caps
    back = flows > 0
    t = np.concatenate([tails[fwd], heads[back]]).astype(np.int64)
    h = np.concatenate([heads[fwd], tails[back]]).astype(np.int64)
    c = np.concatenate([costs[fwd], -costs[back]]).astype(np.int64)
    return frontier_bellman_ford(n, t, h, c)


def frontier_bellman_ford(n: int, tails: Array, heads: Array, costs: Array) -> Array:
    """Vectorised Bellman-Ford from a virtual root, relaxing only arcs out of changed nodes."""
    order = np.argsort(tails, kind="stable")
    t, h, c = tails[order], heads[order], costs[order]
    indptr = np.searchsorted(t, np.arange(n + 1))
    d = np.zeros(n, dtype=np.int64)
    frontier = np.arange(n)
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
        frontier = np.unique(hh)
    raise RuntimeError("negative cycle in the residual graph: the flow is not optimal")
