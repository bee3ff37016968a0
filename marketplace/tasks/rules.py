"""Pure rules of tasks and claims."""

from __future__ import annotations

from enum import StrEnum

from marketplace.core import vocabulary
from marketplace.errors import Conflict, InvalidInput
from marketplace.privacy import coarse_point
from marketplace.settings import RESPONSIBLE_LEVELS, Settings


class TaskStatus(StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    FULFILLED = "fulfilled"
    CLOSED = "closed"


def claim_refusal(status: str, source: str) -> Conflict:
    """Why a claim or dispatch of a task that is no longer open is refused: the true reason
    (a cancelled wish is not "已被他人认领")."""
    if status == TaskStatus.CLOSED and source == "wish":
        return Conflict("This wish was cancelled.", code="wish_is_cancelled", action="claim")
    if status == TaskStatus.CLOSED:
        return Conflict("This task is closed.", code="task_closed")
    return Conflict("已被他人认领 — someone else has just claimed this task.", code="task_taken")


def check_claim_quota(held: int, limit: int) -> None:
    """Nobody hoards: a volunteer holds at most `limit` open claims."""
    if held >= limit:
        raise Conflict(
            f"You already hold {held} open tasks (the limit is {limit}); "
            "fulfil or release one before claiming another.",
            code="tasks_claim_limit",
            held=held,
            limit=limit,
        )


def hours_to_count(reported: float, planned: float) -> tuple[float, float | None, str | None]:
    """(hours that count now, hours reported when more, review state): reported hours count up
    to the task's own; anything beyond waits for a coordinator's approval."""
    if reported <= planned:
        return reported, None, None
    return planned, reported, "pending"


def public_point(row: dict) -> tuple[float, float]:
    """The compound's point when the task has one, else the task's point snapped to ~200 m."""
    if row.get("compound_lat") is not None and row.get("compound_lng") is not None:
        return row["compound_lat"], row["compound_lng"]
    return coarse_point(row["lat"], row["lng"])


def check_skills(skills: list[str]) -> None:
    """Skills come from the one vocabulary, so that what a task asks for can match what a
    volunteer declared (free text such as "电工，维修" never would)."""
    for skill in skills:
        if skill not in vocabulary.SKILLS:
            raise InvalidInput(
                f"Unknown skill {skill!r}.", code="task_unknown_skill", field="skills", skill=skill
            )


def check_duty(level: str, duty: str, settings: Settings) -> None:
    """The responsible level and duty type must come from the configured lists."""
    if level not in RESPONSIBLE_LEVELS:
        raise InvalidInput(
            f"responsible_level must be one of: {', '.join(RESPONSIBLE_LEVELS)}.",
            code="task_unknown_responsible_level",
            field="responsible_level",
        )
    if duty not in settings.all_duty_types():
        raise InvalidInput(
            f"duty_type must be one of: {', '.join(settings.all_duty_types())}.",
            code="task_unknown_duty_type",
            field="duty_type",
        )
