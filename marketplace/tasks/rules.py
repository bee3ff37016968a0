"""Pure rules of tasks and claims."""

from __future__ import annotations

from enum import StrEnum

from marketplace.errors import Conflict, InvalidInput
from marketplace.privacy import coarse_point
from marketplace.settings import RESPONSIBLE_LEVELS, Settings


class TaskStatus(StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    FULFILLED = "fulfilled"
    CLOSED = "closed"


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


def check_duty(level: str, duty: str, settings: Settings) -> None:
    """The responsible level and duty type must come from the configured lists."""
    if level not in RESPONSIBLE_LEVELS:
        raise InvalidInput(f"responsible_level must be one of: {', '.join(RESPONSIBLE_LEVELS)}.")
    if duty not in settings.all_duty_types():
        raise InvalidInput(f"duty_type must be one of: {', '.join(settings.all_duty_types())}.")
