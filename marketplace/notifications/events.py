"""Who is told of each step, in one place: the other domains' services make one call per event
inside their transaction; the notices are stored with it and delivered after it commits."""

from __future__ import annotations

from datetime import date, datetime

from marketplace.accounts.tables import Person, RoleGrant
from marketplace.dispatch.tables import MatchingRun, ProposedAssignment, UnservedTask
from marketplace.notifications import rules
from marketplace.notifications.service import notify, notify_each
from marketplace.org.tables import Community
from marketplace.tasks.tables import Claim, Task
from marketplace.visits import service as visits
from marketplace.wishes.tables import Wish


def wish_link(wish_id: int) -> str:
    return f"/wishes/{wish_id}"


async def _wish(wish_id: int) -> dict:
    return (
        await Wish.select(
            Wish.id,
            Wish.title,
            Wish.resident,
            Wish.posted_by,
            Wish.community,
            Wish.wanted_by,
            Wish.resident.name.as_alias("resident_name"),
        )
        .where(Wish.id == wish_id)
        .first()
    )


async def _tell_wish(wish_id: int, notice: str, actor_id: int | None, **params) -> None:
    await _tell(await _wish(wish_id), notice, actor_id, **params)


async def _tell(wish: dict, notice: str, actor_id: int | None, **params) -> None:
    """Tell the resident and whoever posted for them (not the one who acted)."""
    readers = rules.wish_readers(
        resident_id=wish["resident"],
        posted_by_id=wish["posted_by"],
        resident_name=wish["resident_name"],
        title=wish["title"],
        actor_id=actor_id,
    )
    await notify_each(
        notices=[(r.person_id, {"wish": r.wish, **params}) for r in readers],
        code=notice,
        link=wish_link(wish["id"]),
    )


async def coordinators_of(community_id: int) -> list[int]:
    """The community's coordinators and those of its sub-district."""
    sub = await Community.select(Community.sub_district).where(Community.id == community_id).first()
    rows = await RoleGrant.select(RoleGrant.person).where(
        (RoleGrant.role == "coordinator")
        & (
            (RoleGrant.community == community_id)
            | (RoleGrant.sub_district == (sub or {}).get("sub_district", -1))
        )
    )
    return sorted({r["person"] for r in rows})


async def _name(person_id: int) -> str:
    row = await Person.select(Person.name).where(Person.id == person_id).first()
    return row["name"] if row else ""


# 微心愿 wishes: residents, the grid worker who posted, coordinators.


async def wish_submitted(*, wish_id: int, actor_id: int) -> None:
    """A new wish waits for review: the community's coordinators hear of it."""
    wish = await _wish(wish_id)
    coordinators = [p for p in await coordinators_of(wish["community"]) if p != actor_id]
    await notify(
        person_ids=coordinators,
        code="notice_wish_to_review",
        params={"resident": wish["resident_name"], "title": wish["title"]},
        link="/review",
    )


async def wish_published(*, wish_id: int, actor_id: int) -> None:
    await _tell_wish(wish_id, "notice_wish_published", actor_id)


async def wish_rejected(*, wish_id: int, actor_id: int, reason: str) -> None:
    await _tell_wish(wish_id, "notice_wish_rejected", actor_id, reason=reason)


async def wish_claimed(
    *, wish: dict, volunteer_id: int, via: str, code: str | None, partner_unit: int | None
) -> None:
    """Who is coming and when, and the visit code to check at the door (`wish`: the wish's row,
    read by the claim's transition)."""
    name, unit = await visits.coming(volunteer_id=volunteer_id, partner_unit=partner_unit)
    wanted: date | None = wish["wanted_by"]
    when = (
        rules.phrase("notice_when_by", date=wanted.strftime("%m-%d"))
        if wanted
        else rules.phrase("notice_when_soon")
    )
    await _tell(
        wish,
        "notice_wish_dispatched" if via == "dispatch" else "notice_wish_claimed",
        None,
        volunteer=name,
        unit=unit or rules.phrase("notice_unit_none"),
        when=when,
        code=code or "",
    )


async def wish_fulfilled(*, wish_id: int, volunteer_id: int) -> None:
    await _tell_wish(
        wish_id, "notice_wish_fulfilled", volunteer_id, volunteer=await _name(volunteer_id)
    )


async def wish_released(*, wish_id: int, actor_id: int) -> None:
    await _tell_wish(wish_id, "notice_wish_released", None)


async def wish_reopened(*, wish_id: int, actor_id: int) -> None:
    await _tell_wish(wish_id, "notice_wish_reopened", actor_id)


async def service_confirmed(*, claim_id: int, points: int) -> None:
    """The volunteer hears their service was confirmed, with the points it earned."""
    claim = (
        await Claim.select(Claim.volunteer, Claim.task.title.as_alias("title"))
        .where(Claim.id == claim_id)
        .first()
    )
    await notify(
        person_ids=[claim["volunteer"]],
        code="notice_task_confirmed",
        params={"title": claim["title"], "points": points},
        link="/record",
    )


# 派单 dispatch: volunteers and coordinators.


async def _title(task_id: int) -> str:
    row = await Task.select(Task.title).where(Task.id == task_id).first()
    return row["title"] if row else ""


async def task_dispatched(*, volunteer_id: int, task_id: int, deadline: datetime) -> None:
    await notify(
        person_ids=[volunteer_id],
        code="notice_task_dispatched",
        params={"title": await _title(task_id), "deadline": rules.instant(deadline)},
        link="/my-tasks",
    )


async def task_lapsed(*, volunteer_id: int, task_id: int, community_id: int) -> None:
    """An unanswered dispatch went back to the pool: the volunteer and the coordinators hear."""
    title = await _title(task_id)
    await notify(
        person_ids=[volunteer_id],
        code="notice_task_lapsed",
        params={"title": title},
        link="/my-tasks",
    )
    await notify(
        person_ids=await coordinators_of(community_id),
        code="notice_dispatch_lapsed",
        params={"title": title},
        link="/matching",
    )


async def task_released(*, volunteer_id: int, task_id: int) -> None:
    await notify(
        person_ids=[volunteer_id],
        code="notice_task_released",
        params={"title": await _title(task_id)},
        link="/my-tasks",
    )


async def claim_stale(*, task_id: int, community_id: int, days: float) -> None:
    await notify(
        person_ids=await coordinators_of(community_id),
        code="notice_claim_stale",
        params={"title": await _title(task_id), "days": f"{days:g}"},
        link="/stale",
    )


async def run_finished(*, run_id: int) -> None:
    """The coordinator who asked for a matching run hears it is ready to review, or failed."""
    run = (
        await MatchingRun.select(MatchingRun.requested_by, MatchingRun.state)
        .where(MatchingRun.id == run_id)
        .first()
    )
    if run is None:
        return
    if run["state"] == "failed":
        code, params = "notice_run_failed", {"run": run_id}
    else:
        assigned = await ProposedAssignment.count().where(ProposedAssignment.run == run_id)
        unserved = await UnservedTask.count().where(UnservedTask.run == run_id)
        code = "notice_run_proposed"
        params = {"run": run_id, "assigned": assigned, "unserved": unserved}
    await notify(
        person_ids=[run["requested_by"]], code=code, params=params, link=f"/matching/{run_id}"
    )
