"""Repair an optimal flow after a few arcs were added, by cancelling the cycles they open, one
new arc at a time, instead of solving the network again.

The prices' graph (duals.dual_graph) is the flow's residual network with source and sink merged
into one root. Potentials d (d = u on tasks, -w on volunteers, 0 at the root) under which every
arc has a non-negative reduced cost  cost + d[tail] - d[head]  certify the flow; the last
prices do that for every arc but the new ones with negative slack ("broken"). For a broken arc
x -> y of reduced cost -L, a Dijkstra from y bounded by L finds the cheapest way back to x:
if it costs less than L, arc and path form an improving cycle, and flipping the arcs on it
(used <-> unused) improves the flow. Either way the potentials rise by the Dijkstra distances,
capped, which keeps every other reduced cost non-negative and makes this arc's non-negative
too (the successive shortest path step of min-cost flow).

The graph is built once with every arc it can ever hold (both directions of each arc, every
root arc); an arc that does not exist in the current residual network weighs infinity. A step
then changes only the weights around the nodes the bounded Dijkstra reached and the arcs it
flipped, so each broken arc costs one small Dijkstra (scipy) and no rebuild.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from matching.accel.candidates import ArcSet
from matching.certificate.duals import Prices
from matching.flow import Residual

Array = np.ndarray
_EPS = 1e-6  # added to every reduced cost: scipy must not drop the zero-cost arcs


def cancel_broken(
    res: Residual, arcs: ArcSet, chosen: Array, u: Array, w: Array, broken: Array
) -> tuple[Array, Prices] | None:
    """The flow `chosen` (optimal at prices u, w over every arc but the `broken` ones), made
    optimal over all of `arcs`, with prices that prove it (checked on every arc); None if the
    prices do not hold where they should (the caller then solves the part again)."""
    net = _Network(res, arcs, chosen, np.concatenate([[0], u, -w]).astype(np.int64))
    order = np.flatnonzero(broken)
    net.pending[order] = True
    net.refresh(np.arange(net.size))
    if net.violated():
        return None
    for a in order[np.argsort(net.reduced()[order], kind="stable")].tolist():
        net.step(a)
        net.pending[a] = False
        net.refresh(np.array([a, net.m + a]))
    if net.violated() or (net.served > res.demand).any() or (net.load > res.cap).any():
        return None
    d, nt = net.d - net.d[0], res.demand.size
    return net.flow, Prices(u=d[1 : 1 + nt], w=-d[1 + nt :])


class _Network:
    """The residual network of a flow with every possible arc, as a fixed CSR structure.

    Entry ids: arc i forward (task -> volunteer) i, backward m + i; then per task (task -> root)
    and (root -> task), per volunteer (root -> volunteer) and (volunteer -> root)."""

    def __init__(self, res: Residual, arcs: ArcSet, flow: Array, d: Array) -> None:
        nt, nv, m = res.demand.size, res.cap.size, arcs.size
        self.res, self.arcs, self.nt, self.m = res, arcs, nt, m
        self.flow = flow.copy()
        self.d = d
        self.g = (res.value[arcs.task] - arcs.cost).astype(np.int64)
        self.served = np.bincount(arcs.task[flow], minlength=nt)
        self.load = np.bincount(arcs.vol[flow], minlength=nv)
        tn, vn = 1 + np.arange(nt), 1 + nt + np.arange(nv)
        at, av = 1 + arcs.task, 1 + nt + arcs.vol
        z = np.zeros
        self.tails = np.concatenate([at, av, tn, z(nt, np.int64), z(nv, np.int64), vn])
        self.heads = np.concatenate([av, at, z(nt, np.int64), tn, vn, z(nv, np.int64)])
        self.size = self.tails.size
        self.n = 1 + nt + nv
        self.cost = np.zeros(self.size, dtype=np.float64)
        self.pending = np.zeros(self.size, dtype=bool)
        out = np.lexsort((self.heads, self.tails))  # rows in order, columns sorted within
        self.pos = np.empty(self.size, dtype=np.int64)
        self.pos[out] = np.arange(self.size)
        self.out_ptr = np.searchsorted(self.tails[out], np.arange(self.n + 1))
        self.out_ids = out
        into = np.argsort(self.heads, kind="stable")
        self.in_ptr = np.searchsorted(self.heads[into], np.arange(self.n + 1))
        self.in_ids = into
        self.data = np.full(self.size, np.inf)
        self.graph = csr_matrix((self.data, self.heads[out], self.out_ptr), shape=(self.n, self.n))
        self.graph.data = self.data  # the matrix reads our array: weights change in place
        self._set_costs(np.arange(m), np.arange(nt), np.arange(nv))

    def _set_costs(self, arc_ids: Array, tasks: Array, vols: Array) -> None:
        """Costs (inf where absent) of the entries of these arcs, tasks and volunteers."""
        res, m, nt = self.res, self.m, self.nt
        nv = res.cap.size
        f = self.flow[arc_ids]
        self.cost[arc_ids] = np.where(f, np.inf, -self.g[arc_ids])
        self.cost[m + arc_ids] = np.where(f, self.g[arc_ids], np.inf)
        base = 2 * m
        self.cost[base + tasks] = 0.0  # u >= 0
        self.cost[base + nt + tasks] = np.where(self.served[tasks] < res.demand[tasks], 0.0, np.inf)
        load = self.load[vols]
        if res.fairness_m > 0:
            low = np.where(load > 0, res.step_cost(vols, np.maximum(load - 1, 0)), 0)
            high = res.step_cost(vols, load)
        else:
            low = high = np.zeros(vols.size, dtype=np.int64)
        self.cost[base + 2 * nt + vols] = -low.astype(np.float64)
        self.cost[base + 2 * nt + nv + vols] = np.where(load < res.cap[vols], high, np.inf)

    def violated(self) -> bool:
        """Whether an entry that exists and is not pending has a negative reduced cost."""
        rc = self.cost + self.d[self.tails] - self.d[self.heads]
        return bool((np.isfinite(rc) & ~self.pending & (rc < 0)).any())

    def reduced(self) -> Array:
        """Reduced costs of the arcs' forward entries."""
        ids = np.arange(self.m)
        return self.cost[ids] + self.d[self.tails[ids]] - self.d[self.heads[ids]]

    def refresh(self, ids: Array) -> None:
        """Recompute the weights of these entries (infinite while absent or pending)."""
        rc = self.cost[ids] + self.d[self.tails[ids]] - self.d[self.heads[ids]]
        self.data[self.pos[ids]] = np.where(self.pending[ids], np.inf, rc + _EPS)

    def _around(self, nodes: Array) -> Array:
        """Ids of the entries into or out of these nodes."""
        parts = []
        for ptr, ids in ((self.out_ptr, self.out_ids), (self.in_ptr, self.in_ids)):
            starts, ends = ptr[nodes], ptr[nodes + 1]
            counts = ends - starts
            total = int(counts.sum())
            offs = np.repeat(starts - (np.cumsum(counts) - counts), counts) + np.arange(total)
            parts.append(ids[offs])
        return np.concatenate(parts)

    def step(self, a: int) -> None:
        """Make arc a's reduced cost non-negative, cancelling its cycle if it has one."""
        x, y = int(self.tails[a]), int(self.heads[a])
        limit = float(-(self.cost[a] + self.d[x] - self.d[y]))
        if self.flow[a] or limit <= 0:
            return
        dist, pred = dijkstra(self.graph, indices=y, limit=limit, return_predecessors=True)
        reached = np.flatnonzero(np.isfinite(dist))
        reach = np.rint(dist[reached]).astype(np.int64)
        back = float(np.rint(dist[x])) if np.isfinite(dist[x]) else np.inf
        cap = back if back < limit else limit
        # every node rises by min(distance, cap); those out of reach by cap: a shift of all
        # potentials changes no reduced cost, so only the reached nodes move (by less)
        self.d[reached] += np.minimum(reach, int(cap)) - int(cap)
        touched = [self._around(reached)]
        if back < limit:
            touched.append(self._flip(a, pred, x, y))
        self.refresh(np.concatenate(touched))

    def _flip(self, a: int, pred: Array, x: int, y: int) -> Array:
        """Flip arc a and the task-volunteer arcs on the path from y back to x; the ids of
        the entries whose costs changed."""
        steps = [a]
        node = x
        while node != y:
            prev = int(pred[node])
            if prev != 0 and node != 0:
                steps.append(self._arc_between(prev, node))
            node = prev
        ids = np.array(steps, dtype=np.int64)
        t, v = self.arcs.task[ids], self.arcs.vol[ids]
        sign = np.where(self.flow[ids], -1, 1)
        np.add.at(self.served, t, sign)
        np.add.at(self.load, v, sign)
        self.flow[ids] = ~self.flow[ids]
        tasks, vols = t, v
        self._set_costs(ids, tasks, vols)
        base = 2 * self.m
        nt, nv = self.nt, self.res.cap.size
        return np.concatenate(
            [
                ids,
                self.m + ids,
                base + tasks,
                base + nt + tasks,
                base + 2 * nt + vols,
                base + 2 * nt + nv + vols,
            ]
        )

    def _arc_between(self, tail: int, head: int) -> int:
        """The arc whose entry runs tail -> head (a forward or a backward entry)."""
        lo, hi = self.out_ptr[tail], self.out_ptr[tail + 1]
        ids = self.out_ids[lo:hi]
        hit = ids[self.heads[ids] == head]
        i = int(hit[0])
        return i if i < self.m else i - self.m
