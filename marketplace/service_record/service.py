"""The service record: confirmed hours per volunteer (and its CSV for certificates), weekly
commitments, and fulfilment by responsibility level and duty type."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import UTC, datetime

from marketplace.accounts.rules import Actor, Role
from marketplace.accounts.tables import Person, RoleGrant, VolunteerProfile
from marketplace.audit import service as audit
from marketplace.db import atomic
from marketplace.dispatch.rules import week_start
from marketplace.errors import Conflict, Forbidden, NotFound
from marketplace.org import service as org
from marketplace.org.tables import Community
from marketplace.points import service as points
from marketplace.privacy import mask_name
from marketplace.security.text import SafeCsvWriter
from marketplace.service_record.schemas import (
    CommitmentRead,
    MonthTotal,
    RecordRead,
    ResponsibilityRead,
    ResponsibilityRow,
    ServiceRead,
)
from marketplace.settings import Settings
from marketplace.tasks.tables import Claim, Task


async def confirm_claim(*, claim_id: int, confirmer_id: int, settings: Settings) -> int:
    """Confirm a fulfilled service's hours and credit its points (inside the caller's transaction)."""
    done = (
        await Claim.update(
            {Claim.confirmed_at: datetime.now(UTC), Claim.confirmed_by: confirmer_id}
        )
        .where(
            (Claim.id == claim_id) & (Claim.status == "fulfilled") & Claim.confirmed_at.is_null()
        )
        .returning(Claim.volunteer, Claim.hours, Claim.task)
    )
    if not done:
        raise Conflict(
            "This service is not fulfilled, or was already confirmed.",
            code="record_not_confirmable",
        )
    task = await Task.select(Task.priority).where(Task.id == done[0]["task"]).first()
    assert task is not None  # the claim's task (restricted from deletion)
    return await points.earn(
        person_id=done[0]["volunteer"],
        hours=float(done[0]["hours"] or 0),
        priority=task["priority"] > 0,
        claim_id=claim_id,
        settings=settings,
    )


async def last_fulfilled_claim(*, source: str, source_id: int) -> int | None:
    row = (
        await Claim.select(Claim.id)
        .where(
            (Claim.task.source == source)
            & (Claim.task.source_id == source_id)
            & (Claim.status == "fulfilled")
        )
        .order_by(Claim.id, ascending=False)
        .first()
    )
    return row["id"] if row else None


async def record(*, person_id: int) -> RecordRead:
    """Every fulfilled service of a person, newest first, with totals by month."""
    person = await Person.select(Person.name).where(Person.id == person_id).first()
    rows = (
        await Claim.select(
            *Claim.all_columns(),
            Claim.task.title.as_alias("title"),
            Claim.task.source.as_alias("source"),
        )
        .where((Claim.volunteer == person_id) & (Claim.status == "fulfilled"))
        .order_by(Claim.ended_at, ascending=False)
    )
    confirmers = list({r["confirmed_by"] for r in rows if r["confirmed_by"]}) or [-1]
    names = {
        p["id"]: p["name"]
        for p in await Person.select(Person.id, Person.name).where(Person.id.is_in(confirmers))
    }
    services = [
        ServiceRead(
            claim_id=r["id"],
            date=r["ended_at"],
            task_id=r["task"],
            task_title=r["title"],
            source=r["source"],
            hours=float(r["hours"] or 0),
            confirmed=r["confirmed_at"] is not None,
            confirmed_at=r["confirmed_at"],
            partner_unit_id=r["partner_unit"],
            confirmed_by=mask_name(names.get(r["confirmed_by"], "")) or None,
        )
        for r in rows
    ]
    months: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    for s in services:
        m = months[s.date.strftime("%Y-%m")]
        m[0] += 1
        m[1] += s.hours
        m[2] += s.hours if s.confirmed else 0.0
    return RecordRead(
        person_id=person_id,
        name=person["name"] if person else "",
        services=services,
        months=[
            MonthTotal(
                month=k, services=int(v[0]), hours=round(v[1], 2), confirmed_hours=round(v[2], 2)
            )
            for k, v in sorted(months.items(), reverse=True)
        ],
        total_hours=round(sum(s.hours for s in services), 2),
        confirmed_hours=round(sum(s.hours for s in services if s.confirmed), 2),
    )


def record_csv(rec: RecordRead) -> bytes:
    """The record as CSV, UTF-8 with a BOM so Excel opens the Chinese text correctly."""
    out = io.StringIO()
    writer = SafeCsvWriter(out)  # a title like =HYPERLINK(...) stays text in Excel
    writer.writerow(
        [
            "日期 date",
            "任务 task",
            "时长 hours",
            "已确认 confirmed",
            "确认时间 confirmed at",
            "确认人 confirmed by",
        ]
    )
    for s in rec.services:
        writer.writerow(
            [
                s.date.date().isoformat(),
                s.task_title,
                f"{s.hours:g}",
                "是 yes" if s.confirmed else "否 no",
                s.confirmed_at.isoformat() if s.confirmed_at else "",
                s.confirmed_by or "",
            ]
        )
    writer.writerow([])
    writer.writerow(["月份 month", "次数 services", "时长 hours", "已确认时长 confirmed hours"])
    for m in rec.months:
        writer.writerow([m.month, m.services, f"{m.hours:g}", f"{m.confirmed_hours:g}"])
    writer.writerow(
        ["合计 total", len(rec.services), f"{rec.total_hours:g}", f"{rec.confirmed_hours:g}"]
    )
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


async def coordinated_communities(actor: Actor) -> list[int]:
    return await org.communities_of(actor, Role.COORDINATOR, Role.ADMIN)


_SERVING = ["volunteer", "grid_worker"]


async def _serving_scope(actor: Actor) -> tuple[list[int], list[int]]:
    """The communities a coordinator coordinates and their sub-districts: a sub-district-wide
    volunteer serves every community of the sub-district, so each of its coordinators keeps
    their commitments, records and certificates."""
    communities = await coordinated_communities(actor)
    subs: set[int] = set()
    if communities:
        rows = await Community.select(Community.sub_district).where(Community.id.is_in(communities))
        subs = {r["sub_district"] for r in rows}
    return communities, sorted(subs)


def _volunteers_of(communities: list[int], sub_districts: list[int]):
    """A subquery: people volunteering (or grid workers) in these communities, or across
    these sub-districts."""
    return RoleGrant.select(RoleGrant.person).where(
        RoleGrant.role.is_in(_SERVING)
        & (
            RoleGrant.community.is_in(communities or [-1])
            | RoleGrant.sub_district.is_in(sub_districts or [-1])
        )
    )


async def _coordinates_volunteer(actor: Actor, person_id: int) -> bool:
    communities, subs = await _serving_scope(actor)
    return await RoleGrant.exists().where(
        (RoleGrant.person == person_id)
        & RoleGrant.role.is_in(_SERVING)
        & (
            RoleGrant.community.is_in(communities or [-1])
            | RoleGrant.sub_district.is_in(subs or [-1])
        )
    )


async def person_record(*, actor: Actor, person_id: int) -> RecordRead:
    """A volunteer's record, for themself or a coordinator of a community they serve (certificates)."""
    if person_id != actor.person_id and not await _coordinates_volunteer(actor, person_id):
        raise NotFound("No such volunteer.", code="volunteer_not_found")
    return await record(person_id=person_id)


async def set_commitment(*, actor: Actor, person_id: int, hours: float, visits: int) -> None:
    """A coordinator records a volunteer's weekly commitment (e.g. a grid head's 12 h, 3 visits)."""
    if not await _coordinates_volunteer(actor, person_id):
        raise NotFound("No such volunteer.", code="volunteer_not_found")
    async with atomic():
        done = (
            await VolunteerProfile.update(
                {VolunteerProfile.committed_hours: hours, VolunteerProfile.committed_visits: visits}
            )
            .where(VolunteerProfile.person == person_id)
            .returning(VolunteerProfile.id)
        )
        if not done:
            raise Conflict(
                "This person has no volunteer profile to carry a commitment.",
                code="record_no_profile",
            )
        await audit.record(
            actor_id=actor.person_id,
            action="commitment.set",
            object_type="person",
            object_id=person_id,
            hours=hours,
            visits=visits,
        )


async def below_commitment(*, actor: Actor) -> list[CommitmentRead]:
    """Volunteers of my communities whose fulfilled hours or visits this week are under their commitment."""
    communities, subs = await _serving_scope(actor)
    if not communities:
        raise Forbidden("Only coordinators see commitments.", code="record_coordinators_only")
    people = _volunteers_of(communities, subs)
    profiles = await VolunteerProfile.select(
        VolunteerProfile.person,
        VolunteerProfile.committed_hours,
        VolunteerProfile.committed_visits,
        VolunteerProfile.person.name.as_alias("name"),
    ).where(
        VolunteerProfile.person.is_in(people)
        & ((VolunteerProfile.committed_hours > 0) | (VolunteerProfile.committed_visits > 0))
    )
    since = week_start(datetime.now(UTC))
    done = await Claim.select(Claim.volunteer, Claim.hours).where(
        (Claim.status == "fulfilled")
        & (Claim.ended_at >= since)
        & Claim.volunteer.is_in([p["person"] for p in profiles] or [-1])
    )
    hours: dict[int, float] = defaultdict(float)
    visits: dict[int, int] = defaultdict(int)
    for d in done:
        hours[d["volunteer"]] += float(d["hours"] or 0)
        visits[d["volunteer"]] += 1
    return [
        CommitmentRead(
            person_id=p["person"],
            name=p["name"],
            committed_hours=p["committed_hours"],
            committed_visits=p["committed_visits"],
            hours_this_week=round(hours[p["person"]], 2),
            visits_this_week=visits[p["person"]],
        )
        for p in profiles
        if hours[p["person"]] < p["committed_hours"] or visits[p["person"]] < p["committed_visits"]
    ]


async def responsibility(*, actor: Actor) -> ResponsibilityRead:
    """Task counts and fulfilment rates by responsible level and by duty type in my communities."""
    communities = await coordinated_communities(actor)
    if not communities:
        raise Forbidden("Only coordinators see these figures.", code="record_coordinators_only")
    rows = await Task.select(Task.responsible_level, Task.duty_type, Task.status).where(
        Task.community.is_in(communities) & (Task.status != "closed")
    )

    def table(key: str) -> list[ResponsibilityRow]:
        count: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for r in rows:
            c = count[r[key] or "unset"]
            c[0] += 1
            c[1] += r["status"] == "fulfilled"
        return [
            ResponsibilityRow(key=k, tasks=v[0], fulfilled=v[1], rate=round(v[1] / v[0], 3))
            for k, v in sorted(count.items())
        ]

    return ResponsibilityRead(by_level=table("responsible_level"), by_duty_type=table("duty_type"))
