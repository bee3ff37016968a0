"""Matching benchmark: certified-optimal vs plain 40-nearest vs greedy at published scales.

    python -m bench.matching_bench [--sizes sub,district,scarce,hours,city] [--keep-freed]

Each solver runs in its own subprocess so its peak memory (ru_maxrss) is its own. The city
takes about five minutes (two of them counting its 157 M eligible pairs).

Every solver's subprocess first boots the solver's two worker processes, before its clock starts,
as a service does at start-up (`LIANXIN_MATCHING_THREADS`, marketplace.dispatch.runner): on 2
cores their boot (two Python processes importing numpy, scipy and OR-Tools) otherwise competes
with the solve for the CPU. The row `cold` is the certified solve in a fresh process that boots
them itself, for comparison. Every solve returns the whole result, explanations included
(next-best volunteers and unserved reasons, the API default).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

from matching import Mode, Params, Problem, solve
from matching.accel.parallel import Workers

# name: tasks, volunteers, side in km (same density as the 30 km district)
SIZES = {
    "sub": (2_000, 3_500, 9.5),
    "district": (20_000, 35_000, 30.0),
    "city": (200_000, 350_000, 95.0),
    "hours": (3_000, 1_500, 8.0),
    # the district's tasks with a third fewer volunteers: capacity is scarce, optimising matters
    "scarce": (20_000, 12_000, 30.0),
}
VALUE_BY_PRIORITY = {1: 1_500, 2: 3_000, 3: 6_000}  # metres of travel a served task is worth
LAT0, LNG0 = 31.0, 121.2


def _points(rng: np.random.Generator, n: int, side_km: float, clustered: float) -> np.ndarray:
    """n points in a square: a share `clustered` around hotspots, the rest uniform."""
    hot = rng.random((max(4, int(side_km**2 / 40)), 2)) * side_km
    k = int(n * clustered)
    centre = hot[rng.integers(0, hot.shape[0], k)]
    pts = np.vstack([centre + rng.normal(0, 0.6, (k, 2)), rng.random((n - k, 2)) * side_km])
    return np.clip(pts, 0, side_km)


def instance(size: str, seed: int = 20240601) -> Problem:
    """A synthetic city slice with scarce-ish capacity: hotspots of need, skills, weekdays."""
    nt, nv, side = SIZES[size]
    rng = np.random.default_rng(seed)
    tp, vp = _points(rng, nt, side, 0.85), _points(rng, nv, side, 0.0)
    km_lat, km_lng = 1 / 111.195, 1 / (111.195 * np.cos(np.radians(LAT0)))
    prio = rng.choice([1, 2, 3], nt, p=[0.5, 0.35, 0.15])
    skills = np.where(rng.random(nt) < 0.3, 1 << rng.integers(0, 4, nt), 0).astype(np.uint64)
    hours = size == "hours"
    return Problem.from_geography(
        task_lat=LAT0 + tp[:, 0] * km_lat,
        task_lng=LNG0 + tp[:, 1] * km_lng,
        task_value=np.vectorize(VALUE_BY_PRIORITY.get)(prio),
        task_priority=prio,
        task_hours=rng.uniform(1.0, 3.0, nt),
        task_skills=skills,
        task_window=np.where(rng.random(nt) < 0.6, 1 << rng.integers(0, 7, nt), 0).astype(
            np.uint64
        ),
        vol_lat=LAT0 + vp[:, 0] * km_lat,
        vol_lng=LNG0 + vp[:, 1] * km_lng,
        vol_skills=rng.integers(0, 16, nv).astype(np.uint64),
        vol_slots=np.where(rng.random(nv) < 0.8, rng.integers(1, 128, nv), 127).astype(np.uint64),
        vol_max_distance_m=rng.integers(1_000, 5_001, nv),
        vol_max_tasks=rng.choice([1, 2, 3], nv, p=[0.6, 0.3, 0.1]) * (3 if hours else 1),
        vol_max_hours=rng.uniform(4.0, 10.0, nv) if hours else None,
    )


def eligible_pairs(p: Problem) -> int:
    """Count eligible pairs in chunks with the KD-tree (never all at once)."""
    from matching.accel.candidates import Space

    space = Space(p)
    tasks = np.arange(p.n_tasks)
    total = 0
    for t, v, _ in space.pairs_within(tasks, np.full(tasks.size, space.max_reach)):
        total += int(space.measure(t, v)[2].sum())
    return total


def worker(size: str, mode: str) -> dict:
    """Run one solver on one instance; report timings, peak memory and the outcome."""
    p = instance(size)
    if mode == "cold":
        mode = "certified"
    elif mode != "pairs":  # as a running service has them
        Workers(2).warm_up()
    if mode == "pairs":
        t0 = time.perf_counter()
        n = eligible_pairs(p)
        return {"pairs": n, "count_s": time.perf_counter() - t0}
    hours = size == "hours"
    params = Params(
        mode=Mode(mode),
        time_limit_s=10.0 if hours else 300.0,
        seed=1,
        threads=2,
        mip_rel_gap=0.005 if hours else 0.0,
    )  # explanations included, as served
    t0 = time.perf_counter()
    r = solve(p, params)
    total = time.perf_counter() - t0
    cand = float(r.stats.get("candidates_s", 0.0))  # type: ignore[arg-type]
    return {
        "status": str(r.status),
        "objective": r.objective,
        "bound": r.bound,
        "gap": r.gap,
        "candidates_s": cand,
        "solve_s": total - cand,
        "total_s": total,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "served": r.breakdown.served_by_priority,
        "demand": r.breakdown.demand_by_priority,
        "arcs": r.stats.get("candidate_arcs"),
        "rounds": r.stats.get("pricing_rounds"),
        "explain_s": r.stats.get("explain_s", 0.0),
        "unserved": int(r.unserved_task.size),
        "size": int(r.size),
        "solved": r.stats.get("arcs_solved"),
        "reused": r.stats.get("arcs_reused"),
    }


# glibc keeps freed memory for reuse instead of returning it (no mmap, no trim): on a machine
# where first touches of memory are dear (measured here: 400 MB copied in 1.4 s into fresh
# pages, 0.06 s into reused ones) the numpy temporaries then stop paying for new pages.
KEEP_FREED = {"MALLOC_MMAP_MAX_": "0", "MALLOC_TRIM_THRESHOLD_": str(1 << 36)}
ENV = dict(os.environ)


def _run(size: str, mode: str) -> dict:
    cmd = [sys.executable, "-m", "bench.matching_bench", "--worker", size, mode]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=ENV)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _served(r: dict) -> str:
    return " ".join(f"p{k}:{v}/{r['demand'][k]}" for k, v in sorted(r["served"].items()))


def report(size: str) -> None:
    """Print one table: certified vs plain 40-nearest vs greedy on one instance."""
    nt, nv, side = SIZES[size]
    pairs = _run(size, "pairs")
    print(
        f"\n## {size}: {nt:,} tasks x {nv:,} volunteers, {side} km across; "
        f"eligible pairs {pairs['pairs']:,} (counted in {pairs['count_s']:.1f} s)"
    )
    print(
        f"{'solver':<11}{'status':<10}{'cand s':>8}{'solve s':>9}{'total s':>9}{'peak MB':>9}"
        f"{'arcs':>11}{'objective':>14}{'gap':>9}  served by priority"
    )
    rows = {m: _run(size, m) for m in ("certified", "knearest", "greedy", "cold")}
    for m, r in rows.items():
        gap = "" if r["gap"] != r["gap"] else f"{100 * r['gap']:.3f}%"
        print(
            f"{m:<11}{r['status']:<10}{r['candidates_s']:>8.2f}{r['solve_s']:>9.2f}"
            f"{r['total_s']:>9.2f}{r['peak_mb']:>9.0f}{r['arcs'] or 0:>11,}{r['objective']:>14,}"
            f"{gap:>9}  {_served(r)}"
        )
    c, k, g = rows["certified"], rows["knearest"], rows["greedy"]
    print(
        f"certified/40-nearest time {c['total_s'] / k['total_s']:.2f}x (cold "
        f"{rows['cold']['total_s'] / k['total_s']:.2f}x); objective vs greedy "
        f"{100 * (c['objective'] / g['objective'] - 1):+.2f}%, vs 40-nearest "
        f"{100 * (c['objective'] / k['objective'] - 1):+.3f}%; pricing rounds {c['rounds']} "
        f"(arcs solved {c['solved'] or 0:,}, re-used from unchanged components {c['reused'] or 0:,}); "
        f"explanations {c['explain_s']:.2f} s of the total ({c['size']:,} assignments, "
        f"{c['unserved']:,} unserved)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", default="sub,district,scarce,hours,city")
    ap.add_argument("--worker", nargs=2, metavar=("SIZE", "MODE"), help=argparse.SUPPRESS)
    ap.add_argument(
        "--keep-freed",
        action="store_true",
        help="run every solver with glibc keeping freed memory (MALLOC_MMAP_MAX_=0)",
    )
    args = ap.parse_args()
    if args.keep_freed:
        ENV.update(KEEP_FREED)
    if args.worker:
        print(json.dumps(worker(*args.worker)))
        return
    for size in args.sizes.split(","):
        report(size)


if __name__ == "__main__":
    main()
