"""Where a certified solve's time goes, round by round, against the plain 40-nearest solve.

One process, workers booted first (as a running service has them), then `--repeat` pairs of
solves of the same bench instance: 40-nearest, then certified (explanations on, as served).
Each solve prints its total and its stats; a certified one also prints its rounds (active and
solved arcs, profit, stale arcs, violations, near misses, flow and pricing seconds). The first
pair pays first touches of memory (see bench.memory_probe); later pairs are warm.

    python -m bench.round_trace [--size district] [--repeat 2] [--first-k 16] [--no-seed]
    python -m bench.round_trace --family hotspots [--size district]   (bench.families)

`--first-k` and `--no-seed` change the certified solve's start (solve.CERTIFIED_FIRST_K and
certify.Tuning.seed) for this process only, to compare starts.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import time

from bench import families
from bench.matching_bench import instance
from matching import Mode, Params, solve
from matching.accel.parallel import Workers
from matching.certificate import certify


def _figures(stats: dict[str, object]) -> str:
    return " ".join(
        f"{k}={round(v, 3) if isinstance(v, float) else v}"
        for k, v in stats.items()
        if isinstance(v, int | float | str)
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--size", default="district")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--first-k", type=int, help="nearest candidates per task to start from")
    ap.add_argument("--no-seed", action="store_true", help="start without the seed's arcs")
    ap.add_argument("--family", help="an instance of bench.families instead (hotspots, ...)")
    args = ap.parse_args()
    if args.first_k is not None:
        module = importlib.import_module("matching.solve")  # `matching.solve` is the function
        setattr(module, "CERTIFIED_FIRST_K", args.first_k)  # noqa: B010
    if args.no_seed:
        certify.Tuning = functools.partial(certify.Tuning, seed=False)  # type: ignore[assignment,misc]
    problem = families.instance(args.family, args.size) if args.family else instance(args.size)
    Workers(2).warm_up()
    for _ in range(args.repeat):
        times = {}
        for mode in (Mode.KNEAREST, Mode.CERTIFIED):
            t0 = time.perf_counter()
            r = solve(problem, Params(mode=mode, time_limit_s=300.0, seed=1, threads=2))
            times[mode] = time.perf_counter() - t0
            print(f"{mode.value:10s} {times[mode]:.3f} s  {_figures(r.stats)}")
            for row in r.stats.get("trace", []):  # type: ignore[union-attr]
                print("   ", row)
        print(f"certified / 40-nearest: {times[Mode.CERTIFIED] / times[Mode.KNEAREST]:.2f}x\n")


if __name__ == "__main__":
    main()
