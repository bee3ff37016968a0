"""Behaviour: fixed and forbidden arcs, fairness, continuity, windows, reasons, explanations."""

from __future__ import annotations

import numpy as np

from matching import ALL_SLOTS, Mode, Params, Problem, Status, Unserved, haversine_m, solve
from tests.matching.instances import random_geo

LAT, LNG = 31.23, 121.47
M = 1 / 111_195  # about one metre of latitude in degrees


def line(task_m: list[float], vol_m: list[float], **kw: object) -> Problem:
    """Tasks and volunteers on a north-south line, positions in metres."""
    kw.setdefault("vol_max_distance_m", 5000)
    kw.setdefault("task_value", 3000)
    return Problem.from_geography(
        task_lat=LAT + np.array(task_m) * M,
        task_lng=np.full(len(task_m), LNG),
        vol_lat=LAT + np.array(vol_m) * M,
        vol_lng=np.full(len(vol_m), LNG),
        **kw,  # type: ignore[arg-type]
    )


def pairs(r) -> set[tuple[int, int]]:  # noqa: ANN001
    return set(zip(r.task.tolist(), r.volunteer.tolist(), strict=True))


def test_haversine_whole_metres() -> None:
    d = haversine_m(np.array([0.0]), np.array([0.0]), np.array([0.0]), np.array([1.0]))
    assert d[0] == round(6_371_008.8 * np.pi / 180)


def test_nearest_volunteer_and_explanation() -> None:
    r = solve(line([0], [100, 300]), Params())
    assert r.status == Status.OPTIMAL and pairs(r) == {(0, 0)}
    why = r.explain(0)
    assert why["distance_m"] == 100 and why["next_best_volunteer"] == 1
    assert why["next_best_extra_cost_m"] == 200


def test_fixed_arc_stays_and_forbidden_never_chosen() -> None:
    p = line(
        [0, 50],
        [0, 2000],
        fixed=(np.array([1]), np.array([1])),
        forbidden=(np.array([0]), np.array([0])),
    )
    r = solve(p)
    assert (1, 1) in pairs(r) and (0, 0) not in pairs(r)
    assert r.fixed[r.task == 1].all()


def test_fixed_beyond_capacity_is_infeasible() -> None:
    p = line([0, 10], [0], fixed=(np.array([0, 1]), np.array([0, 0])))
    assert solve(p).status == Status.INFEASIBLE


def test_fairness_spreads_work() -> None:
    p = dict(task_m=[0, 10, 20], vol_m=[0, 400], vol_max_tasks=3)
    lazy = solve(line(p["task_m"], p["vol_m"], vol_max_tasks=3))
    fair = solve(line(p["task_m"], p["vol_m"], vol_max_tasks=3, fairness_m=500))
    assert lazy.breakdown.max_tasks_per_volunteer == 3
    assert fair.breakdown.max_tasks_per_volunteer == 2 and fair.breakdown.volunteers_used == 2


def test_continuity_prefers_previous_volunteer() -> None:
    base = dict(task_resident=np.array([7]), previous=(np.array([7]), np.array([1])))
    assert pairs(solve(line([0], [100, 400], **base))) == {(0, 0)}
    r = solve(line([0], [100, 400], continuity_bonus_m=500, **base))
    assert pairs(r) == {(0, 1)} and r.explain(0)["continuity_bonus_m"] == 500


def test_time_windows_and_skills_respected() -> None:
    p = line(
        [0, 0],
        [10, 20, 30],
        task_window=np.array([0b10, 0], np.uint64),
        vol_slots=np.array([0b01, 0b10, ALL_SLOTS], np.uint64),
        task_skills=np.array([0, 0b100], np.uint64),
        vol_skills=np.array([0b100, 0, 0], np.uint64),
    )
    assert pairs(solve(p)) == {(0, 1), (1, 0)}


def test_unserved_reasons() -> None:
    # task 0: nobody within reach; task 1: its only volunteer is taken by the more valuable task 2;
    # task 3: a free volunteer exists but is farther than the task is worth
    p = line(
        [0, 20_000, 20_010, 40_000],
        [19_990, 40_900],
        vol_max_distance_m=1000,
        task_value=np.array([3000, 100, 3000, 500]),
    )
    r = solve(p)
    why = dict(zip(r.unserved_task.tolist(), r.unserved_reason.tolist(), strict=True))
    assert why == {
        0: Unserved.NO_ELIGIBLE_VOLUNTEER,
        1: Unserved.ALL_ELIGIBLE_FULL,
        3: Unserved.NOT_WORTH_TRAVEL,
    }
    assert r.explain_unserved(0)["reason"] == "no_eligible_volunteer"


def test_demand_uses_distinct_volunteers() -> None:
    r = solve(line([0], [10, 20, 30], task_demand=2, vol_max_tasks=5))
    assert r.size == 2 and len(set(r.volunteer.tolist())) == 2


def test_greedy_and_knearest_return_the_same_shape() -> None:
    p = random_geo(5, 200, 120, span_deg=0.03)
    best = solve(p)
    for mode in (Mode.GREEDY, Mode.KNEAREST):
        r = solve(p, Params(mode=mode, k=3))
        assert r.status == Status.FEASIBLE and r.objective <= best.objective
        assert r.next_best_volunteer.shape == r.task.shape
        assert sum(r.breakdown.served_by_priority.values()) == r.size


def test_breakdown_and_unserved_units_add_up() -> None:
    p = random_geo(11, 300, 100, span_deg=0.03)
    r = solve(p)
    assert r.size + int(r.unserved_units.sum()) == int(p.task_demand.sum())
    assert r.breakdown.total_distance_m == int(r.distance_m.sum())
