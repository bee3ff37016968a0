from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from marketplace.dispatch import rules, svg
from marketplace.errors import Conflict, InvalidInput


def test_skill_masks_cover_only_required_skills():
    t, v = rules.skill_masks(
        [["repairs"], [], ["repairs", "tutoring"]], [["tutoring", "cooking"], ["repairs"]]
    )
    assert t.dtype == np.uint64
    repairs, tutoring = np.uint64(1), np.uint64(2)
    assert t.tolist() == [repairs, 0, repairs | tutoring]
    assert v.tolist() == [tutoring, repairs]  # cooking is nobody's requirement
    with pytest.raises(InvalidInput, match="at most 64"):
        rules.skill_masks([[f"s{i}"] for i in range(65)], [])


def test_value_week_and_states():
    assert rules.task_value(0, base_m=3000, per_group_m=2000) == 3000
    assert rules.task_value(2, base_m=3000, per_group_m=2000) == 7000
    wednesday = datetime(2026, 11, 25, 15, 30, tzinfo=UTC)
    assert rules.week_start(wednesday) == datetime(2026, 11, 23, tzinfo=UTC)
    rules.check_proposed("proposed", "commit")
    with pytest.raises(Conflict, match="only a proposed run"):
        rules.check_proposed("committed", "commit")


def test_svg_map_shapes_and_escaping():
    p = svg.Point
    out = svg.svg(
        svg.draw(
            svg.MapData(
                compounds=[("幸福<小区>", p(36.06, 120.38))],
                tasks=[
                    svg.TaskMark(p(36.07, 120.39), True, "送药<急>", 7),
                    svg.TaskMark(p(36.05, 120.37), False, "修水管", None),
                ],
                volunteers={7: ("李<玲>", p(36.0605, 120.3805))},
                title="方案 <1>",
            )
        ),
        legend=["重点任务", "任务", "志愿者的家", "未匹配", "派单"],
    )
    assert out.startswith("<svg") and out.endswith("</svg>")
    assert "方案 &lt;1&gt;" in out and "<1>" not in out and "<小区>" not in out
    assert out.count("<line") >= 2  # the assignment and the legend's
    assert "未匹配" in out and "重点任务" in out
