"""What follows a dispatch: the volunteer accepts or declines; coordinators handle stale claims."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from marketplace.accounts.rules import Actor, Role
from marketplace.audit import service as audit
from marketplace.db import atomic
from marketplace.dispatch.schemas import StaleClaimRead
from marketplace.dispatch.tables import DeclinedPair
from marketplace.errors import Conflict, Forbidden
from marketplace.notifications import events as notices
from marketplace.notifications.service import Publisher
from marketplace.org import service as org
from marketplace.settings import Settings
from marketplace.tasks import service as tasks
from marketplace.tasks.schemas import TaskRead
from marketplace.tasks.tables import Claim


async def _my_dispatch(actor: Actor, task_id: int) -> dict:
    claim = await tasks.my_active_claim(actor, task_id)
    if claim["via"] != "dispatch" or claim["accepted_at"] is not None:
        raise Conflict(
            "This task is not a dispatch waiting for your answer.", code="dispatch_not_waiting"
        )
    return claim


async def accept(*, actor: Actor, task_id: int) -> TaskRead:
    """The volunteer takes the dispatched task on (before the deadline)."""
    async with atomic():
        claim = await _my_dispatch(actor, task_id)
        if claim["respond_by"] and claim["respond_by"] < datetime.now(UTC):
            raise Conflict(
                "The time to answer this dispatch has passed; it has gone back to the pool.",
                code="dispatch_expired",
            )
        await Claim.update({Claim.accepted_at: datetime.now(UTC)}).where(Claim.id == claim["id"])
        await audit.record(
            actor_id=actor.person_id,
            action="dispatch.accepted",
            object_type="task",
            object_id=task_id,
        )
    return await tasks.get_task(actor=actor, task_id=task_id)


async def decline(*, actor: Actor, task_id: int, reason: str) -> TaskRead:
    """The volunteer declines: the task returns to the pool and the pair is never proposed again."""
    async with atomic():
        claim = await _my_dispatch(actor, task_id)
        await tasks.give_back(claim_id=claim["id"], task_id=task_id, status="declined", actor=actor)
        await DeclinedPair(task=task_id, volunteer=actor.person_id, at=datetime.now(UTC)).save()
        await audit.record(
            actor_id=actor.person_id,
            action="dispatch.declined",
            object_type="task",
            object_id=task_id,
            reason=reason,
        )
    return await tasks.get_task(actor=actor, task_id=task_id)


async def stale_claims(*, actor: Actor, settings: Settings) -> list[StaleClaimRead]:
    """Active claims older than the limit in the communities the coordinator serves."""
    communities = await org.communities_of(actor, Role.COORDINATOR, Role.ADMIN)
    if not communities:
        raise Forbidden(
            "Only coordinators see stale claims.", code="dispatch_stale_coordinators_only"
        )
    limit = datetime.now(UTC) - timedelta(days=settings.stale_claim_days)
    rows = (
        await Claim.select(
            Claim.all_columns(),
            Claim.task.title.as_alias("title"),
            Claim.volunteer.name.as_alias("name"),
        )
        .where(
            Claim.active_task.is_not_null()
            & (Claim.claimed_at < limit)
            & Claim.task.community.is_in(communities)
        )
        .order_by(Claim.claimed_at)
    )
    return [
        StaleClaimRead(
            claim_id=r["id"],
            task_id=r["task"],
            task_title=r["title"],
            volunteer_id=r["volunteer"],
            volunteer_name=r["name"],
            claimed_at=r["claimed_at"],
            via=r["via"],
            escalated=r["escalated_at"] is not None,
        )
        for r in rows
    ]


async def release_by_coordinator(
    *, actor: Actor, task_id: int, publisher: Publisher | None
) -> TaskRead:
    """A coordinator takes a stale claim back into the pool; the volunteer is told."""
    row = await tasks.visible_task(actor=actor, task_id=task_id)
    sub = await org.sub_district_of(community_id=row["community"])
    if not actor.coordinates(row["community"], sub):
        raise Forbidden(
            "Only the community's coordinators can release a volunteer's claim.",
            code="dispatch_release_coordinators_only",
        )
    async with atomic():
        claim = await tasks.active_claim(task_id)
        if claim is None:
            raise Conflict("Nobody holds this task.", code="dispatch_nobody_holds")
        await tasks.give_back(claim_id=claim["id"], task_id=task_id, status="recalled", actor=actor)
        await audit.record(
            actor_id=actor.person_id,
            action="claim.released_by_coordinator",
            object_type="task",
            object_id=task_id,
            volunteer=claim["volunteer"],
        )
        await notices.task_released(volunteer_id=claim["volunteer"], task_id=task_id)
    return await tasks.get_task(actor=actor, task_id=task_id)
