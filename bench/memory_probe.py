"""How dear touching memory again is on this machine, after freeing it and waiting.

    python -m bench.memory_probe

Allocates and fills 400 MB with numpy, frees it, waits, and times the same again. On a virtual
machine that hands freed memory back to its host (free page reporting), the second fill costs
as much as the first once the pause is long enough; right after freeing it costs little. The
matching benchmark's timings swing with this (docs/matching.md).
"""

from __future__ import annotations

import time

import numpy as np

SIZE = 50_000_000  # float64: 400 MB
PAUSES_S = (0.0, 1.0, 3.0, 10.0)


def fill_s() -> float:
    """Seconds to allocate and fill SIZE float64 (then freed)."""
    t0 = time.perf_counter()
    a = np.ones(SIZE)
    took = time.perf_counter() - t0
    del a
    return took


def main() -> None:
    print(f"first fill of 400 MB: {fill_s():.3f} s")
    for pause in PAUSES_S:
        fill_s()
        time.sleep(pause)
        print(f"fill of 400 MB {pause:>4.0f} s after freeing it: {fill_s():.3f} s")


if __name__ == "__main__":
    main()
