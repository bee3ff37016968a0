"""Which volunteer may take which task: eligible arcs as numpy arrays, never one object per arc.

An arc (task, volunteer) is eligible when the volunteer holds every skill the task needs, the
great-circle distance is within the volunteer's limit, their availability meets the task's
window, and the pair is neither forbidden nor already fixed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from scipy.spatial import cKDTree

from matching.accel.parallel import IN_LINE, Workers
from matching.geo import (
    chord_for_metres,
    great_circle_m,
    haversine_m,
    metres_for_chord,
    morton_code,
    unit_vectors,
)
from matching.problem import Problem

Array = np.ndarray
PAIR_CHUNK = 4_000_000  # pairs materialised at once by a range query
# nearest lists among fitting volunteers only: for groups of tasks with one skill need and
# window of at least this many tasks, whose fitting volunteers are at most this share
GROUP_MIN_TASKS = 100
GROUP_MAX_SHARE = 0.8
GROUP_MAX = 64  # largest groups first; the other tasks ask every volunteer
# a group asks the tree of its skill need for k times (that tree's volunteers / the group's
# fitting ones) nearest, at most this many times k
GROUP_OVERASK = 4


@dataclass(eq=False)
class ArcSet:
    """Candidate arcs: parallel arrays, `cost` = dist - bonus (what the flow pays)."""

    task: Array
    vol: Array
    dist: Array
    load: Array
    bonus: Array
    FIELDS: ClassVar[tuple[str, ...]] = ("task", "vol", "dist", "load", "bonus")

    @property
    def size(self) -> int:
        return int(self.task.size)

    @property
    def cost(self) -> Array:
        return self.dist - self.bonus

    def take(self, idx: Array) -> ArcSet:
        return ArcSet(
            self.task[idx], self.vol[idx], self.dist[idx], self.load[idx], self.bonus[idx]
        )

    @staticmethod
    def concat(parts: list[ArcSet]) -> ArcSet:
        return ArcSet(*(np.concatenate([getattr(p, f) for p in parts]) for f in ArcSet.FIELDS))

    @staticmethod
    def empty() -> ArcSet:
        z = np.zeros(0, dtype=np.int64)
        return ArcSet(z, z, z, np.zeros(0), z)


def _sorted_keys(t: Array, v: Array, nv: int) -> Array:
    return np.unique(t.astype(np.int64) * nv + v.astype(np.int64))


SORTED_LOOKUP_MIN = 1 << 16  # keys looked up in ascending order once the set is this large


def in_sorted(sorted_keys: Array, keys: Array) -> Array:
    """Membership of `keys` in a sorted unique key array (vectorised). In a large set the keys
    are looked up in ascending order: numpy's binary search starts each key where the last
    ended, so the search stays in cache (measured: 1M keys in a set of 6M, 1.1 s in the given
    order, 0.10 s sorting them first)."""
    if sorted_keys.size == 0:
        return np.zeros(np.shape(keys), dtype=bool)
    keys = np.asarray(keys)
    if sorted_keys.size < SORTED_LOOKUP_MIN or keys.size < 64:
        pos = np.minimum(np.searchsorted(sorted_keys, keys), sorted_keys.size - 1)
        return sorted_keys[pos] == keys
    flat = keys.ravel()
    order = np.argsort(flat)
    ascending = flat[order]
    pos = np.minimum(np.searchsorted(sorted_keys, ascending), sorted_keys.size - 1)
    found = np.empty(flat.size, dtype=bool)
    found[order] = sorted_keys[pos] == ascending
    return found.reshape(keys.shape)


class KeySet:
    """A growing set of pair keys (task * nv + vol) as a few sorted runs, largest first.

    Adding sorts only the new keys; a run is merged into the one before it unless that one is
    more than twice as large (as a binary counter carries), so each run is more than twice the
    next, there are at most log2(n) + 1 runs, and each key is copied about log2(n) times in
    all, instead of the whole set being rewritten on every add (measured on the city: 1.7 s of
    main-thread time re-inserting up to 9 M keys over eight rounds)."""

    def __init__(self, keys: Array | None = None) -> None:
        self.runs: list[Array] = []
        if keys is not None:
            self.add(keys)

    @property
    def size(self) -> int:
        return sum(r.size for r in self.runs)

    def add(self, keys: Array) -> None:
        """Add keys not yet in the set (the caller's promise: no duplicates)."""
        run = np.sort(np.asarray(keys, dtype=np.int64))
        if run.size == 0:
            return
        while self.runs and self.runs[-1].size <= 2 * run.size:
            last = self.runs.pop()
            run = np.insert(last, np.searchsorted(last, run), run)
        self.runs.append(run)

    def contains(self, keys: Array) -> Array:
        """Membership of each key."""
        found = np.zeros(np.shape(keys), dtype=bool)
        for run in self.runs:
            found |= in_sorted(run, keys)
        return found


class Space:
    """Prepared lookups for one problem: KD-tree, excluded pairs, continuity bonuses."""

    def __init__(self, problem: Problem) -> None:
        self.p = problem
        nv = problem.n_vols
        self.nv = nv
        self.excluded = _sorted_keys(
            np.concatenate([problem.forbidden[0], problem.fixed[0]]),
            np.concatenate([problem.forbidden[1], problem.fixed[1]]),
            nv,
        )
        bt, bv, bb = problem.bonus
        bkeys = bt * nv + bv
        order = np.lexsort((-bb, bkeys))  # keep the largest bonus of a duplicated pair
        bkeys, bb = bkeys[order], bb[order]
        first = np.ones(bkeys.size, dtype=bool)
        first[1:] = bkeys[1:] != bkeys[:-1]
        self.bonus_keys, self.bonus_vals = bkeys[first], bb[first]
        self._skill_trees: dict[int, tuple[cKDTree, Array | None]] = {}
        if problem.geo is not None:
            g = problem.geo
            self.task_xyz = unit_vectors(g.task_lat, g.task_lng)
            self.vol_xyz = unit_vectors(g.vol_lat, g.vol_lng)
            self.vol_tree = cKDTree(self.vol_xyz)
            self.max_reach = int(g.vol_max_distance_m.max()) if nv else 0
            # flow node order: tasks then volunteers, sorted along a Z-order curve
            self.node_code: Array | None = morton_code(
                np.concatenate([g.task_lat, g.vol_lat]), np.concatenate([g.task_lng, g.vol_lng])
            )
        else:
            a = problem.arcs
            assert a is not None
            keys = a.task * nv + a.vol
            self.arc_order = np.argsort(keys, kind="stable")
            self.arc_keys = keys[self.arc_order]
            self.node_code = None

    def bonus_of(self, t: Array, v: Array) -> Array:
        """Continuity bonus of each pair (0 where none)."""
        keys = t * self.nv + v
        if self.bonus_keys.size == 0:
            return np.zeros(keys.size, dtype=np.int64)
        pos = np.clip(np.searchsorted(self.bonus_keys, keys), 0, self.bonus_keys.size - 1)
        return np.where(self.bonus_keys[pos] == keys, self.bonus_vals[pos], 0).astype(np.int64)

    def measure(self, t: Array, v: Array) -> tuple[Array, Array, Array]:
        """Distance (or explicit cost), hours load and eligibility of each pair (t, v)."""
        t = np.asarray(t, dtype=np.int64)
        v = np.asarray(v, dtype=np.int64)
        if self.p.geo is not None:
            g = self.p.geo
            d = great_circle_m(
                self.task_xyz[t],
                self.vol_xyz[v],
                lambda i: haversine_m(
                    g.task_lat[t[i]], g.task_lng[t[i]], g.vol_lat[v[i]], g.vol_lng[v[i]]
                ),
            )
            ok = (d <= g.vol_max_distance_m[v]) & self._fits(t, v)
            return d, self.p.task_hours[t] + 2.0 * d / g.speed_mps / 3600.0, ok
        a = self.p.arcs
        assert a is not None
        if self.arc_keys.size == 0:
            return np.zeros(t.size, np.int64), np.zeros(t.size), np.zeros(t.size, bool)
        keys = t * self.nv + v
        pos = np.clip(np.searchsorted(self.arc_keys, keys), 0, self.arc_keys.size - 1)
        idx = self.arc_order[pos]
        return a.cost[idx], a.hours[idx], self.arc_keys[pos] == keys

    def _fits(self, t: Array, v: Array) -> Array:
        """Whether each volunteer holds every skill its task needs and is free in its window."""
        g = self.p.geo
        assert g is not None
        need, win = g.task_skills[t], g.task_window[t]
        return ((g.vol_skills[v] & need) == need) & ((win == 0) | ((win & g.vol_slots[v]) != 0))

    def arcs_for(self, t: Array, v: Array) -> ArcSet:
        """Eligible, not forbidden and not fixed arcs among the pairs (t, v)."""
        t = np.asarray(t, dtype=np.int64)
        v = np.asarray(v, dtype=np.int64)
        if self.p.geo is not None:  # skills and availability first: no distance for misfits
            fit = np.flatnonzero(self._fits(t, v))
            t, v = t[fit], v[fit]
        d, load, ok = self.measure(t, v)
        ok &= ~in_sorted(self.excluded, t * self.nv + v)
        sel = np.flatnonzero(ok)
        return ArcSet(t[sel], v[sel], d[sel], load[sel], self.bonus_of(t[sel], v[sel]))

    def all_explicit(self) -> ArcSet:
        """Every explicit arc of a from_arcs problem (eligible, not excluded)."""
        a = self.p.arcs
        assert a is not None
        return self.arcs_for(a.task, a.vol)

    def k_nearest(
        self, k: int, tasks: Array, workers: Workers = IN_LINE, grouped: bool = False
    ) -> tuple[ArcSet, Array]:
        """Eligible arcs among the k nearest volunteers of each task, and for each task a lower
        bound on the distance of every eligible volunteer not returned (inf: none left within
        reach). `grouped`: tasks that share a skill need and window, numerous enough, are
        asked among the volunteers who fit them only (`eligibility_groups`): k eligible
        volunteers rather than k of whom few may fit (a skill held by one in twenty)."""
        nt = self.p.n_tasks
        lower = np.full(nt, np.inf)
        if self.nv == 0 or tasks.size == 0:
            return ArcSet.empty(), lower
        groups = self.eligibility_groups(tasks, GROUP_MAX_SHARE) if grouped else [(tasks, None)]
        # groups that ask the same tree for as many are asked together: one query each
        asks: dict[tuple[int, int], list[Array]] = {}
        for group, vols in groups:
            if vols is None:
                asks.setdefault((-1, k), []).append(group)
            elif vols.size:
                assert self.p.geo is not None  # groups come only from geography
                need = int(self.p.geo.task_skills[group[0]])
                _, among = self.skill_tree(need)
                asks.setdefault((need, self.overask(k, among, vols)), []).append(group)
        parts = []
        for (need, kk), members in asks.items():
            tree, among = (self.vol_tree, None) if need < 0 else self.skill_tree(need)
            n = self.nv if among is None else among.size
            ts = np.sort(np.concatenate(members))
            parts.append(self._nearest_in(tree, among, n, kk, ts, lower, workers))
        return ArcSet.concat([ArcSet.empty(), *parts]), lower

    def skill_tree(self, need: int) -> tuple[cKDTree, Array | None]:
        """A KD-tree of the volunteers holding every skill of `need` and those volunteers
        (None: all, when more than GROUP_MAX_SHARE hold them), built once per need: one tree
        per skill need rather than per need and window (a window is left to over-asking)."""
        if need not in self._skill_trees:
            g = self.p.geo
            assert g is not None
            vols = np.flatnonzero((g.vol_skills & np.uint64(need)) == np.uint64(need))
            if vols.size > GROUP_MAX_SHARE * self.nv:
                self._skill_trees[need] = (self.vol_tree, None)
            else:
                tree = cKDTree(self.vol_xyz[vols], balanced_tree=False, compact_nodes=False)
                self._skill_trees[need] = (tree, vols)
        return self._skill_trees[need]

    def overask(self, k: int, among: Array | None, fit: Array) -> int:
        """How many nearest of `among` (None: every volunteer) to ask for about k of `fit`
        (at most GROUP_OVERASK times k)."""
        n = self.nv if among is None else among.size
        return int(min(GROUP_OVERASK * k, -(-k * n // max(fit.size, 1)), n))

    def eligibility_groups(
        self, tasks: Array, max_share: float = GROUP_MAX_SHARE, min_tasks: int = GROUP_MIN_TASKS
    ) -> list[tuple[Array, Array | None]]:
        """Tasks split by (skills needed, window): groups of at least `min_tasks` whose
        fitting volunteers are at most `max_share` of all, each with those volunteers;
        the rest together with None (every volunteer)."""
        g = self.p.geo
        if g is None or tasks.size < min_tasks:
            return [(tasks, None)]
        need, win = g.task_skills[tasks], g.task_window[tasks]
        pairs = np.stack([need, win], axis=1)
        keys, inverse, counts = np.unique(pairs, axis=0, return_inverse=True, return_counts=True)
        inverse = inverse.ravel()
        rest = np.ones(tasks.size, dtype=bool)
        out: list[tuple[Array, Array | None]] = []
        for i in np.argsort(-counts)[:GROUP_MAX]:
            if counts[i] < min_tasks:
                break
            s, w = keys[i]
            fit = (g.vol_skills & s) == s
            if w:
                fit &= (g.vol_slots & w) != 0
            vols = np.flatnonzero(fit)
            if vols.size > max_share * self.nv:
                continue
            member = inverse == i
            out.append((tasks[member], vols))
            rest &= ~member
        if rest.any():
            out.append((tasks[rest], None))
        return out

    def _nearest_in(
        self,
        tree: cKDTree,
        vols: Array | None,
        nv: int,
        k: int,
        tasks: Array,
        lower: Array,
        workers: Workers,
    ) -> ArcSet:
        """The k nearest of `vols` (None: all; their tree) for each task; fills `lower`."""
        kk = min(k, nv)
        ub = float(chord_for_metres(self.max_reach))
        dd, ii = tree.query(self.task_xyz[tasks], k=kk, distance_upper_bound=ub, workers=workers.n)
        dd, ii = dd.reshape(tasks.size, kk), ii.reshape(tasks.size, kk)
        last = dd[:, -1]
        full = np.isfinite(last) & (kk < nv)
        lower[tasks[full]] = metres_for_chord(last[full])

        def arcs(rows: slice) -> ArcSet:
            found = ii[rows] < nv
            t = np.broadcast_to(tasks[rows, None], found.shape)[found]
            v = ii[rows][found]
            return self.arcs_for(t, v if vols is None else vols[v])

        step = -(-tasks.size // (4 * workers.n))
        return ArcSet.concat(
            workers.map(arcs, [slice(i, i + step) for i in range(0, tasks.size, step)])
        )

    def pairs_within(
        self, tasks: Array, radius_m: Array, vols: Array | None = None
    ) -> Iterator[tuple[Array, Array, Array]]:
        """All (task, volunteer, chord) with distance <= radius of the task, in chunks.

        Tasks are grouped by radius so each KD-tree range query stays tight."""
        if tasks.size == 0:
            return
        vols = np.arange(self.nv) if vols is None else vols
        if vols.size == 0:
            return
        tree = self.vol_tree if vols.size == self.nv else cKDTree(self.vol_xyz[vols])
        order = np.argsort(radius_m, kind="stable")
        tasks, radius_m = tasks[order], radius_m[order]
        chords = chord_for_metres(radius_m)
        start = 0
        while start < tasks.size:
            # size the chunk from a density estimate so a query yields about PAIR_CHUNK pairs
            n = _chunk_len(tree, self.task_xyz[tasks[start:]], chords[start:], vols.size)
            sl = slice(start, start + n)
            sub = cKDTree(self.task_xyz[tasks[sl]])
            m = sub.sparse_distance_matrix(tree, float(chords[sl].max()), output_type="ndarray")
            keep = m["v"] <= chords[sl][m["i"]]
            yield tasks[sl][m["i"][keep]], vols[m["j"][keep]], m["v"][keep]
            start += n


def _chunk_len(tree: cKDTree, xyz: Array, chords: Array, nv: int) -> int:
    """How many tasks (sorted by radius) to query together to keep pair arrays bounded."""
    probe = np.linspace(0, xyz.shape[0] - 1, num=min(16, xyz.shape[0])).astype(int)
    counts = tree.query_ball_point(
        xyz[probe], chords[-1] if chords.size else 0.0, return_length=True
    )
    per_task = max(float(np.mean(counts)), 1.0)
    return int(max(1, min(xyz.shape[0], PAIR_CHUNK // per_task)))
