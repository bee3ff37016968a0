"""Reported hours beyond a task's own (security issue 21, item 4): a coordinator decides.

`fulfil` counts at most the task's hours; the rest waits here. Approving counts the reported
hours (and credits the extra points if the service was already confirmed); refusing keeps the
task's hours. Either way the decision is audited.
"""

from __future__ import annotations

from marketplace.accounts.rules import Actor
from marketplace.audit import service as audit
from marketplace.db import atomic
from marketplace.errors import Conflict, NotFound
from marketplace.points import service as points
from marketplace.settings import Settings
from marketplace.tasks.schemas import HoursReviewInput, HoursReviewRead
from marketplace.tasks.tables import Claim, Task


async def review(
    *, actor: Actor, task_id: int, data: HoursReviewInput, settings: Settings
) -> HoursReviewRead:
    """Approve or refuse the pending extra hours of the task's fulfilled service."""
    task = (
        await Task.select(
            Task.community, Task.priority, Task.community.sub_district.as_alias("sub_district")
        )
        .where(Task.id == task_id)
        .first()
    )
    if task is None or not actor.coordinates(task["community"], task["sub_district"]):
        raise NotFound("No such task.", code="task_not_found")
    async with atomic():
        claim = (
            await Claim.select()
            .where((Claim.task == task_id) & (Claim.hours_review == "pending"))
            .order_by(Claim.id, ascending=False)
            .first()
        )
        if claim is None:
            raise Conflict(
                "No reported hours of this task wait for a decision.",
                code="tasks_no_hours_pending",
            )
        counted = claim["requested_hours"] if data.approve else claim["hours"]
        decision = "approved" if data.approve else "refused"
        await Claim.update({Claim.hours: counted, Claim.hours_review: decision}).where(
            (Claim.id == claim["id"]) & (Claim.hours_review == "pending")
        )
        extra = counted - claim["hours"]
        if extra > 0 and claim["confirmed_at"] is not None:
            await points.earn(
                person_id=claim["volunteer"],
                hours=extra,
                priority=task["priority"] > 0,
                claim_id=claim["id"],
                settings=settings,
            )
        await audit.record(
            actor_id=actor.person_id,
            action=f"claim.hours_{decision}",
            object_type="claim",
            object_id=claim["id"],
            task_id=task_id,
            planned=claim["hours"],
            requested=claim["requested_hours"],
            counted=counted,
            reason=data.reason,
        )
    return HoursReviewRead(
        claim_id=claim["id"],
        task_id=task_id,
        requested_hours=claim["requested_hours"],
        hours=counted,
        review=decision,
    )
