"""Instance families for the matching engine, and the family table of `make bench`.

    python -m bench.families [--families uniform,hotspots,...] [--sizes sub,district,city]

Families (fixed seeds; travel limits 1-5 km, 30% of tasks needing one of four skills that each
volunteer holds with probability 1/2, 60% of tasks in one weekday window, unless said):
  uniform        tasks and volunteers uniform over the square
  hotspots       half the tasks in a few dense clusters (0.5 km spread)
  scarce_vols    supply well below demand: half as many volunteers as tasks (capacity about
                 0.75 of demand), their homes clustered, 70% of tasks needing a skill (the
                 instance of issue 25)
  scarce_skills  a fifth skill held by 5% of volunteers and needed by 20% of tasks
  long_reach     travel limits 2-10 km
  tight_reach    travel limits 0.3-1 km
each at sub-district (2,000 tasks, 9.5 km across) and district size (20,000, 30 km), and
the city (200,000 x 350,000, 95 km) for the uniform family.

Each solver runs in its own subprocess (peak MB = its ru_maxrss), after booting the solver's
worker processes as a service does; threads=2. Columns: certified s (optimal over every
eligible pair), 40-nearest s (the plain pruned solve, no proof), their ratio, full s (every
eligible pair enumerated and one flow; `~` marks an estimate from the pair count at the rate
measured on the same family's smaller size, where enumerating would take too much memory),
rounds (pricing rounds, or `full` when the guard chose enumeration), peak MB, optimal? (the
certified status, and whether its objective equals the full solve's where that ran).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

import numpy as np

from matching import Mode, Params, Problem, solve
from matching.accel.parallel import Workers

SIZES = {
    "sub": (2_000, 3_500, 9.5),
    "district": (20_000, 35_000, 30.0),
    "city": (200_000, 350_000, 95.0),
}
FAMILIES = ["uniform", "hotspots", "scarce_vols", "scarce_skills", "long_reach", "tight_reach"]
VALUES = np.array([1_500, 3_000, 6_000])  # metres of travel a served task is worth
LAT0, LNG0 = 31.0, 121.2
FULL_MAX_PAIRS = 16_000_000  # above this the full solve is estimated, not run


def _square(rng: np.random.Generator, n: int, side: float) -> np.ndarray:
    return rng.random((n, 2)) * side


def _clustered(
    rng: np.random.Generator, n: int, side: float, share: float, n_hot: int, spread_km: float
) -> np.ndarray:
    hot = rng.random((n_hot, 2)) * side
    k = int(n * share)
    pts = np.vstack(
        [
            hot[rng.integers(0, n_hot, k)] + rng.normal(0, spread_km, (k, 2)),
            _square(rng, n - k, side),
        ]
    )
    return np.clip(pts[rng.permutation(n)], 0, side)


def instance(family: str, size: str, seed: int = 20261205) -> Problem:
    """One instance of a family at a size (deterministic for a seed)."""
    if family not in FAMILIES or size not in SIZES:
        raise ValueError(f"unknown family or size: {family} {size}")
    nt, nv, side = SIZES[size]
    rng = np.random.default_rng([seed, FAMILIES.index(family), list(SIZES).index(size)])
    need_share, n_skills = 0.3, 4
    reach = (1_000, 5_001)
    if family == "scarce_vols":
        nv, need_share = nt // 2, 0.7
    if family == "long_reach":
        reach = (2_000, 10_001)
    elif family == "tight_reach":
        reach = (300, 1_001)
    if family == "hotspots":
        tp = _clustered(rng, nt, side, 0.5, max(3, int(side**2 / 150)), 0.5)
    else:
        tp = _square(rng, nt, side)
    if family == "scarce_vols":
        vp = _clustered(rng, nv, side, 0.7, max(4, int(side**2 / 40)), 0.8)
    else:
        vp = _square(rng, nv, side)
    skills = np.where(rng.random(nt) < need_share, 1 << rng.integers(0, n_skills, nt), 0)
    vol_skills = (rng.random((nv, n_skills)) < 0.5) @ (1 << np.arange(n_skills))
    if family == "scarce_skills":  # a fifth skill: 5% of volunteers hold it, 20% of tasks need it
        rare = 1 << n_skills
        skills = np.where(rng.random(nt) < 0.2, rare, skills)
        vol_skills = np.where(rng.random(nv) < 0.05, vol_skills | rare, vol_skills)
    km_lat, km_lng = 1 / 111.195, 1 / (111.195 * np.cos(np.radians(LAT0)))
    prio = rng.choice(3, nt, p=[0.5, 0.35, 0.15])
    return Problem.from_geography(
        task_lat=LAT0 + tp[:, 0] * km_lat,
        task_lng=LNG0 + tp[:, 1] * km_lng,
        task_value=VALUES[prio],
        task_priority=prio + 1,
        task_hours=rng.uniform(1.0, 3.0, nt),
        task_skills=skills.astype(np.uint64),
        task_window=np.where(rng.random(nt) < 0.6, 1 << rng.integers(0, 7, nt), 0).astype(
            np.uint64
        ),
        vol_lat=LAT0 + vp[:, 0] * km_lat,
        vol_lng=LNG0 + vp[:, 1] * km_lng,
        vol_skills=vol_skills.astype(np.uint64),
        vol_slots=np.where(rng.random(nv) < 0.8, rng.integers(1, 128, nv), 127).astype(np.uint64),
        vol_max_distance_m=rng.integers(*reach, nv),
        vol_max_tasks=rng.choice([1, 2, 3], nv, p=[0.6, 0.3, 0.1]),
    )


def estimated_pairs(p: Problem, sample: int = 2_000) -> int:
    """Eligible pairs, counted exactly for a random sample of tasks and scaled up."""
    from matching.accel.candidates import Space

    space = Space(p)
    rng = np.random.default_rng(0)
    tasks = np.sort(rng.choice(p.n_tasks, min(sample, p.n_tasks), replace=False))
    n = 0
    for t, v, _ in space.pairs_within(tasks, np.full(tasks.size, space.max_reach)):
        n += int(space.measure(t, v)[2].sum())
    return round(n * p.n_tasks / tasks.size)


def worker(family: str, size: str, mode: str) -> dict:
    """Run one solver on one instance in this process; report time, memory and outcome."""
    p = instance(family, size)
    if mode == "pairs":
        return {"pairs": estimated_pairs(p)}
    Workers(2).warm_up()  # as a running service has them
    params = Params(mode=Mode(mode), time_limit_s=600.0, seed=1, threads=2)
    t0 = time.perf_counter()
    r = solve(p, params)
    total = time.perf_counter() - t0
    return {
        "status": str(r.status),
        "objective": r.objective,
        "bound": r.bound,
        "total_s": total,
        "rounds": r.stats.get("pricing_rounds"),
        "path": r.stats.get("path", ""),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _run(*args: str) -> dict:
    cmd = [sys.executable, "-m", "bench.families", "--worker", *args]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


HEADER = (
    f"{'family':<14}{'size':<9}{'~pairs':>12}{'certified s':>12}{'40-nearest s':>13}"
    f"{'ratio':>7}{'full s':>9}{'cert/full':>10}{'rounds':>7}{'peak MB':>8}  optimal?"
)


def row(family: str, size: str, rates: dict[str, float]) -> str:
    pairs = _run(family, size, "pairs")["pairs"]
    c = _run(family, size, "certified")
    k = _run(family, size, "knearest")
    if pairs <= FULL_MAX_PAIRS:
        f = _run(family, size, "full")
        rates[family] = f["total_s"] / max(pairs, 1)
        full_s = f"{f['total_s']:.2f}"
        same = "= full" if f["objective"] == c["objective"] else "!= FULL"
        full_t = f["total_s"]
    else:
        full_t = rates.get(family, float("nan")) * pairs
        full_s, same = f"~{full_t:.1f}", "(full not run)"
    rounds = "full" if c["path"] == "full" else str(c["rounds"])
    return (
        f"{family:<14}{size:<9}{pairs:>12,}{c['total_s']:>12.2f}{k['total_s']:>13.2f}"
        f"{c['total_s'] / k['total_s']:>6.2f}x{full_s:>9}{c['total_s'] / full_t:>9.2f}x"
        f"{rounds:>7}{c['peak_mb']:>8.0f}  {c['status']} {same}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--families", default=",".join(FAMILIES))
    ap.add_argument("--sizes", default="sub,district,city")
    ap.add_argument("--worker", nargs=3, metavar=("FAMILY", "SIZE", "MODE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(*args.worker)))
        return
    print("## instance families (threads=2; each solver in its own process)")
    print(HEADER, flush=True)
    rates: dict[str, float] = {}
    for family in args.families.split(","):
        for size in args.sizes.split(","):
            if size == "city" and family != "uniform":
                continue
            print(row(family, size, rates), flush=True)


if __name__ == "__main__":
    main()
