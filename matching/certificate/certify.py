"""Certified pruning: solve on a small candidate set, then prove optimality over every eligible
pair with the flow's dual prices, adding only the pairs that price out.

A pool holds every arc generated so far; the flow runs on its active part (arcs with small
slack, the chosen ones and the new ones), which keeps each solve small. Arcs of the pool that
were set aside are re-checked every round and come back when their slack turns negative.

Two things keep the later rounds cheap. The active arcs fall apart into connected components;
a component whose arcs did not change, or whose new arcs all price out against the last
prices, keeps its flow and prices, and a changed one is repaired around its new arcs where
that suffices (components.py). And pricing is incremental: each task and each volunteer holds
a reserve, every pair outside the pool has slack of at least the two reserves, and a price
change moves its reserve by as much; only tasks and volunteers whose reserve went negative are
priced again (measured on the district: from the third round on, most prices move by a few
metres, so a reserve of 25 m spares most queries).

The loop ends when no pair — in the pool or among all eligible pairs — has negative slack: the
flow is then optimal over all of them (LP duality), whatever candidates it started from.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from matching.accel.candidates import ArcSet, KeySet, Space
from matching.accel.components import ComponentSolver
from matching.accel.parallel import IN_LINE, Workers
from matching.accel.seed import seed_beyond
from matching.accel.spread import spread_arcs
from matching.certificate.duals import Prices, dual_objective
from matching.certificate.pricing import initial_arcs, relevant, violations
from matching.flow import FlowSolution, Residual
from matching.flow import profit as flow_profit

Array = np.ndarray


@dataclass(frozen=True)
class Tuning:
    """How the candidate set grows and how much of it each solve sees."""

    # negative arcs brought in per task and round (a random sample of them; measured: 80 in
    # the first round made the second flow twice as large for no fewer rounds, the district
    # 1.97 s against 1.81 s with 20, the city 25.9 s against 25.3 s)
    per_task: int = 20
    keep_slack: int = 60  # active arcs stay active while their slack is up to this (metres)
    # once a round leaves few arcs to bring in (stale ones and violations under wake_share of
    # the active arcs), pool arcs set aside whose slack is below wake_slack come back as well:
    # the last price moves would otherwise turn them stale one round at a time. 5% rather
    # than 2% wakes them a round earlier on the busy districts, where the last round then
    # has little left to repair (bench/results: runs 3 and 6)
    wake_slack: int = 20
    wake_share: float = 0.05
    # pricing also fetches the pairs whose slack is below these reserves (metres, per task and
    # per volunteer) into the pool: a price may then fall by its reserve without a new query
    task_reserve: int = 25
    vol_reserve: int = 25
    seed: bool = True  # add a quick deferred-acceptance assignment's arcs to the candidates
    max_rounds: int = 500
    # the first candidates: each task's nearest among the volunteers who fit its skills and
    # window (groups of tasks with one need), not its nearest of whom few may fit
    grouped_nearest: bool = True
    # list every eligible pair and solve once when a sample shows few pairs per task
    full_guard: bool = True
    # price tasks whose skill need and window few volunteers fit against those only
    grouped_pricing: bool = True
    # tasks whose catchment (where capacity covers demand) reaches past their nearest list
    # also get arcs drawn across it
    spread: bool = True

    @classmethod
    def plain(cls) -> Tuning:
        """Every acceleration off that changes only how fast the optimum is reached."""
        return cls(grouped_nearest=False, full_guard=False, wake_slack=0, grouped_pricing=False)


@dataclass(frozen=True, eq=False)
class Certified:
    """The flow over `arcs`, optimal over all eligible pairs, the prices that prove it, and every
    arc generated on the way (`pool`: alternatives for the explanations and the hours search)."""

    arcs: ArcSet
    flow: FlowSolution
    prices: Prices
    pool: ArcSet
    # the best upper bound proven over all eligible pairs: the flow's profit when the
    # certificate is complete, else (time limit) the least weak-duality bound of the rounds
    bound: float = float("nan")
    complete: bool = True


def _sample_per_task(task: Array, per_task: int, rng: np.random.Generator) -> Array:
    """Which of these arcs (given by their tasks) to take: about `per_task` of each task, drawn
    at random (each kept with probability per_task / the task's count: no sort, linear time).
    Random picks spread a busy area's new arcs over many volunteers; taking each task's most
    negative ones piles them onto the same few and costs more rounds (measured: 8 rounds
    against 6 on the district)."""
    count = np.bincount(task, minlength=int(task.max(initial=-1)) + 1)
    return rng.random(task.size) * count[task] < per_task


SLACK_BLOCK = 1 << 18  # pool arcs per block of the slack computation


class Row(NamedTuple):
    """One round of the certified solve, for the stats."""

    active_arcs: int
    solved_arcs: int  # in the components that changed (the others kept flow and prices)
    profit: int
    stale_arcs: int  # in the pool but not active, with negative slack (set aside or waiting)
    violations: int  # eligible pairs outside the pool with negative slack
    near_misses: int  # the same with slack below their reserves (added to the pool, inactive)
    solve_s: float  # flow and prices (changed components only)
    pricing_s: float
    bound: int  # proven upper bound over all eligible pairs at this round's prices


class _Pool:
    """Every arc generated so far: which are active, which the flow uses, their keys.
    The arrays grow to twice what they must hold, so adding a round's arcs mostly copies only
    those (views of the filled part are what the search sees); capacity not yet written costs
    no memory, as untouched pages are never mapped."""

    def __init__(self, arcs: ArcSet, nv: int, value: Array) -> None:
        self.nv, self.value = nv, value
        self.n = 0
        self._store = ArcSet.empty()
        self._gain = np.zeros(0, dtype=np.int64)  # value - cost: what the slack subtracts
        self._slack = np.zeros(0, dtype=np.int64)
        self._active = np.zeros(0, dtype=bool)
        self._used = np.zeros(0, dtype=bool)
        self.keys = KeySet()
        self.add(arcs)

    @property
    def arcs(self) -> ArcSet:
        n, a = self.n, self._store
        return ArcSet(a.task[:n], a.vol[:n], a.dist[:n], a.load[:n], a.bonus[:n])

    @property
    def active(self) -> Array:
        return self._active[: self.n]

    @active.setter
    def active(self, mask: Array) -> None:
        self._active[: self.n] = mask

    @property
    def used(self) -> Array:
        return self._used[: self.n]

    def slack(self, pr: Prices) -> Array:
        """The slack of every pool arc (Prices.slack without recomputing value - cost), in a
        buffer that the next call overwrites. Computed a block at a time: no temporaries the
        size of the pool (on the city three of 72 MB a round, each in memory not touched
        before)."""
        a, n, out = self._store, self.n, self._slack
        for lo in range(0, n, SLACK_BLOCK):
            hi = min(n, lo + SLACK_BLOCK)
            blk = out[lo:hi]
            np.take(pr.u, a.task[lo:hi], out=blk)
            blk += np.take(pr.w, a.vol[lo:hi])
            blk -= self._gain[lo:hi]
        return out[:n]

    def add(self, new: ArcSet, active: Array | bool = True) -> None:
        """Append arcs (unused), active or not."""
        n, m = self.n, self.n + new.size
        if m > self._active.size:
            self._grow(2 * m)
        for name in ArcSet.FIELDS:
            getattr(self._store, name)[n:m] = getattr(new, name)
        self._gain[n:m] = self.value[new.task] - new.cost
        self._active[n:m] = active
        self._used[n:m] = False
        self.n = m
        self.keys.add(new.task * self.nv + new.vol)

    def _grow(self, size: int) -> None:
        def bigger(a: Array) -> Array:
            out = np.empty(size, dtype=a.dtype)
            out[: self.n] = a[: self.n]
            return out

        a = self._store
        self._store = ArcSet(*(bigger(getattr(a, f)) for f in ArcSet.FIELDS))
        self._gain = bigger(self._gain)
        self._slack = np.empty(size, dtype=np.int64)
        self._active, self._used = bigger(self._active), bigger(self._used)

    def activate_at(self, idx: Array) -> None:
        self._active[idx] = True


class _Search:
    """State of one certified solve."""

    def __init__(
        self,
        space: Space,
        res: Residual,
        k: int,
        tuning: Tuning,
        seed: int,
        workers: Workers,
        deadline: float = math.inf,
    ) -> None:
        self.space, self.res, self.tuning, self.workers = space, res, tuning, workers
        self.rng = np.random.default_rng(seed)
        arcs, self.lower = initial_arcs(space, res, k, workers, tuning.grouped_nearest)
        in_time = time.perf_counter() < deadline
        if space.p.geo is not None and tuning.seed and in_time:
            beyond = seed_beyond(space, res, arcs, workers=workers)
            arcs = ArcSet.concat([arcs, relevant(beyond, res, space.nv, unique=True)])
        if space.p.geo is not None and tuning.spread and in_time:
            arcs = ArcSet.concat([arcs, spread_arcs(space, res, arcs, self.lower, self.rng)])
        self.pool = _Pool(arcs, space.nv, res.value)
        geo = space.p.geo is not None
        self.explicit = None if geo else relevant(space.all_explicit(), res, space.nv)
        # how far each task's u and each volunteer's w may fall before they need a new query
        # (negative: price it against every volunteer in the next round)
        self.task_reserve = np.full(res.demand.size, -1, dtype=np.int64)
        self.vol_reserve = np.full(res.cap.size, -1, dtype=np.int64)
        self.prices: Prices | None = None
        self.profit = 0
        self.components = ComponentSolver(res, space.node_code, workers)
        self.stats = {
            "flow_solve_s": 0.0,
            "pricing_s": 0.0,
            "solves": 0,
            "priced_tasks": 0,
            "priced_vols": 0,
        }

    def settle(self) -> Prices:
        """An optimal flow over the active arcs and its prices; components of the active arcs
        that did not change since the last solve keep theirs."""
        clock = time.perf_counter()
        pool = self.pool
        idx = np.flatnonzero(pool.active)
        chosen, pr = self.components.solve(pool.arcs.take(idx), idx)
        pool.used[:] = False
        pool.used[idx[chosen]] = True
        self.stats["flow_solve_s"] += time.perf_counter() - clock
        self.stats["solves"] += 1
        return pr

    def find_violations(self, new: Prices) -> tuple[ArcSet, Array]:
        """Pairs outside the pool with slack below their reserves, and which of them have
        negative slack (violations; the others are near misses, kept in the pool), querying
        only where the certificate may have lapsed since the last round.

        Between rounds every pair outside the pool has slack at least reserve_t + reserve_v.
        A price change moves the reserves of its task or volunteer by as much, so that stays
        true; only the tasks and volunteers whose reserve went negative are priced again, with
        fresh reserves: those tasks against every volunteer, the other tasks against those
        volunteers. Everything a query finds goes to the pool, so a busy task's many
        violations need no second query."""
        res, t = self.res, self.tuning
        if self.prices is not None:
            self.task_reserve += new.u - self.prices.u
            self.vol_reserve += new.w - self.prices.w
        redo = self.task_reserve < 0
        tasks = np.flatnonzero(redo & (res.demand > 0))
        rest = np.flatnonzero(~redo & (res.demand > 0))
        vols = np.flatnonzero((self.vol_reserve < 0) & (res.cap > 0))
        first = self.prices is None  # prices move far after the first round: no reserves yet
        self.task_reserve[tasks] = 0 if first else t.task_reserve
        self.vol_reserve[vols] = 0 if first else t.vol_reserve
        lowered = Prices(new.u - self.task_reserve, new.w - self.vol_reserve)
        find = lambda tasks, vols=None: violations(  # noqa: E731
            self.space,
            res,
            self.pool.keys,
            lowered,
            tasks,
            self.lower,
            self.explicit,
            vols,
            self.workers,
            t.grouped_pricing,
        )
        self.stats["priced_tasks"] += tasks.size
        self.stats["priced_vols"] += vols.size
        found = find(tasks)
        if vols.size:
            found = ArcSet.concat([found, find(rest, vols)])
        return found, new.slack(res, found)

    def round(self) -> tuple[bool, Row]:
        """One solve, price and grow step; True when the certificate is complete."""
        t0 = time.perf_counter()
        pr = self.settle()
        clock = time.perf_counter()
        pool = self.pool
        slack = pool.slack(pr)
        stale = (slack < 0) & ~pool.active
        found, new_slack = self.find_violations(pr)
        bad = new_slack < 0
        n_bad = int(bad.sum())
        self.stats["pricing_s"] += time.perf_counter() - clock
        profit = flow_profit(self.res, pool.arcs.take(np.flatnonzero(pool.used)))
        # weak duality: the prices with every negative slack paid for (pool arcs, chosen
        # ones included, and the pairs found; any other pair has slack >= its two reserves)
        bound = (
            dual_objective(self.res, pr)
            - int(np.minimum(slack, 0).sum())
            - int(np.minimum(new_slack, 0).sum())
        )
        trace = Row(
            int(pool.active.sum()),
            self.components.last_solved,
            profit,
            int(stale.sum()),
            n_bad,
            found.size - n_bad,
            round(clock - t0, 3),
            round(time.perf_counter() - clock, 3),
            bound,
        )
        self.prices = pr
        if not stale.any() and n_bad == 0:
            return True, trace
        if profit > self.profit:  # set arcs aside only while the profit rises: no cycling
            pool.active = (pool.active & (slack <= self.tuning.keep_slack)) | pool.used
            self.profit = profit
        # every pair found goes to the pool; of the arcs with negative slack outside the active
        # set (stale ones and new violations) about per_task per task come in now, the rest
        # wait in the pool, where the next round's slack finds them without a new query
        n = pool.n
        pool.add(found, active=False)
        waiting = np.r_[np.flatnonzero(stale), n + np.flatnonzero(bad)]
        pool.activate_at(
            waiting[_sample_per_task(pool.arcs.task[waiting], self.tuning.per_task, self.rng)]
        )
        self._wake(slack[:n], trace)
        return False, trace

    def _wake(self, slack: Array, trace: Row) -> None:
        """In the last rounds (few arcs to bring in), bring back the set-aside pool arcs
        (`slack`: of the pool's first arcs) close to turning stale."""
        t, pool = self.tuning, self.pool
        if (
            t.wake_slack > 0
            and trace.violations + trace.stale_arcs <= t.wake_share * trace.active_arcs
        ):
            near = (slack < t.wake_slack) & ~pool.active[: slack.size]
            pool.activate_at(np.flatnonzero(near))

    def result(self, bound: float, complete: bool) -> Certified:
        idx = np.flatnonzero(self.pool.active)
        assert self.prices is not None
        sol = FlowSolution(self.pool.used[idx], self.profit)
        return Certified(
            self.pool.arcs.take(idx), sol, self.prices, self.pool.arcs, bound, complete
        )


def trivial_bound(space: Space, res: Residual) -> int:
    """A bound proven without any flow: every open unit served at its value plus the largest
    continuity bonus (u_t = that, w = 0 leave no pair with negative slack)."""
    top = int(space.bonus_vals.max(initial=0))
    open_t = res.demand > 0
    return int((res.demand[open_t] * np.maximum(res.value[open_t] + top, 0)).sum())


def _unfinished(space: Space, res: Residual, pool: ArcSet) -> Certified:
    """The answer when time runs out before the first flow: nothing chosen, the trivial bound."""
    nothing = FlowSolution(np.zeros(0, dtype=bool), 0)
    pr = Prices(np.zeros(res.demand.size, np.int64), np.zeros(res.cap.size, np.int64))
    return Certified(ArcSet.empty(), nothing, pr, pool, trivial_bound(space, res), False)


def certified_flow(
    space: Space,
    res: Residual,
    k: int,
    stats: dict[str, object],
    tuning: Tuning | None = None,
    seed: int = 0,
    workers: Workers = IN_LINE,
    deadline: float = math.inf,
) -> Certified:
    """Solve on the k-candidate set and grow it until the dual certificate holds, or until
    `deadline` (time.perf_counter()) or the round limit passes: then the last flow (optimal
    over the active arcs, feasible) with the least bound proven on the way, complete=False."""
    clock = time.perf_counter()
    search = _Search(space, res, k, tuning or Tuning(), seed, workers, deadline)
    stats["candidates_s"] = time.perf_counter() - clock
    trace: list[Row] = []
    stats["trace"] = trace
    # early prices prove little (their bound can exceed the trivial one)
    best_bound, done = float(trivial_bound(space, res)), False
    if time.perf_counter() >= deadline:
        stats.update(pricing_rounds=0, timed_out=True)
        return _unfinished(space, res, search.pool.arcs)
    for _ in range(search.tuning.max_rounds):
        done, row = search.round()
        trace.append(row)
        best_bound = min(best_bound, float(row.bound))
        search.profit = row.profit
        if done or best_bound <= row.profit or time.perf_counter() >= deadline:
            break
    stats.update(search.stats, pricing_rounds=len(trace), pool_arcs=search.pool.arcs.size)
    stats.update(search.components.stats)
    stats["certificate_bound"] = trace[-1].bound  # equals the profit when done (strong duality)
    complete = done or best_bound <= search.profit  # optimal over all eligible pairs
    stats["timed_out"] = not complete
    return search.result(float(search.profit if complete else best_bound), complete)
