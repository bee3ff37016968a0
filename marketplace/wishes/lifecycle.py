"""The steps of a wish's life after it is made: review, publish, reject, cancel, confirm,
reopen, announce; and the task-source hooks through which claims move it (领单, 圆梦)."""

from __future__ import annotations

from datetime import UTC, datetime

from marketplace.accounts.rules import Actor
from marketplace.db import atomic
from marketplace.errors import Conflict, Forbidden
from marketplace.notifications import events as notices
from marketplace.service_record import service as record
from marketplace.settings import CATEGORY_DUTY, Settings
from marketplace.tasks import service as tasks
from marketplace.tasks import sources
from marketplace.tasks.rules import TaskStatus, check_duty
from marketplace.visits import service as visits
from marketplace.wishes import rules
from marketplace.wishes.rules import View, WishAction
from marketplace.wishes.schemas import (
    ConfirmInput,
    NegativeListHitRead,
    PublishInput,
    RejectInput,
    ReviewRead,
    WishRead,
)
from marketplace.wishes.service import SOURCE, load, read, transition, visible
from marketplace.wishes.tables import Wish


async def _as_coordinator(actor: Actor, wish_id: int) -> dict:
    row, _ = await visible(actor, wish_id)
    if not actor.coordinates(row["community"], row["sub_district_id"]):
        raise Forbidden(
            "Only the community's coordinators (社区党委) can do this.",
            code="wish_coordinators_only",
        )
    return row


async def _done(actor: Actor, wish_id: int) -> WishRead:
    row, view = await visible(actor, wish_id)
    return await read(row, view)


def _hits(row: dict, settings: Settings) -> list[rules.NegativeListHit]:
    text = f"{row['title']}\n{row['description']}"
    return rules.negative_list_hits(text, settings.negative_list)


async def review(*, actor: Actor, wish_id: int, settings: Settings) -> ReviewRead:
    """What a coordinator reviewing the wish needs: the wish and its negative-list hits."""
    row = await _as_coordinator(actor, wish_id)
    return ReviewRead(
        wish=await read(row, View.FULL),
        negative_list_hits=[
            NegativeListHitRead(h.code, list(h.words)) for h in _hits(row, settings)
        ],
    )


async def publish(
    *, actor: Actor, wish_id: int, data: PublishInput, settings: Settings
) -> WishRead:
    """收集发布: a coordinator publishes a reviewed wish; it becomes a task in the feed."""
    row = await _as_coordinator(actor, wish_id)
    duty = data.duty_type or CATEGORY_DUTY.get(row["category"], "volunteering")
    check_duty(data.responsible_level, duty, settings)
    hits = _hits(row, settings)
    if hits and not data.override_negative_list:
        codes = ", ".join(h.code for h in hits)
        raise Conflict(
            f"The wish touches the negative list ({codes}): reject it, or publish with "
            "override_negative_list: true if the words are harmless here.",
            code="wish_negative_list",
            field="override_negative_list",
            items=[h.code for h in hits],
        )
    note = data.note or (
        "negative list overridden: " + ", ".join(h.code for h in hits) if hits else ""
    )
    async with atomic():
        await transition(
            wish_id=wish_id, action=WishAction.PUBLISH, actor_id=actor.person_id, note=note
        )
        await tasks.publish(
            source=SOURCE,
            source_id=wish_id,
            community_id=row["community"],
            compound_id=row["compound"],
            title=row["title"],
            category=row["category"],
            skills=list(row["skills"]),
            hours=row["hours"],
            priority=rules.priority_level(row["priority_groups"]),
            lat=row["lat"],
            lng=row["lng"],
            responsible_level=data.responsible_level,
            duty_type=duty,
        )
        await notices.wish_published(wish_id=wish_id, actor_id=actor.person_id)
    return await _done(actor, wish_id)


async def reject(*, actor: Actor, wish_id: int, data: RejectInput, settings: Settings) -> WishRead:
    """A coordinator rejects a wish with a reason, optionally naming the negative-list item."""
    await _as_coordinator(actor, wish_id)
    if data.negative_list_code and data.negative_list_code not in settings.negative_list:
        raise Conflict(
            f"Unknown negative-list item {data.negative_list_code!r}.",
            code="wish_unknown_negative_list_item",
            field="negative_list_code",
        )
    reason = (
        f"[{data.negative_list_code}] {data.reason}" if data.negative_list_code else data.reason
    )
    async with atomic():
        await transition(
            wish_id=wish_id,
            action=WishAction.REJECT,
            actor_id=actor.person_id,
            note=reason,
            values={Wish.reject_reason: reason},
        )
        await notices.wish_rejected(wish_id=wish_id, actor_id=actor.person_id, reason=reason)
    return await _done(actor, wish_id)


async def cancel(*, actor: Actor, wish_id: int, reason: str) -> WishRead:
    """The resident (or whoever posted for them) withdraws the wish before anyone claims it."""
    row, _ = await visible(actor, wish_id)
    if actor.person_id not in (row["resident"], row["posted_by"]):
        raise Forbidden(
            "Only the resident or the person who posted the wish can cancel it.",
            code="wish_cancel_not_yours",
        )
    async with atomic():
        await transition(
            wish_id=wish_id, action=WishAction.CANCEL, actor_id=actor.person_id, note=reason
        )
        await tasks.set_status_for_source(
            source=SOURCE, source_id=wish_id, status=TaskStatus.CLOSED.value
        )
    return await _done(actor, wish_id)


async def confirm(
    *, actor: Actor, wish_id: int, data: ConfirmInput, settings: Settings
) -> WishRead:
    """The resident, or a grid worker on their behalf, confirms the wish was met and rates it;
    the volunteer's hours enter their service record and earn points, in the same transaction."""
    row = await _as_confirmer(actor, wish_id)
    async with atomic():
        await transition(
            wish_id=wish_id,
            action=WishAction.CONFIRM,
            actor_id=actor.person_id,
            note=data.comment,
            values={
                Wish.rating: rules.check_rating(data.rating),
                Wish.confirm_comment: data.comment,
                Wish.confirmed_by: actor.person_id,
            },
        )
        claim_id = await record.last_fulfilled_claim(source=SOURCE, source_id=wish_id)
        if claim_id is not None:
            points = await record.confirm_claim(
                claim_id=claim_id, confirmer_id=actor.person_id, settings=settings
            )
            if actor.person_id != row["resident"]:
                await visits.confirm_by_grid_worker(claim_id=claim_id, person_id=actor.person_id)
            await notices.service_confirmed(claim_id=claim_id, points=points)
    return await _done(actor, wish_id)


async def reopen(*, actor: Actor, wish_id: int, reason: str) -> WishRead:
    """The resident is not satisfied: the wish goes back to the pool as a published task."""
    await _as_confirmer(actor, wish_id)
    async with atomic():
        await transition(
            wish_id=wish_id, action=WishAction.REOPEN, actor_id=actor.person_id, note=reason
        )
        await tasks.reopen_for_source(source=SOURCE, source_id=wish_id)
        await notices.wish_reopened(wish_id=wish_id, actor_id=actor.person_id)
    return await _done(actor, wish_id)


async def _as_confirmer(actor: Actor, wish_id: int) -> dict:
    row, _ = await visible(actor, wish_id)
    if not rules.may_confirm(
        actor,
        resident_id=row["resident"],
        community_id=row["community"],
        sub_district_id=row["sub_district_id"],
    ):
        raise Forbidden(
            "Only the resident, or a grid worker on their behalf, can do this.",
            code="wish_resident_or_grid_worker_only",
        )
    return row


async def announce(*, actor: Actor, wish_id: int) -> WishRead:
    """公示: a coordinator announces a confirmed wish on the public board."""
    await _as_coordinator(actor, wish_id)
    async with atomic():
        await transition(
            wish_id=wish_id,
            action=WishAction.ANNOUNCE,
            actor_id=actor.person_id,
            values={Wish.announced_at: datetime.now(UTC)},
        )
    return await _done(actor, wish_id)


class WishSource:
    """How claims on a wish's task move the wish (registered with the tasks domain)."""

    async def on_claimed(
        self,
        *,
        source_id: int,
        actor: Actor,
        volunteer_id: int,
        via: str,
        claim_id: int,
        partner_unit: int | None,
    ) -> sources.Contact:
        note = "dispatched 派单" if via == "dispatch" else ""
        wish = await transition(
            wish_id=source_id, action=WishAction.CLAIM, actor_id=volunteer_id, note=note
        )
        code = await visits.issue(claim_id=claim_id)
        await notices.wish_claimed(
            wish=wish, volunteer_id=volunteer_id, via=via, code=code, partner_unit=partner_unit
        )
        return _contact(wish)

    async def on_released(self, *, source_id: int, actor: Actor) -> None:
        await transition(wish_id=source_id, action=WishAction.RELEASE, actor_id=actor.person_id)
        await notices.wish_released(wish_id=source_id, actor_id=actor.person_id)

    async def on_fulfilled(self, *, source_id: int, actor: Actor, hours: float, note: str) -> None:
        await transition(
            wish_id=source_id,
            action=WishAction.FULFIL,
            actor_id=actor.person_id,
            note=note,
            values={Wish.fulfilled_hours: hours, Wish.fulfil_note: note},
        )
        await notices.wish_fulfilled(wish_id=source_id, volunteer_id=actor.person_id)

    async def contact(self, *, source_id: int) -> sources.Contact:
        return _contact(await load(source_id))


def _contact(wish: dict) -> sources.Contact:
    """The resident's contact from a wish row as `load` reads it."""
    return sources.Contact(
        name=wish["resident_name"],
        phone=wish["resident_phone"],
        address=wish["address"],
        lat=wish["lat"],
        lng=wish["lng"],
    )


sources.register(SOURCE, WishSource())
