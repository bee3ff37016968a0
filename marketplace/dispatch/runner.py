"""Execute a matching run: load → candidates → solve → save, with progress on a channel.

The proposal is saved in one transaction together with the run's move to `proposed`: a worker
that dies mid-run leaves no half-saved proposal, and the stale-run sweep retries or fails it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime

import msgspec
import numpy as np
from piccolo.utils.encoding import dump_json

from marketplace.audit import service as audit
from marketplace.db import atomic, insert_many
from marketplace.dispatch import loading, summary
from marketplace.dispatch.rules import RunState
from marketplace.dispatch.tables import MatchingRun, ProposedAssignment, UnservedTask
from marketplace.notifications import events as notices
from marketplace.notifications.service import Publisher
from marketplace.settings import Settings
from matching import Mode, Params, Result, solve
from matching.accel.parallel import boot

log = logging.getLogger(__name__)


def run_channel(run_id: int) -> str:
    return f"run:{run_id}"


async def _announce(publisher: Publisher | None, event: dict) -> None:
    """Progress events are a courtesy: the database holds the truth, so a failed push is logged."""
    if publisher is None:
        return
    try:
        await publisher.publish(msgspec.json.encode(event), run_channel(event["run"]))
    except Exception:
        log.warning("could not publish progress of run %s", event["run"], exc_info=True)


async def _stage(run_id: int, stage: str, progress: float, publisher: Publisher | None) -> None:
    now = datetime.now(UTC)
    await MatchingRun.update(
        {MatchingRun.stage: stage, MatchingRun.progress: progress, MatchingRun.heartbeat_at: now}
    ).where(MatchingRun.id == run_id)
    await _announce(
        publisher, {"run": run_id, "state": "running", "stage": stage, "progress": progress}
    )


async def _start(run_id: int) -> dict | None:
    """Move queued → running (exactly one executor wins a run)."""
    rows = (
        await MatchingRun.update(
            {
                MatchingRun.state: RunState.RUNNING.value,
                MatchingRun.attempts: MatchingRun.attempts + 1,
                MatchingRun.heartbeat_at: datetime.now(UTC),
            }
        )
        .where((MatchingRun.id == run_id) & (MatchingRun.state == RunState.QUEUED.value))
        .returning(*MatchingRun.all_columns())
    )
    return rows[0] if rows else None


def boot_solver(settings: Settings) -> None:
    """Start the solver's worker processes now (in the background) when runs may use several
    cores, so that the first large run does not wait for them."""
    if settings.matching_threads > 1:
        boot(settings.matching_threads)


async def execute_run(run_id: int, *, settings: Settings, publisher: Publisher | None) -> None:
    """Run one queued matching run to `proposed`, or mark it `failed` with the error."""
    run = await _start(run_id)
    if run is None:
        return
    beating = asyncio.create_task(_beat(run_id, settings.run_beat_every_s))
    try:
        await _execute(run, settings, publisher)
    except Exception as exc:  # the run records the failure; the worker lives on
        log.exception("matching run %s failed", run_id)
        await fail(run_id, f"{type(exc).__name__}: {exc}", publisher)
    finally:
        beating.cancel()


async def _beat(run_id: int, every_s: float) -> None:
    """While the run executes (the solve may take its whole time limit), its heartbeat stays
    fresh; a run whose heartbeat goes stale lost its worker and the sweep retries it."""
    while True:
        await asyncio.sleep(every_s)
        try:
            await MatchingRun.update({MatchingRun.heartbeat_at: datetime.now(UTC)}).where(
                (MatchingRun.id == run_id) & (MatchingRun.state == RunState.RUNNING.value)
            )
        except Exception:  # the next beat tries again; a lasting outage makes the run stale
            log.warning("heartbeat of run %s failed", run_id, exc_info=True)


async def _execute(run: dict, settings: Settings, publisher: Publisher | None) -> None:
    options = (
        run["options"] if isinstance(run["options"], dict) else msgspec.json.decode(run["options"])
    )
    timings: dict[str, float] = {}
    started = clock = time.perf_counter()
    await _stage(run["id"], "loading", 0.1, publisher)
    scope = await loading.resolve_scope(run["scope_kind"], run["scope_id"])
    loaded = await loading.load_problem(
        scope=scope,
        settings=settings,
        fairness=bool(options.get("fairness", False)),
        continuity=bool(options.get("continuity", True)),
    )
    timings["load_s"] = time.perf_counter() - clock
    await _stage(run["id"], "solving", 0.4, publisher)
    params = Params(
        time_limit_s=float(options.get("time_limit_s", settings.matching_time_limit_s)),
        seed=0,
        mip_rel_gap=settings.matching_mip_gap,
        threads=settings.matching_threads,
    )
    clock = time.perf_counter()
    result = await asyncio.to_thread(solve, loaded.problem, params)
    timings["solve_s"] = time.perf_counter() - clock
    timings.update(
        {f"engine_{k}": float(v) for k, v in result.stats.items() if isinstance(v, int | float)}
    )
    clock = time.perf_counter()
    baseline = await asyncio.to_thread(
        solve, loaded.problem, Params(time_limit_s=10, mode=Mode.GREEDY, explain=False)
    )
    timings["baseline_s"] = time.perf_counter() - clock
    await _stage(run["id"], "saving", 0.8, publisher)
    await save_proposal(run["id"], loaded, result, baseline, timings, started)
    await _announce(
        publisher,
        {"run": run["id"], "state": RunState.PROPOSED.value, "stage": "done", "progress": 1.0},
    )


async def save_proposal(
    run_id: int,
    loaded: loading.Loaded,
    result: Result,
    baseline: Result,
    timings: dict,
    started: float,
) -> None:
    """The proposal rows and the move to `proposed`, all in one transaction.

    The timings are written with the move, so whoever sees the proposal sees them complete.
    """
    clock = time.perf_counter()
    rows = _assignment_rows(run_id, loaded, result)
    unserved = [
        (
            run_id,
            int(loaded.task_ids[result.unserved_task[j]]),
            result.explain_unserved(j)["reason"],
        )
        for j in range(result.unserved_task.size)
    ]
    async with atomic():
        await insert_many(ProposedAssignment, ASSIGNMENT_COLUMNS, rows)
        await insert_many(UnservedTask, ("run", "task", "reason"), unserved)
        timings["save_s"] = time.perf_counter() - clock
        timings["total_s"] = time.perf_counter() - started
        changed = (
            await MatchingRun.update(
                {
                    MatchingRun.state: RunState.PROPOSED.value,
                    MatchingRun.active_scope: None,
                    MatchingRun.stage: "done",
                    MatchingRun.progress: 1.0,
                    MatchingRun.summary: summary.of(result, loaded),
                    MatchingRun.baseline: summary.of(baseline, loaded),
                    MatchingRun.timings: timings,
                    MatchingRun.finished_at: datetime.now(UTC),
                }
            )
            .where((MatchingRun.id == run_id) & (MatchingRun.state == RunState.RUNNING.value))
            .returning(MatchingRun.id)
        )
        if not changed:
            raise RuntimeError("the run is no longer running (retried or failed elsewhere)")
        await notices.run_finished(run_id=run_id)


ASSIGNMENT_COLUMNS = (
    "run",
    "task",
    "volunteer",
    "distance_m",
    "load_h",
    "skills",
    "next_best_volunteer",
    "extra_cost_m",
    "continuity_bonus_m",
    "next_best_more_m",
    "status",
    "note",
)


def _assignment_rows(run_id: int, loaded: loading.Loaded, result: Result) -> list[tuple]:
    """One row per assignment, in ASSIGNMENT_COLUMNS order."""
    task_ids = loaded.task_ids[result.task].tolist()
    vol_ids = loaded.volunteer_ids[result.volunteer].tolist()
    nb = result.next_best_volunteer
    has_next = (nb >= 0).tolist()
    nb_ids = loaded.volunteer_ids[np.maximum(nb, 0)].tolist()
    more = summary.next_best_more_m(loaded.problem, result).tolist()
    rows = []
    for i, (t, v) in enumerate(zip(result.task.tolist(), result.volunteer.tolist(), strict=True)):
        skills = sorted(set(loaded.task_skills[t]) & set(loaded.volunteer_skills[v]))
        rows.append(
            (
                run_id,
                task_ids[i],
                vol_ids[i],
                int(result.distance_m[i]),
                round(float(result.load_h[i]), 2),
                dump_json(skills),
                nb_ids[i] if has_next[i] else None,
                int(result.extra_cost_m[i]) if has_next[i] else None,
                int(result.bonus_m[i]),
                more[i] if has_next[i] else None,
                "proposed",
                "",
            )
        )
    return rows


async def fail(run_id: int, error: str, publisher: Publisher | None) -> None:
    """Mark a run failed (freeing its scope) and say so on its channel."""
    async with atomic():
        await MatchingRun.update(
            {
                MatchingRun.state: RunState.FAILED.value,
                MatchingRun.active_scope: None,
                MatchingRun.error: error[:2000],
                MatchingRun.finished_at: datetime.now(UTC),
            }
        ).where(MatchingRun.id == run_id)
        await audit.record(
            actor_id=None,
            action="matching_run.failed",
            object_type="matching_run",
            object_id=run_id,
            error=error[:200],
        )
        await notices.run_finished(run_id=run_id)
    await _announce(
        publisher, {"run": run_id, "state": RunState.FAILED.value, "error": error[:500]}
    )
