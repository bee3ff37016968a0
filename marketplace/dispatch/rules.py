"""Pure rules of dispatch: run states, task values, skill bitmasks, the week."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from enum import StrEnum

import numpy as np

from marketplace.errors import Conflict, InvalidInput


class RunState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    PROPOSED = "proposed"
    COMMITTED = "committed"
    DISCARDED = "discarded"
    FAILED = "failed"


ACTIVE_STATES = (RunState.QUEUED, RunState.RUNNING)
STAGES = ("loading", "solving", "saving")  # the engine builds its candidates inside solving


def check_proposed(state: str, action: str) -> None:
    """Only a proposed run can be committed or discarded."""
    if state != RunState.PROPOSED:
        raise Conflict(
            f"Cannot {action} this run: it is {state}; only a proposed run can be {action}ed.",
            code="run_not_proposed",
            action=action,
            state=state,
        )


def scope_key(kind: str, scope_id: int) -> str:
    return f"{kind}:{scope_id}"


def task_value(priority_level: int, *, base_m: int, per_group_m: int) -> int:
    """What serving a task is worth, in metres of travel: priority groups come first."""
    return base_m + per_group_m * priority_level


def skill_masks(
    task_skills: Sequence[Iterable[str]], vol_skills: Sequence[Iterable[str]]
) -> tuple[np.ndarray, np.ndarray]:
    """uint64 bitmasks over the skills that tasks require (a volunteer's other skills cannot matter)."""
    vocab = sorted({s for skills in task_skills for s in skills})
    if len(vocab) > 64:
        raise InvalidInput(
            f"The tasks in scope need {len(vocab)} distinct skills; at most 64 are supported.",
            code="run_too_many_skills",
            count=len(vocab),
        )
    bit = {s: np.uint64(1) << np.uint64(i) for i, s in enumerate(vocab)}

    def mask(skills: Iterable[str]) -> np.uint64:
        m = np.uint64(0)
        for s in skills:
            m |= bit.get(s, np.uint64(0))
        return m

    return (
        np.array([mask(s) for s in task_skills], dtype=np.uint64),
        np.array([mask(s) for s in vol_skills], dtype=np.uint64),
    )


def week_start(now: datetime) -> datetime:
    """Monday 00:00 UTC of the week containing `now`: weekly capacity resets then."""
    day = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return day - timedelta(days=day.weekday())


def respond_by(now: datetime, hours: float) -> datetime:
    return now + timedelta(hours=hours)
