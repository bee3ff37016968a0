"""Pricing: which eligible pairs outside a candidate set could still improve the flow.

With dual prices (u per task, w per volunteer, see duals.py) a pair (t, v) can improve only if
its slack cost − value_t + u_t + w_v is negative, i.e. distance < reach_t − w_v with
reach_t = value_t − u_t. Volunteers are grouped by price (the unpriced, w = 0, in one group,
the priced ones in quantile buckets) and tasks by reach, so each KD-tree pair query (scipy's
dual-tree `sparse_distance_matrix`) runs with a radius close to the exact one; pairs are then
screened by a distance lower bound from the chord before any exact measure.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from matching.accel.candidates import ArcSet, KeySet, Space, in_sorted
from matching.accel.parallel import IN_LINE, Workers
from matching.certificate.duals import Prices
from matching.flow import Residual
from matching.geo import chord_for_metres, metres_for_chord

Array = np.ndarray
VOLS_PER_BUCKET = 600  # priced volunteers per price bucket
MAX_BUCKETS = 32
TASKS_PER_CHUNK = 2_000  # tasks grouped by reach, one KD-tree per group
MAX_CHUNKS = 32
# tasks whose skill need and window at most this share of the volunteers fit are priced
# against those alone
PRICE_GROUP_SHARE = 0.35
PRICE_GROUP_MIN = 20  # tasks in such a group
ENUM_VOLS = 1_000  # volunteers per chunk of the full enumeration


def relevant(arcs: ArcSet, res: Residual, nv: int, unique: bool = False) -> ArcSet:
    """Drop duplicate pairs (unless known `unique`), closed endpoints and arcs never worth
    serving (value <= cost): removing such an arc from any solution never lowers the objective.
    The arcs keep their order (the first of duplicates stays)."""
    a = arcs
    if not unique:
        _, first = np.unique(arcs.task * nv + arcs.vol, return_index=True)
        a = arcs.take(np.sort(first))
    ok = (res.demand[a.task] > 0) & (res.cap[a.vol] > 0) & (res.value[a.task] > a.cost)
    return a.take(np.flatnonzero(ok))


def initial_arcs(
    space: Space, res: Residual, k: int, workers: Workers = IN_LINE, grouped: bool = False
) -> tuple[ArcSet, Array]:
    """k nearest (geography) or k cheapest (explicit arcs) per task, plus continuity pairs, and
    per task a lower bound on the distance of every volunteer not among its k nearest."""
    nv, nt = space.nv, space.p.n_tasks
    tasks = np.flatnonzero(res.demand > 0)
    if space.p.geo is not None:
        near, lower = space.k_nearest(k, tasks, workers, grouped)
    else:
        a = relevant(space.all_explicit(), res, nv)
        order = np.lexsort((a.cost, a.task))
        t_sorted = a.task[order]
        rank = np.arange(order.size) - np.searchsorted(t_sorted, t_sorted)
        near, lower = a.take(order[rank < k]), np.zeros(nt)
    bt, bv, _ = space.p.bonus
    bonus = relevant(space.arcs_for(bt, bv), res, nv)
    # nearest lists hold each pair once: only a continuity pair can repeat one (it wins)
    again = in_sorted(np.sort(bonus.task * nv + bonus.vol), near.task * nv + near.vol)
    near = relevant(near.take(np.flatnonzero(~again)), res, nv, unique=True)
    return ArcSet.concat([near, bonus]), lower


def all_relevant(space: Space, res: Residual, workers: Workers = IN_LINE) -> ArcSet:
    """Every eligible pair worth serving (full enumeration, chunked)."""
    arcs = all_relevant_until(space, res, math.inf, workers)
    assert arcs is not None
    return arcs


def all_relevant_until(
    space: Space, res: Residual, deadline: float, workers: Workers = IN_LINE
) -> ArcSet | None:
    """all_relevant, or None when `deadline` (time.perf_counter()) passes first.

    Asked from the volunteers' side: volunteers sorted by travel limit, in chunks of
    ENUM_VOLS, each chunk's tree against the open tasks' tree within the chunk's largest
    limit, so the pair query's radius is the volunteer's limit rather than the largest of
    all (on the bench's families about half the pairs within the tasks' reach are beyond
    the volunteer's own); the chunks run in `workers`' threads, a batch at a time."""
    if space.p.geo is None:
        return relevant(space.all_explicit(), res, space.nv)
    tasks = np.flatnonzero(res.demand > 0)
    vols = np.flatnonzero(res.cap > 0)
    if tasks.size == 0 or vols.size == 0:
        return ArcSet.empty()
    t_radius = np.minimum(res.value[tasks] - 1, space.max_reach)
    v_radius = np.minimum(space.p.geo.vol_max_distance_m[vols], t_radius.max())
    order = np.argsort(v_radius, kind="stable")
    vols, v_radius = vols[order], v_radius[order]
    task_tree = cKDTree(space.task_xyz[tasks], balanced_tree=False)
    t_chord = chord_for_metres(t_radius)

    def chunk(sl: slice) -> ArcSet:
        vs, chord = vols[sl], chord_for_metres(v_radius[sl])
        tree = cKDTree(space.vol_xyz[vs], balanced_tree=False)
        m = tree.sparse_distance_matrix(task_tree, float(chord.max()), output_type="ndarray")
        i, j, c = m["i"], m["j"], m["v"]
        ok = (c <= chord[i]) & (c <= t_chord[j])
        return space.arcs_for(tasks[j[ok]], vs[i[ok]])

    cuts = list(range(0, vols.size, ENUM_VOLS))
    parts = []
    batch = 4 * workers.n
    for b in range(0, len(cuts), batch):
        parts += workers.map(chunk, [slice(c, c + ENUM_VOLS) for c in cuts[b : b + batch]])
        if time.perf_counter() >= deadline:
            return None
    every = ArcSet.concat(parts)  # each pair once: each volunteer is in one chunk
    bt, bv, _ = space.p.bonus
    bonus = relevant(space.arcs_for(bt, bv), res, space.nv)
    # a continuity pair may repeat one found within reach (it wins), or lie beyond reach
    again = in_sorted(np.sort(bonus.task * space.nv + bonus.vol), every.task * space.nv + every.vol)
    every = relevant(every.take(np.flatnonzero(~again)), res, space.nv, unique=True)
    return ArcSet.concat([every, bonus])


def violations(
    space: Space,
    res: Residual,
    pool: KeySet,
    prices: Prices,
    tasks: Array,
    lower: Array,
    explicit: ArcSet | None = None,
    vols: Array | None = None,
    workers: Workers = IN_LINE,
    grouped: bool = False,
) -> ArcSet:
    """Eligible pairs of `tasks` (and `vols`, default every open volunteer) outside the pool
    (its keys task * nv + vol) whose slack is negative at `prices`. For every open task and
    every volunteer, an empty answer certifies the flow (prices lowered below the flow's own
    fetch the pairs whose slack is below the difference as well). `explicit`: the relevant arcs
    of a from_arcs problem, if already computed. The KD-tree pair queries run in `workers`'
    threads. `grouped`: tasks that share a skill need and window held by few volunteers are
    priced against those volunteers only (PRICE_GROUP_SHARE)."""
    vols = np.flatnonzero(res.cap > 0) if vols is None else vols[res.cap[vols] > 0]
    if tasks.size == 0 or vols.size == 0:
        return ArcSet.empty()
    if space.p.geo is None:
        a = explicit if explicit is not None else relevant(space.all_explicit(), res, space.nv)
        a = a.take(
            np.flatnonzero(in_sorted(np.sort(tasks), a.task) & in_sorted(np.sort(vols), a.vol))
        )
        return _outside(space, pool, a.take(np.flatnonzero(prices.slack(res, a) < 0)))
    reach = prices.reach(res)
    jobs = []
    for group, fit in _groups(space, tasks, vols, grouped):
        chunks = _task_chunks(space, reach, group)
        buckets = _price_buckets(prices.w, fit)
        trees = workers.map(lambda b: cKDTree(space.vol_xyz[b], balanced_tree=False), buckets)
        jobs += [
            (chunk, bucket, tree)
            for bucket, tree in zip(buckets, trees, strict=True)
            for chunk in chunks
            if not _apart(chunk, bucket, tree, prices)
        ]
    found = workers.map(lambda job: _pair_violations(space, res, pool, prices, *job, lower), jobs)
    # each pair falls in exactly one chunk and one bucket: no duplicates to look for, and each
    # job keeps only arcs worth serving (what relevant() would check)
    return ArcSet.concat([ArcSet.empty(), *found])


def _groups(space: Space, tasks: Array, vols: Array, grouped: bool) -> list[tuple[Array, Array]]:
    """The tasks to price, each group with the volunteers to price it against: groups of tasks
    sharing a skill need and window that at most PRICE_GROUP_SHARE of the volunteers fit are
    asked among those only (a KD query finds pairs by distance alone: a skill held by one in
    twenty would otherwise make twenty pairs for each eligible one)."""
    if not grouped:
        return [(tasks, vols)]
    out = []
    for group, fit in space.eligibility_groups(tasks, PRICE_GROUP_SHARE, PRICE_GROUP_MIN):
        mine = vols if fit is None else vols[in_sorted(fit, vols)]
        if mine.size:
            out.append((group, mine))
    return out


def _apart(chunk: _Chunk, bucket: Array, tree: cKDTree, prices: Prices) -> bool:
    """True when no pair of this chunk and bucket can be near enough: the gap between their
    bounding boxes already exceeds the largest radius (a cheap test before the pair query)."""
    top = float(chunk.reach.max()) - float(prices.w[bucket].min())
    if top <= 0:
        return True
    gap = np.maximum(0.0, np.maximum(chunk.tree.mins - tree.maxes, tree.mins - chunk.tree.maxes))
    return float(np.sqrt((gap * gap).sum())) > float(chord_for_metres(top))


def _price_buckets(w: Array, vols: Array) -> list[Array]:
    """Open volunteers grouped by price: the cheapest price level alone, then quantiles."""
    if vols.size == 0:
        return []
    order = vols[np.argsort(w[vols], kind="stable")]
    n_floor = int(np.searchsorted(w[order], w[order[0]], side="right"))
    rest = order[n_floor:]
    n = int(np.clip(rest.size // VOLS_PER_BUCKET, 1, MAX_BUCKETS))
    return [order[:n_floor], *(b for b in np.array_split(rest, n) if b.size)]


@dataclass(frozen=True, eq=False)
class _Chunk:
    """Tasks of similar reach with their KD-tree."""

    tasks: Array
    reach: Array
    tree: cKDTree


def _task_chunks(space: Space, reach: Array, tasks: Array) -> list[_Chunk]:
    order = tasks[np.argsort(reach[tasks], kind="stable")]
    n = int(np.clip(order.size // TASKS_PER_CHUNK, 1, MAX_CHUNKS))
    parts = [c for c in np.array_split(order, n) if c.size]
    return [_Chunk(c, reach[c], cKDTree(space.task_xyz[c], balanced_tree=False)) for c in parts]


def _pair_violations(
    space: Space,
    res: Residual,
    pool: KeySet,
    prices: Prices,
    chunk: _Chunk,
    vols: Array,
    tree: cKDTree,
    lower: Array,
) -> ArcSet:
    """Violations between one task chunk and one price bucket of volunteers."""
    assert space.p.geo is not None
    limit = space.p.geo.vol_max_distance_m
    t = chunk.tasks
    w_lo = float(prices.w[vols].min())
    radius = np.minimum.reduce(
        [
            np.floor(chunk.reach - w_lo),  # distance < reach - w
            res.value[t] - 1,
            np.full(t.size, int(limit[vols].max())),
        ]
    )
    radius = np.where(radius >= lower[t], radius, -1)
    top = int(radius.max())
    if top < 0:
        return ArcSet.empty()
    m = chunk.tree.sparse_distance_matrix(tree, float(chord_for_metres(top)), output_type="ndarray")
    # screens on the chord first (a pair within r metres has chord <= chord_for_metres(r)),
    # so the arcsin runs only on the few pairs that pass both
    i, j, chord = m["i"], m["j"], m["v"]
    within = np.where(radius >= 0, chord_for_metres(radius), -1.0)
    ok = (chord <= within[i]) & (chord <= chord_for_metres(limit[vols])[j])
    i, j, chord = i[ok], j[ok], chord[ok]
    ti, vi = t[i], vols[j]
    near = metres_for_chord(chord)  # never above the rounded great-circle distance
    ok = near < chunk.reach[i] - prices.w[vi]
    a = space.arcs_for(ti[ok], vi[ok])
    # lowered prices may be negative: negative slack alone does not mean value > cost
    worth = (prices.slack(res, a) < 0) & (res.value[a.task] > a.cost)
    return _outside(space, pool, a.take(np.flatnonzero(worth)))


def _outside(space: Space, pool: KeySet, arcs: ArcSet) -> ArcSet:
    """The arcs not in the pool (looked up after the slack test: fewer keys to search)."""
    return arcs.take(np.flatnonzero(~pool.contains(arcs.task * space.nv + arcs.vol)))
