"""机会清单 project rules: the lifecycle, announcing, slot hours, and clusters of wishes
(从解决一件事到解决一类事)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from marketplace.errors import Conflict
from marketplace.projects import rules
from marketplace.projects.rules import ProjectStatus as P

ALLOWED = {
    ("publish", P.DRAFT): P.RECRUITING,
    ("start", P.RECRUITING): P.IN_PROGRESS,
    ("complete", P.IN_PROGRESS): P.COMPLETED,
    ("evaluate", P.COMPLETED): P.EVALUATED,
}
ALL = list(itertools.product(["publish", "start", "complete", "evaluate"], P))
T0 = datetime(2026, 3, 1, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.mark.parametrize(("action", "status"), list(ALLOWED))
def test_allowed(action, status):
    assert rules.next_status(action, status) is ALLOWED[(action, status)]


@pytest.mark.parametrize(("action", "status"), [p for p in ALL if p not in ALLOWED])
def test_refused_says_why(action, status):
    with pytest.raises(Conflict) as err:
        rules.next_status(action, status)
    assert err.value.code == "project_transition_refused"
    assert err.value.params == {"action": action, "status": status.value}


@pytest.mark.parametrize("status", list(P))
def test_only_completed_projects_are_announced_once(status):
    if status in (P.COMPLETED, P.EVALUATED):
        rules.can_announce(status.value, announced=False)
        with pytest.raises(Conflict):
            rules.can_announce(status.value, announced=True)
    else:
        with pytest.raises(Conflict):
            rules.can_announce(status.value, announced=False)


def test_slot_hours_and_titles():
    assert rules.slot_total_hours(2, 8, 1) == 16  # 2 electricians, 8 h
    assert rules.slot_total_hours(4, 2, 10) == 80  # 4 tutors, 2 h a week for 10 weeks
    assert (
        rules.slot_task_title("四点半课堂", "辅导员", 10) == "四点半课堂 · 辅导员 · 每周，共 10 周"
    )
    assert rules.slot_task_title("线路改造", "电工", 1) == "线路改造 · 电工"
    assert len(rules.slot_task_title("长" * 100, "电工", 3)) == 100


def _wishes(category: str, days: list[float], start_id: int = 1):
    return [(start_id + i, category, T0 + d * DAY) for i, d in enumerate(days)]


def test_five_in_thirty_days_is_a_cluster():
    found = rules.clusters(_wishes("repairs", [0, 3, 10, 20, 29]), threshold=5, window=30 * DAY)
    assert [(c.category, c.wish_ids) for c in found] == [("repairs", (1, 2, 3, 4, 5))]
    assert found[0].first == T0 and found[0].last == T0 + 29 * DAY


def test_spread_out_or_too_few_wishes_are_not():
    spread = _wishes("repairs", [0, 10, 20, 31, 45])
    assert rules.clusters(spread, threshold=5, window=30 * DAY) == []
    assert rules.clusters(_wishes("repairs", [0, 1, 2, 3]), threshold=5, window=30 * DAY) == []


def test_the_densest_run_is_chosen_per_category():
    wishes = _wishes("repairs", [0, 40, 41, 42, 43, 44, 100]) + _wishes(
        "tutoring", [1, 2, 3], start_id=50
    )
    found = rules.clusters(wishes, threshold=3, window=5 * DAY)
    assert [(c.category, c.wish_ids) for c in found] == [
        ("repairs", (2, 3, 4, 5, 6)),
        ("tutoring", (50, 51, 52)),
    ]


def test_window_and_threshold_are_parameters():
    wishes = _wishes("goods", [0, 6, 12])
    assert rules.clusters(wishes, threshold=3, window=12 * DAY)[0].wish_ids == (1, 2, 3)
    assert rules.clusters(wishes, threshold=3, window=11 * DAY) == []
    assert rules.clusters(wishes, threshold=2, window=6 * DAY)[0].wish_ids == (1, 2)


def test_order_of_input_does_not_matter():
    wishes = _wishes("repairs", [5, 1, 3, 2, 4])
    found = rules.clusters(list(reversed(wishes)), threshold=5, window=30 * DAY)
    assert found[0].wish_ids == (2, 4, 3, 5, 1)  # in time order
