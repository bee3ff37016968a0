"""Several cores: KD-tree work in threads, flow parts in worker processes, same answers."""

from __future__ import annotations

import numpy as np
import pytest

import matching.flow as flow_module
from matching import Mode, Params, Tuning, solve
from matching.accel.parallel import Workers
from tests.matching.instances import random_geo


def test_worker_processes_return_results_in_order() -> None:
    from matching.geo import chord_for_metres

    metres = [float(m) for m in range(0, 9000, 500)]
    with Workers(2) as workers:
        assert workers.warm_up()
        got = workers.run(chord_for_metres, iter([(m,) for m in metres]))
        assert [float(x) for x in got] == [float(chord_for_metres(m)) for m in metres]
        with pytest.raises(RuntimeError, match="not a matching function"):
            workers.run(np.negative, iter([(1,), (2,)]))


def test_worker_errors_reach_the_caller() -> None:
    from matching.geo import chord_for_metres

    with Workers(2) as workers:
        assert workers.warm_up()
        with pytest.raises(RuntimeError, match="worker process failed"):
            workers.run(chord_for_metres, iter([("not a number",), (1.0,), (2.0,)]))
        # the workers stay up, and no answer of the failed run is left behind in a pipe
        got = workers.run(chord_for_metres, iter([(3.0,), (4.0,), (5.0,)]))
        assert [float(x) for x in got] == [float(chord_for_metres(m)) for m in (3.0, 4.0, 5.0)]


def test_two_threads_give_the_same_optimum(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small parts force many OR-Tools calls, so the worker processes do solve some of them."""
    monkeypatch.setattr(flow_module, "BIN_ARCS", 300)
    import matching.accel.components as components

    monkeypatch.setattr(components, "BIN_ARCS", 300)
    assert Workers(2).warm_up()
    p = random_geo(21, 900, 600, span_deg=0.08, extras=True)
    rounds = Tuning(full_guard=False)  # the guard would list this instance's few pairs
    one = solve(p, Params(mode=Mode.CERTIFIED, threads=1, tuning=rounds))
    two = solve(p, Params(mode=Mode.CERTIFIED, threads=2, tuning=rounds))
    assert two.status == one.status and two.objective == one.objective
    assert two.stats["parts"] > 2
    full = solve(p, Params(mode=Mode.FULL, threads=2))
    assert full.objective == one.objective


def test_a_dead_worker_is_left_out_and_replaced() -> None:
    from matching.accel import parallel
    from matching.geo import chord_for_metres

    with Workers(2) as workers:
        assert workers.warm_up()
        victim = parallel._PROCESSES.procs[0]
        victim.proc.kill()
        victim.proc.wait()
        got = workers.run(chord_for_metres, iter([(1.0,), (2.0,), (3.0,)]))
        assert [float(x) for x in got] == [float(chord_for_metres(m)) for m in (1.0, 2.0, 3.0)]
        assert workers.warm_up()  # a new worker takes the dead one's place
        assert all(p.alive() for p in parallel._PROCESSES.procs)


def test_boot_starts_the_workers_in_the_background() -> None:
    from matching.accel import parallel

    for p in parallel._PROCESSES.procs:  # start from none running
        p.proc.kill()
        p.proc.wait()
    parallel.boot(2)  # returns at once; they import while we go on
    assert len([p for p in parallel._PROCESSES.procs if p.alive()]) == 2
    assert Workers(2).warm_up()
