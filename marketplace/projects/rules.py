"""Pure rules of projects: the lifecycle and the clusters of similar wishes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from marketplace.errors import Conflict


class ProjectStatus(StrEnum):
    DRAFT = "draft"
    RECRUITING = "recruiting"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    EVALUATED = "evaluated"


P = ProjectStatus
TRANSITIONS = {
    ("publish", P.DRAFT): P.RECRUITING,
    ("start", P.RECRUITING): P.IN_PROGRESS,
    ("complete", P.IN_PROGRESS): P.COMPLETED,
    ("evaluate", P.COMPLETED): P.EVALUATED,
}


def next_status(action: str, current: ProjectStatus) -> ProjectStatus:
    target = TRANSITIONS.get((action, current))
    if target is None:
        raise Conflict(
            f"Cannot {action} a project that is {current.value}.",
            code="project_transition_refused",
            action=action,
            status=current.value,
        )
    return target


def can_announce(status: str, announced: bool) -> None:
    if status not in (P.COMPLETED, P.EVALUATED):
        raise Conflict("Only a completed project can be announced.", code="project_not_completed")
    if announced:
        raise Conflict("This project is already announced.", code="project_already_announced")


def slot_total_hours(people: int, hours: float, weeks: int) -> float:
    """All the hours a slot asks for: "4 tutors, 2 h a week for 10 weeks" is 80 hours."""
    return round(people * hours * weeks, 2)


def slot_task_title(project_title: str, role: str, weeks: int) -> str:
    """The title of a slot's task in the feed; a weekly slot says for how many weeks."""
    title = f"{project_title} · {role}"
    if weeks > 1:
        title += f" · 每周，共 {weeks} 周"
    return title[:100]


@dataclass(frozen=True)
class Cluster:
    """Wishes of one category close together in time: a candidate standing project."""

    category: str
    wish_ids: tuple[int, ...]
    first: datetime
    last: datetime


def clusters(
    wishes: Iterable[tuple[int, str, datetime]], *, threshold: int, window: timedelta
) -> list[Cluster]:
    """For each category, the largest run of wishes within `window`, if it reaches `threshold`."""
    by_category: dict[str, list[tuple[datetime, int]]] = defaultdict(list)
    for wish_id, category, at in wishes:
        by_category[category].append((at, wish_id))
    found = []
    for category, items in sorted(by_category.items()):
        items.sort()
        best: tuple[int, int] = (0, 0)
        start = 0
        for end in range(len(items)):
            while items[end][0] - items[start][0] > window:
                start += 1
            if end - start + 1 > best[1] - best[0]:
                best = (start, end + 1)
        chosen = items[best[0] : best[1]]
        if len(chosen) >= threshold:
            found.append(
                Cluster(category, tuple(i for _, i in chosen), chosen[0][0], chosen[-1][0])
            )
    return found
