"""Tasks: publishing into the feed, the feed itself, and claims (领单) with claim-once safety."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from piccolo.columns import Column

from marketplace import db
from marketplace.accounts.rules import Actor, Role
from marketplace.audit import service as audit
from marketplace.db import ById, atomic, engine
from marketplace.errors import Conflict, Forbidden, InvalidInput, NotFound
from marketplace.org import service as org
from marketplace.org.tables import Compound
from marketplace.privacy import coarse_distance
from marketplace.settings import Settings
from marketplace.tasks import feed as feed_query
from marketplace.tasks import rules
from marketplace.tasks.schemas import ClaimRead, ContactRead, TaskRead
from marketplace.tasks.sources import Contact, source_for
from marketplace.tasks.tables import Claim, Task


async def publish(
    *,
    source: str,
    source_id: int,
    community_id: int,
    compound_id: int | None,
    title: str,
    category: str,
    skills: list[str],
    hours: float,
    priority: int,
    lat: float,
    lng: float,
    responsible_level: str = "community",
    duty_type: str = "",
) -> int:
    """Put a unit of work into the feed (called inside the source's transaction)."""
    public_lat, public_lng = await _public_point(compound_id, lat, lng)
    task = Task(
        source=source,
        source_id=source_id,
        community=community_id,
        compound=compound_id,
        title=title,
        category=category,
        skills=sorted(set(skills)),
        hours=hours,
        priority=priority,
        lat=lat,
        lng=lng,
        public_lat=public_lat,
        public_lng=public_lng,
        status=rules.TaskStatus.OPEN.value,
        created_at=datetime.now(UTC),
        responsible_level=responsible_level,
        duty_type=duty_type,
    )
    await task.save()
    return task.id


async def _public_point(compound_id: int | None, lat: float, lng: float) -> tuple[float, float]:
    """What the feed may show and measure: the compound's point, else the snapped task point."""
    place = None
    if compound_id is not None:
        place = (
            await Compound.select(Compound.lat, Compound.lng)
            .where(Compound.id == compound_id)
            .first()
        )
    row = {"lat": lat, "lng": lng}
    if place:
        row.update(compound_lat=place["lat"], compound_lng=place["lng"])
    return rules.public_point(row)


async def fill_public_points() -> None:
    """Public points for tasks written in bulk without one (the demo loaders): the compound's
    point, else the task's point snapped (two statements plus one per compound-less task)."""
    await Task.raw(
        "UPDATE task SET public_lat = (SELECT c.lat FROM compound c WHERE c.id = task.compound), "
        "public_lng = (SELECT c.lng FROM compound c WHERE c.id = task.compound) "
        "WHERE public_lat IS NULL AND compound IS NOT NULL"
    )
    loose = await Task.select(Task.id, Task.lat, Task.lng).where(Task.public_lat.is_null())
    for row in loose:
        plat, plng = rules.public_point(row)
        await Task.update({Task.public_lat: plat, Task.public_lng: plng}).where(
            Task.id == row["id"]
        )


async def set_status_for_source(*, source: str, source_id: int, status: str) -> None:
    """Move the live task of a source (e.g. close it when its wish is cancelled)."""
    await Task.update({Task.status: status}).where(
        (Task.source == source)
        & (Task.source_id == source_id)
        & Task.status.is_in([rules.TaskStatus.OPEN.value, rules.TaskStatus.FULFILLED.value])
    )


async def active_assignee(*, source: str, source_id: int) -> int | None:
    """The volunteer actively holding the task of a source, if any."""
    row = (
        await Claim.select(Claim.volunteer)
        .where(
            (Claim.task.source == source)
            & (Claim.task.source_id == source_id)
            & Claim.active_task.is_not_null()
        )
        .first()
    )
    return row["volunteer"] if row else None


async def last_assignee(*, source: str, source_id: int) -> int | None:
    """Who holds or last fulfilled the task of a source (for the timeline and confirmations)."""
    row = (
        await Claim.select(Claim.volunteer)
        .where(
            (Claim.task.source == source)
            & (Claim.task.source_id == source_id)
            & Claim.status.is_in(["active", "fulfilled"])
        )
        .order_by(Claim.id, ascending=False)
        .first()
    )
    return row["volunteer"] if row else None


async def active_assignees(*, source: str, source_ids: list[int]) -> dict[int, int]:
    """source id -> the volunteer actively holding its task (one query for a list page)."""
    if not source_ids:
        return {}
    rows = await Claim.select(Claim.volunteer, Claim.task.source_id.as_alias("source_id")).where(
        (Claim.task.source == source)
        & Claim.task.source_id.is_in(source_ids)
        & Claim.active_task.is_not_null()
    )
    return {r["source_id"]: r["volunteer"] for r in rows}


async def last_assignees(*, source: str, source_ids: list[int]) -> dict[int, int]:
    """source id -> who holds or last fulfilled its task (one query for a list page)."""
    if not source_ids:
        return {}
    rows = (
        await Claim.select(Claim.volunteer, Claim.task.source_id.as_alias("source_id"))
        .where(
            (Claim.task.source == source)
            & Claim.task.source_id.is_in(source_ids)
            & Claim.status.is_in(["active", "fulfilled"])
        )
        .order_by(Claim.id)
    )
    return {r["source_id"]: r["volunteer"] for r in rows}  # the latest claim wins


async def task_ids_for(*, source: str, source_ids: list[int]) -> dict[int, int]:
    """source id -> its latest task's id."""
    if not source_ids:
        return {}
    rows = (
        await Task.select(Task.id, Task.source_id)
        .where((Task.source == source) & Task.source_id.is_in(source_ids))
        .order_by(Task.id)
    )
    return {r["source_id"]: r["id"] for r in rows}


async def volunteer_communities(actor: Actor) -> list[int]:
    return await org.communities_of(actor, Role.VOLUNTEER)


def _read(row: dict, *, actor: Actor, distance: float | None = None) -> TaskRead:
    lat, lng = rules.public_point(row)
    return TaskRead(
        id=row["id"],
        source=row["source"],
        source_id=row["source_id"],
        title=row["title"],
        category=row["category"],
        skills=list(row["skills"]),
        hours=row["hours"],
        priority=row["priority"] > 0,
        community_id=row["community"],
        compound_id=row["compound"],
        lat=lat,
        lng=lng,
        status=row["status"],
        created_at=row["created_at"],
        distance_m=coarse_distance(distance) if distance is not None else None,
    )


_TASK_COLUMNS = (
    *Task.all_columns(),
    Task.compound.lat.as_alias("compound_lat"),
    Task.compound.lng.as_alias("compound_lng"),
)


async def feed(
    *,
    actor: Actor,
    lat: float,
    lng: float,
    radius_m: int,
    skill: str | None,
    category: str | None,
    limit: int,
) -> list[TaskRead]:
    """Open tasks near a point in the volunteer's communities, nearest first by public point."""
    return await feed_query.nearest(
        actor=actor,
        lat=lat,
        lng=lng,
        radius_m=radius_m,
        skill=skill,
        category=category,
        limit=limit,
    )


async def read_many(*, actor: Actor, task_ids: list[int]) -> list[TaskRead]:
    """Tasks by id, in the public (coarse) view, in id order."""
    rows = (
        await Task.select(*_TASK_COLUMNS)
        .where(Task.id.is_in(task_ids or [-1]))
        .order_by(Task.id)
        .output(load_json=True)
    )
    return [_read(r, actor=actor) for r in rows]


_VISIBLE = ById(
    lambda task_id: Task.select(
        *_TASK_COLUMNS, Task.community.sub_district.as_alias("sub_district")
    ).where(Task.id == task_id),
    json=("skills",),
)


async def visible_task(*, actor: Actor, task_id: int) -> dict:
    """The task's row when the actor may see it (its holder, a coordinator of its community,
    a volunteer there); 404 otherwise. One query, two when only holding it could allow it."""
    row = await _VISIBLE.first(task_id)
    if row is None:
        raise NotFound("No such task.", code="task_not_found")
    if actor.coordinates(row["community"], row["sub_district"]):
        return row
    volunteer_here = any(
        s.covers(row["community"], row["sub_district"]) for s in actor.scopes(Role.VOLUNTEER)
    )
    if volunteer_here:
        return row
    holder = await active_claim(task_id)
    if holder and holder["volunteer"] == actor.person_id:
        return row
    raise NotFound("No such task.", code="task_not_found")


async def active_claim(task_id: int) -> dict | None:
    return await Claim.select().where(Claim.active_task == task_id).first()


async def get_task(*, actor: Actor, task_id: int) -> TaskRead:
    """One task; the active assignee also gets the full contact (address and phone)."""
    row = await visible_task(actor=actor, task_id=task_id)
    read = _read(row, actor=actor)
    holder = await active_claim(task_id)
    if holder and holder["volunteer"] == actor.person_id:
        return await _with_contact(read, row, actor)
    return read


async def _with_contact(
    read: TaskRead, row: dict, actor: Actor, contact: Contact | None = None
) -> TaskRead:
    """The assignee's view: the task and the contact of the person served (the view audited);
    `contact` when the caller has just read it."""
    if contact is None:
        contact = await source_for(row["source"]).contact(source_id=row["source_id"])
    await audit.contact_viewed(
        actor_id=actor.person_id,
        resident_id=None,
        object_type=row["source"],
        object_id=row["source_id"],
        via=f"task {row['id']} contact",
    )
    read.mine = True
    read.contact = ContactRead(
        contact.name, contact.phone, contact.address, contact.lat, contact.lng
    )
    return read


async def claim(*, actor: Actor, task_id: int, settings: Settings, via: str = "claim") -> TaskRead:
    """领单: exactly one of any number of concurrent claimers wins; the rest get 409. The
    volunteer's open-claim cap holds under their own concurrent claims too."""
    row = await visible_task(actor=actor, task_id=task_id)
    if not actor.has(Role.VOLUNTEER):
        raise Forbidden("Only volunteers can claim tasks.", code="task_claim_volunteers_only")
    async with atomic():
        await lock_volunteer(actor.person_id)
        held = await db.raw(
            "SELECT count(*) AS n FROM claim WHERE volunteer = {} AND active_task IS NOT NULL",
            actor.person_id,
        )
        rules.check_claim_quota(held[0]["n"], settings.max_open_claims)
        won = await assign(task_id=task_id, volunteer_id=actor.person_id, via=via, actor=actor)
        if won is None:
            raise await claim_refusal(task_id)
    row["status"] = rules.TaskStatus.CLAIMED.value
    return await _with_contact(_read(row, actor=actor), row, actor, won.contact)


async def lock_volunteer(person_id: int) -> None:
    """Serialise one volunteer's claims (inside atomic()): PostgreSQL locks their person row;
    SQLite's BEGIN IMMEDIATE already lets one writer in at a time."""
    if engine().engine_type == "postgres":
        await db.raw("SELECT id FROM person WHERE id = {} FOR UPDATE", person_id)


async def claim_refusal(task_id: int) -> Conflict:
    """The refusal for a task that could not be assigned, saying why (taken, cancelled, closed)."""
    row = await Task.select(Task.status, Task.source).where(Task.id == task_id).first()
    if row is None:
        return Conflict("No such task.", code="task_not_found")
    return rules.claim_refusal(row["status"], row["source"])


@dataclass(frozen=True)
class Assigned:
    """A task just given to a volunteer: the claim, and the contact if the step read it."""

    claim_id: int
    contact: Contact | None


async def assign(
    *,
    task_id: int,
    volunteer_id: int,
    via: str,
    actor: Actor,
    respond_by: datetime | None = None,
    partner_unit: int | None = None,
) -> Assigned | None:
    """Give an open task to a volunteer (call inside atomic()); None if it is no longer open.

    The conditional update lets exactly one of any concurrent claimers or dispatchers win;
    the unique index on Claim.active_task backs it in the database.
    """
    claim = {
        "task": task_id,
        "volunteer": volunteer_id,
        "active_task": task_id,
        "status": "active",
        "via": via,
        "claimed_at": datetime.now(UTC),
        "respond_by": respond_by,
        "partner_unit": partner_unit,
    }
    won = await _take(task_id, claim)
    if won is None:
        return None
    source, source_id, claim_id = won
    contact = await source_for(source).on_claimed(
        source_id=source_id,
        actor=actor,
        volunteer_id=volunteer_id,
        via=via,
        claim_id=claim_id,
        partner_unit=partner_unit,
    )
    return Assigned(claim_id, contact)


# PostgreSQL: the winning update and the claim in one round trip (the claim only if it won)
_TAKE_PG = (
    f"WITH won AS (UPDATE task SET status = '{rules.TaskStatus.CLAIMED.value}' WHERE id = $1 "
    f"AND status = '{rules.TaskStatus.OPEN.value}' "
    "RETURNING id, source, source_id), "
    "made AS (INSERT INTO claim (task, volunteer, active_task, status, via, claimed_at, "
    "respond_by, partner_unit) SELECT won.id, $2::int, won.id, 'active', $3::varchar, "
    "$4::timestamptz, $5::timestamptz, $6::int FROM won RETURNING id) "
    "SELECT won.source, won.source_id, made.id FROM won, made"
)


async def _take(task_id: int, claim: dict[str, Any]) -> tuple[str, int, int] | None:
    """Mark the task claimed if it is still open and record the claim: (source, source id,
    claim id), or None when someone else got there first."""
    if engine().engine_type == "postgres":
        rows = await db.fetch_pg(
            _TAKE_PG,
            task_id,
            claim["volunteer"],
            claim["via"],
            claim["claimed_at"],
            claim["respond_by"],
            claim["partner_unit"],
        )
        return (rows[0]["source"], rows[0]["source_id"], rows[0]["id"]) if rows else None
    won = await db.raw(
        "UPDATE task SET status = {} WHERE id = {} AND status = {} RETURNING source, source_id",
        rules.TaskStatus.CLAIMED.value,
        task_id,
        rules.TaskStatus.OPEN.value,
    )
    if not won:
        return None
    return won[0]["source"], won[0]["source_id"], await db.insert(Claim, **claim)


async def give_back(*, claim_id: int, task_id: int, status: str, actor: Actor) -> None:
    """End an active claim and return its task to the pool (inside atomic())."""
    task = await _end_claim(
        claim_id, task_id, status=status, task_status=rules.TaskStatus.OPEN.value
    )
    await source_for(task["source"]).on_released(source_id=task["source_id"], actor=actor)


async def my_active_claim(actor: Actor, task_id: int) -> dict:
    await visible_task(actor=actor, task_id=task_id)
    holder = await active_claim(task_id)
    if holder is None or holder["volunteer"] != actor.person_id:
        raise Conflict(
            "You do not hold this task: only its active assignee can do this.",
            code="task_not_yours",
        )
    return holder


async def _end_claim(
    claim_id: int, task_id: int, *, status: str, task_status: str, extra: dict | None = None
) -> dict:
    values: dict[Column | str, Any] = {
        Claim.status: status,
        Claim.active_task: None,
        Claim.ended_at: datetime.now(UTC),
    }
    ended = (
        await Claim.update({**values, **(extra or {})})
        .where((Claim.id == claim_id) & Claim.active_task.is_not_null())
        .returning(Claim.id)
    )
    if not ended:
        raise Conflict("This claim has just ended; reload the task.", code="task_claim_ended")
    rows = (
        await Task.update({Task.status: task_status})
        .where(Task.id == task_id)
        .returning(Task.source, Task.source_id)
    )
    return rows[0]


async def release(*, actor: Actor, task_id: int) -> TaskRead:
    """The assignee gives the task back to the pool before fulfilling it."""
    async with atomic():
        holder = await my_active_claim(actor, task_id)
        await give_back(claim_id=holder["id"], task_id=task_id, status="released", actor=actor)
    return await get_task(actor=actor, task_id=task_id)


async def fulfil(
    *, actor: Actor, task_id: int, hours: float, note: str, code: str = ""
) -> TaskRead:
    """圆梦: the assignee reports the work done, with the hours spent, a note and the visit code
    the resident showed at the door (which marks the visit checked)."""
    from marketplace.visits import service as visits

    async with atomic():
        holder = await my_active_claim(actor, task_id)
        await visits.check_at_fulfil(
            claim_id=holder["id"], typed=code, volunteer_id=actor.person_id
        )
        planned = await Task.select(Task.hours).where(Task.id == task_id).first()
        assert planned is not None  # the active claim holds the task
        counted, requested, review = rules.hours_to_count(hours, planned["hours"])
        task = await _end_claim(
            holder["id"],
            task_id,
            status="fulfilled",
            task_status=rules.TaskStatus.FULFILLED.value,
            extra={
                Claim.hours: counted,
                Claim.requested_hours: requested,
                Claim.hours_review: review,
                Claim.note: note,
            },
        )
        await source_for(task["source"]).on_fulfilled(
            source_id=task["source_id"], actor=actor, hours=counted, note=note
        )
    row = await Task.select(*_TASK_COLUMNS).where(Task.id == task_id).output(load_json=True).first()
    assert row is not None  # the task was just fulfilled
    return _read(row, actor=actor)


async def reopen_for_source(*, source: str, source_id: int) -> None:
    """A fulfilled task goes back to the pool (the resident was not satisfied)."""
    await Task.update({Task.status: rules.TaskStatus.OPEN.value}).where(
        (Task.source == source)
        & (Task.source_id == source_id)
        & (Task.status == rules.TaskStatus.FULFILLED.value)
    )


async def my_claims(*, actor: Actor, active_only: bool) -> list[ClaimRead]:
    """The volunteer's tasks: active ones first, then the history."""
    query = Claim.select(*Claim.all_columns()).where(Claim.volunteer == actor.person_id)
    if active_only:
        query = query.where(Claim.active_task.is_not_null())
    claims = await query.order_by(Claim.id, ascending=False).limit(200)
    task_ids = list({c["task"] for c in claims}) or [-1]
    tasks = await Task.select(*_TASK_COLUMNS).where(Task.id.is_in(task_ids)).output(load_json=True)
    by_id = {t["id"]: _read(t, actor=actor) for t in tasks}
    return [
        ClaimRead(
            id=c["id"],
            task=by_id[c["task"]],
            status=c["status"],
            via=c["via"],
            claimed_at=c["claimed_at"],
            ended_at=c["ended_at"],
            hours=c["hours"],
            note=c["note"],
            respond_by=c["respond_by"],
            accepted=c["accepted_at"] is not None,
            requested_hours=c["requested_hours"],
            hours_review=c["hours_review"],
        )
        for c in sorted(claims, key=lambda c: (c["active_task"] is None, -c["id"]))
    ]


def check_radius(radius_m: int, settings: Settings) -> None:
    """A floor on the radius: together with the public point it keeps the feed coarse."""
    low, high = settings.feed_min_radius_m, settings.feed_max_radius_m
    if not low <= radius_m <= high:
        raise InvalidInput(
            f"radius_m must be between {low} and {high} metres.",
            code="tasks_radius_out_of_range",
            field="radius_m",
            low=low,
            high=high,
        )
