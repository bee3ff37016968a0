"""Searching for assignments once hours bind, within the time limit.

Two searches share the time. Slot flows improve a solution in place (see hours_slots). Priced
search runs subgradient steps on the task prices (see hours_lagrange): each step proves a bound,
and every few steps the volunteers' best knapsacks at those prices, which may take a task twice
or not at all, become slot profiles; one slot flow turns them into an assignment and a short
search polishes it. The knapsacks change what each volunteer holds, which slot flows started
from a single solution cannot, so this reaches assignments they do not.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from matching.accel.candidates import ArcSet
from matching.certificate.pricing import relevant
from matching.flow import Residual, profit
from matching.hours.hours_lagrange import Prices
from matching.hours.hours_slots import improve, profiles, slot_flow

if TYPE_CHECKING:
    from matching.solve import Params

Array = np.ndarray
RESERVE_S = 0.25  # left at the end for the result's explanations
PROJECT_EVERY = 3  # subgradient steps between two assignments built from knapsacks
POLISH = 0.07  # of the time left at the start, at most this much polishing each of those
PRICED = 0.75  # of the time left, the share priced search may use before finer bounds
STALL = 6  # steps in a row that improve neither the bound nor the assignment end it
REFINE = 0.5  # then of the time left, at most this much for the bound on finer grids


class Clock:
    """The time left before the result must be assembled."""

    def __init__(self, params: Params, start: float) -> None:
        self.deadline = start + params.time_limit_s - min(RESERVE_S, 0.1 * params.time_limit_s)

    def left(self) -> float:
        return self.deadline - time.perf_counter()

    def share(self, fraction: float) -> float:
        """The moment when `fraction` of the time left will have passed."""
        return time.perf_counter() + fraction * max(self.left(), 0.0)


@dataclass(frozen=True)
class Goal:
    """When a solution is good enough: within `rel_gap` of the proven bound, the gap counted
    as the result reports it, on totals that include what the fixed arcs make (`fixed`)."""

    rel_gap: float
    fixed: float = 0.0
    seed: int = 0

    def met(self, value: float, bound: float) -> bool:
        scale = max(1.0, abs(bound + self.fixed))
        return math.isfinite(bound) and bound - value <= self.rel_gap * scale + 1e-9


def search(
    res: Residual,
    pool: ArcSet,
    starts: list[ArcSet],
    bound: float,
    goal: Goal,
    deadline: float,
    stats: dict[str, object],
) -> ArcSet:
    """Slot flows over `pool` from the best start, until they stall or `deadline`; none when
    that start is already within the requested gap of `bound`."""
    best = max(starts, key=lambda a: profit(res, a))
    stats.setdefault("start_profit", profit(res, best))
    if goal.met(profit(res, best), bound):
        return best
    pool = relevant(ArcSet.concat([pool, best]), res, res.cap.size)
    clock = time.perf_counter()
    rng = np.random.default_rng([goal.seed, int(_tally(stats, "slot_searches", 1))])
    best, rounds = improve(res, pool, best, rng, deadline)
    _tally(stats, "slot_rounds", rounds)
    _tally(stats, "slot_s", time.perf_counter() - clock)
    return best


def _tally(stats: dict[str, object], key: str, amount: float) -> float:
    """Add `amount` to a running total in `stats` and return it."""
    so_far = stats.get(key, 0)
    total = (so_far if isinstance(so_far, int | float) else 0) + amount
    stats[key] = total
    return total


def priced_search(
    res: Residual,
    everything: ArcSet,
    duals: Array,
    pool: ArcSet,
    best: ArcSet,
    bound: float,
    goal: Goal,
    deadline: float,
    stats: dict[str, object],
) -> tuple[ArcSet, float]:
    """Subgradient steps from the LP's duals while PRICED of the time left before `deadline`
    allows, until the gap closes or STALL steps in a row improve neither the bound nor the
    assignment; an assignment from the knapsacks every PROJECT_EVERY steps; then the bound
    on finer grids with up to REFINE of the time left. Returns the best assignment and the
    best proven bound (never above `bound`)."""
    prices = Prices(res, everything, duals, best)
    rng = np.random.default_rng([goal.seed, PROJECT_EVERY])  # a stream of its own
    clock_s = time.perf_counter()
    left = deadline - time.perf_counter()
    stop, polish_s = time.perf_counter() + PRICED * left, POLISH * left
    steps = stall = 0
    while time.perf_counter() + prices.took < stop and stall < STALL:
        if goal.met(profit(res, best), min(bound, prices.best)):
            break
        steps, was = steps + 1, (prices.best, profit(res, best))
        packed = prices.step(pack=steps % PROJECT_EVERY == 0)
        if packed is not None:
            found = from_knapsacks(res, pool, packed, rng, time.perf_counter() + polish_s)
            if profit(res, found) > profit(res, best):
                best = prices.known = found
        stall = stall + 1 if (prices.best > was[0] - 0.5 and profit(res, best) <= was[1]) else 0
    if not goal.met(profit(res, best), min(bound, prices.best)):
        prices.refine(time.perf_counter() + REFINE * (deadline - time.perf_counter()))
    stats.update(
        priced_steps=steps, priced_s=time.perf_counter() - clock_s, knapsack_bound=prices.best
    )
    return best, min(bound, prices.best)


def from_knapsacks(
    res: Residual, pool: ArcSet, sets: ArcSet, rng: np.random.Generator, deadline: float
) -> ArcSet:
    """An assignment shaped like the knapsacks: their loads as each volunteer's slots (spare
    hours placed at random), one slot flow over `pool`, then slot flows until `deadline`."""
    spare_to = rng.integers(0, 3, res.cap.size)
    found = pool.take(np.flatnonzero(slot_flow(res, pool, *profiles(res, sets, spare_to))))
    return improve(res, pool, found, rng, deadline)[0]
