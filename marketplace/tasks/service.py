"""Tasks: publishing into the feed, the feed itself, and claims (领单) with claim-once safety."""

from __future__ import annotations

from datetime import UTC, datetime

from marketplace.accounts.rules import Actor, Role
from marketplace.db import atomic
from marketplace.errors import Conflict, Forbidden, InvalidInput, NotFound
from marketplace.geo import bounding_box, haversine_m
from marketplace.org import service as org
from marketplace.privacy import coarse_distance
from marketplace.settings import Settings
from marketplace.tasks import rules
from marketplace.tasks.schemas import ClaimRead, ContactRead, TaskRead
from marketplace.tasks.sources import source_for
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
        status=rules.TaskStatus.OPEN.value,
        created_at=datetime.now(UTC),
        responsible_level=responsible_level,
        duty_type=duty_type,
    )
    await task.save()
    return task.id


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
    Task.all_columns(),
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
    """Open tasks near a point in the volunteer's communities, nearest first, priority first on ties.

    A bounding box in SQL (portable to both engines) narrows the rows; exact great-circle
    distance then filters and orders them.
    """
    if not actor.has(Role.VOLUNTEER):
        raise Forbidden("Only volunteers browse the task feed.", code="task_feed_volunteers_only")
    min_lat, max_lat, min_lng, max_lng = bounding_box(lat, lng, radius_m)
    query = Task.select(*_TASK_COLUMNS).where(
        (Task.status == rules.TaskStatus.OPEN.value)
        & Task.community.is_in(await volunteer_communities(actor) or [-1])
        & (Task.lat >= min_lat)
        & (Task.lat <= max_lat)
        & (Task.lng >= min_lng)
        & (Task.lng <= max_lng)
    )
    if category:
        query = query.where(Task.category == category)
    rows = await query.output(load_json=True)
    ranked = []
    for row in rows:
        if skill and skill not in row["skills"]:
            continue
        d = haversine_m(lat, lng, row["lat"], row["lng"])
        if d <= radius_m:
            ranked.append((d, -row["priority"], row["id"], row))
    ranked.sort(key=lambda item: item[:3])
    return [_read(row, actor=actor, distance=d) for d, _, _, row in ranked[:limit]]


async def read_many(*, actor: Actor, task_ids: list[int]) -> list[TaskRead]:
    """Tasks by id, in the public (coarse) view, in id order."""
    rows = (
        await Task.select(*_TASK_COLUMNS)
        .where(Task.id.is_in(task_ids or [-1]))
        .order_by(Task.id)
        .output(load_json=True)
    )
    return [_read(r, actor=actor) for r in rows]


async def visible_task(*, actor: Actor, task_id: int) -> dict:
    row = await Task.select(*_TASK_COLUMNS).where(Task.id == task_id).output(load_json=True).first()
    if row is None:
        raise NotFound("No such task.", code="task_not_found")
    holder = await active_claim(task_id)
    if holder and holder["volunteer"] == actor.person_id:
        return row
    sub_district_id = await org.sub_district_of(community_id=row["community"])
    if actor.coordinates(row["community"], sub_district_id):
        return row
    if actor.has(Role.VOLUNTEER) and row["community"] in await volunteer_communities(actor):
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
        contact = await source_for(row["source"]).contact(source_id=row["source_id"])
        read.mine = True
        read.contact = ContactRead(
            contact.name, contact.phone, contact.address, contact.lat, contact.lng
        )
    return read


async def claim(*, actor: Actor, task_id: int, settings: Settings, via: str = "claim") -> TaskRead:
    """领单: exactly one of any number of concurrent claimers wins; the rest get 409."""
    await visible_task(actor=actor, task_id=task_id)
    if not actor.has(Role.VOLUNTEER):
        raise Forbidden("Only volunteers can claim tasks.", code="task_claim_volunteers_only")
    async with atomic():
        held = await Claim.count().where(
            (Claim.volunteer == actor.person_id) & Claim.active_task.is_not_null()
        )
        rules.check_claim_quota(held, settings.max_open_claims)
        if not await assign(task_id=task_id, volunteer_id=actor.person_id, via=via, actor=actor):
            raise await claim_refusal(task_id)
    return await get_task(actor=actor, task_id=task_id)


async def claim_refusal(task_id: int) -> Conflict:
    """The refusal for a task that could not be assigned, saying why (taken, cancelled, closed)."""
    row = await Task.select(Task.status, Task.source).where(Task.id == task_id).first()
    if row is None:
        return Conflict("No such task.", code="task_not_found")
    return rules.claim_refusal(row["status"], row["source"])


async def assign(
    *,
    task_id: int,
    volunteer_id: int,
    via: str,
    actor: Actor,
    respond_by: datetime | None = None,
    partner_unit: int | None = None,
) -> bool:
    """Give an open task to a volunteer (call inside atomic()); False if it is no longer open.

    The conditional update lets exactly one of any concurrent claimers or dispatchers win;
    the unique index on Claim.active_task backs it in the database.
    """
    won = (
        await Task.update({Task.status: rules.TaskStatus.CLAIMED.value})
        .where((Task.id == task_id) & (Task.status == rules.TaskStatus.OPEN.value))
        .returning(Task.source, Task.source_id)
    )
    if not won:
        return False
    await Claim(
        task=task_id,
        volunteer=volunteer_id,
        active_task=task_id,
        status="active",
        via=via,
        claimed_at=datetime.now(UTC),
        respond_by=respond_by,
        partner_unit=partner_unit,
    ).save()
    await source_for(won[0]["source"]).on_claimed(
        source_id=won[0]["source_id"], actor=actor, volunteer_id=volunteer_id, via=via
    )
    return True


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
    values = {Claim.status: status, Claim.active_task: None, Claim.ended_at: datetime.now(UTC)}
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


async def fulfil(*, actor: Actor, task_id: int, hours: float, note: str) -> TaskRead:
    """圆梦: the assignee reports the work done, with the hours spent and a note."""
    async with atomic():
        holder = await my_active_claim(actor, task_id)
        task = await _end_claim(
            holder["id"],
            task_id,
            status="fulfilled",
            task_status=rules.TaskStatus.FULFILLED.value,
            extra={Claim.hours: hours, Claim.note: note},
        )
        await source_for(task["source"]).on_fulfilled(
            source_id=task["source_id"], actor=actor, hours=hours, note=note
        )
    row = await Task.select(*_TASK_COLUMNS).where(Task.id == task_id).output(load_json=True).first()
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
    query = Claim.select(Claim.all_columns()).where(Claim.volunteer == actor.person_id)
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
        )
        for c in sorted(claims, key=lambda c: (c["active_task"] is None, -c["id"]))
    ]


def check_radius(radius_m: int, settings: Settings) -> None:
    if not 100 <= radius_m <= settings.feed_max_radius_m:
        raise InvalidInput(
            f"radius_m must be between 100 and {settings.feed_max_radius_m} metres.",
            code="task_radius_range",
            field="radius_m",
            max=settings.feed_max_radius_m,
        )
