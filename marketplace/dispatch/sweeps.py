"""Periodic duties: retry or fail runs whose worker died, lapse unanswered dispatches, escalate
claims left unfulfilled too long."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from marketplace.accounts.rules import Actor
from marketplace.audit import service as audit
from marketplace.db import atomic
from marketplace.dispatch.rules import RunState
from marketplace.dispatch.runner import fail
from marketplace.dispatch.tables import DeclinedPair, MatchingRun
from marketplace.notifications import events as notices
from marketplace.notifications.service import Publisher
from marketplace.settings import Settings
from marketplace.tasks import service as tasks
from marketplace.tasks.tables import Claim

log = logging.getLogger(__name__)


async def stale_runs(*, settings: Settings, publisher: Publisher | None) -> list[int]:
    """Runs stuck in `running` (no heartbeat) go back to the queue, or fail after the last try.

    Returns the ids to resubmit.
    """
    limit = datetime.now(UTC) - timedelta(seconds=settings.run_heartbeat_timeout_s)
    rows = await MatchingRun.select(MatchingRun.id, MatchingRun.attempts).where(
        (MatchingRun.state == RunState.RUNNING.value) & (MatchingRun.heartbeat_at < limit)
    )
    retry = []
    for row in rows:
        if row["attempts"] >= settings.run_max_attempts:
            await fail(row["id"], "the worker stopped mid-run too many times", publisher)
            continue
        requeued = (
            await MatchingRun.update({MatchingRun.state: RunState.QUEUED.value})
            .where((MatchingRun.id == row["id"]) & (MatchingRun.state == RunState.RUNNING.value))
            .returning(MatchingRun.id)
        )
        retry += [r["id"] for r in requeued]
    return retry


async def queued_runs() -> list[int]:
    """Runs waiting for an executor (after a restart of an in-process executor)."""
    rows = await MatchingRun.select(MatchingRun.id).where(
        MatchingRun.state == RunState.QUEUED.value
    )
    return [r["id"] for r in rows]


async def lapse_unanswered(*, publisher: Publisher | None) -> int:
    """A dispatch not accepted by its deadline returns to the pool; the pair is never proposed again."""
    now = datetime.now(UTC)
    rows = await Claim.select(
        Claim.id, Claim.task, Claim.volunteer, Claim.task.community.as_alias("community")
    ).where(
        Claim.active_task.is_not_null()
        & (Claim.via == "dispatch")
        & Claim.accepted_at.is_null()
        & (Claim.respond_by < now)
    )
    for row in rows:
        async with atomic():
            # The timeline records the lapse as the silent volunteer's act.
            volunteer = Actor(person_id=row["volunteer"], name="")
            await tasks.give_back(
                claim_id=row["id"], task_id=row["task"], status="lapsed", actor=volunteer
            )
            await DeclinedPair(task=row["task"], volunteer=row["volunteer"], at=now).save()
            await audit.record(
                actor_id=None,
                action="dispatch.lapsed",
                object_type="task",
                object_id=row["task"],
                volunteer=row["volunteer"],
            )
            await notices.task_lapsed(
                volunteer_id=row["volunteer"], task_id=row["task"], community_id=row["community"]
            )
    return len(rows)


async def escalate_stale_claims(*, settings: Settings, publisher: Publisher | None) -> int:
    """Claims unfulfilled past the limit are escalated to the community's coordinators (once)."""
    limit = datetime.now(UTC) - timedelta(days=settings.stale_claim_days)
    rows = await Claim.select(
        Claim.id, Claim.task, Claim.task.community.as_alias("community")
    ).where(
        Claim.active_task.is_not_null() & (Claim.claimed_at < limit) & Claim.escalated_at.is_null()
    )
    for row in rows:
        async with atomic():
            await Claim.update({Claim.escalated_at: datetime.now(UTC)}).where(Claim.id == row["id"])
            await notices.claim_stale(
                task_id=row["task"],
                community_id=row["community"],
                days=settings.stale_claim_days,
            )
    return len(rows)


async def sweep(*, settings: Settings, publisher: Publisher | None) -> list[int]:
    """All periodic duties; returns the runs to resubmit."""
    retry = await stale_runs(settings=settings, publisher=publisher)
    await lapse_unanswered(publisher=publisher)
    await escalate_stale_claims(settings=settings, publisher=publisher)
    return retry
