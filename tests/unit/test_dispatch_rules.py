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
    out = svg.render(
        svg.MapData(
            compounds=[("幸福<小区>", p(36.06, 120.38))],
            tasks=[(p(36.061, 120.381), True, True), (p(36.062, 120.382), False, False)],
            volunteers=[p(36.0605, 120.3805)],
            lines=[(p(36.0605, 120.3805), p(36.061, 120.381))],
            title="run 1",
        )
    )
    assert out.startswith("<svg") and out.endswith("</svg>")
    assert "幸福&lt;小区&gt;" in out and "<小区>" not in out
    assert out.count("<polygon") >= 2  # a priority task and the legend's
    assert "M" in out and "未匹配 unserved" in out
