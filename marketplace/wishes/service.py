"""微心愿 wishes: making one, reading it (masked or full), and every step of its life."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from marketplace import db
from marketplace.accounts.rules import Actor, Role
from marketplace.accounts.tables import Person
from marketplace.db import ById, atomic
from marketplace.errors import Conflict, Forbidden, InvalidInput, NotFound
from marketplace.notifications import events as notices
from marketplace.org import service as org
from marketplace.privacy import mask_name
from marketplace.settings import Settings
from marketplace.tasks import service as tasks
from marketplace.tasks.rules import check_skills
from marketplace.wishes import rules
from marketplace.wishes.rules import View, WishAction, WishStatus
from marketplace.wishes.schemas import WishCreate, WishEventRead, WishRead
from marketplace.wishes.tables import Wish, WishEvent

SOURCE = "wish"

_WISH_COLUMNS = (
    *Wish.all_columns(),
    Wish.resident.name.as_alias("resident_name"),
    Wish.resident.phone.as_alias("resident_phone"),
    Wish.community._.sub_district._.id.as_alias("sub_district_id"),
    Wish.compound.lat.as_alias("compound_lat"),
    Wish.compound.lng.as_alias("compound_lng"),
)


_LOAD = ById(
    lambda wish_id: Wish.select(*_WISH_COLUMNS).where(Wish.id == wish_id),
    json=("skills", "priority_groups"),
)


async def load(wish_id: int) -> dict:
    """The wish row with the names its views need; NotFound if there is none."""
    row = await _LOAD.first(wish_id)
    if row is None:
        raise NotFound("No such wish.", code="wish_not_found")
    return row


async def _view(actor: Actor, row: dict) -> tuple[View, int | None]:
    assignee = await tasks.active_assignee(source=SOURCE, source_id=row["id"])
    volunteer_communities = (
        await tasks.volunteer_communities(actor) if actor.has(Role.VOLUNTEER) else []
    )
    return _view_of(actor, row, assignee, volunteer_communities), assignee


def _view_of(
    actor: Actor, row: dict, assignee: int | None, volunteer_communities: list[int]
) -> View:
    return rules.view_for(
        actor,
        resident_id=row["resident"],
        posted_by_id=row["posted_by"],
        assignee_id=assignee,
        community_id=row["community"],
        sub_district_id=row["sub_district_id"],
        status=WishStatus(row["status"]),
        volunteer_communities=volunteer_communities,
    )


async def visible(actor: Actor, wish_id: int) -> tuple[dict, View]:
    """The wish and the caller's view of it; a wish they may not see is a 404."""
    row = await load(wish_id)
    view, _ = await _view(actor, row)
    if view is View.NONE:
        raise NotFound("No such wish.", code="wish_not_found")
    return row, view


async def read(row: dict, view: View) -> WishRead:
    """The WishRead for this view: masking happens here, on the server."""
    return (await read_many([(row, view)]))[0]


async def read_many(items: list[tuple[dict, View]]) -> list[WishRead]:
    """WishReads for many wishes in a constant number of queries (a list page of any length)."""
    ids = [row["id"] for row, _ in items]
    assignees = await tasks.last_assignees(source=SOURCE, source_ids=ids)
    names = await _names(list(set(assignees.values())))
    task_ids = await tasks.task_ids_for(source=SOURCE, source_ids=ids)
    events = await _events_of([row["id"] for row, view in items if view is View.FULL])
    return [
        _read(row, view, names.get(assignees.get(row["id"], -1)), task_ids.get(row["id"]), events)
        for row, view in items
    ]


def _read(
    row: dict,
    view: View,
    assignee_name: str | None,
    task_id: int | None,
    events: dict[int, list[WishEventRead]],
) -> WishRead:
    full = view is View.FULL
    lat, lng = (row["lat"], row["lng"]) if full else (row["compound_lat"], row["compound_lng"])
    out = WishRead(
        id=row["id"],
        title=row["title"],
        description=row["description"],
        category=row["category"],
        status=row["status"],
        community_id=row["community"],
        compound_id=row["compound"],
        wanted_by=row["wanted_by"],
        hours=row["hours"],
        skills=list(row["skills"]),
        priority=bool(row["priority_groups"]),
        resident_name=row["resident_name"] if full else mask_name(row["resident_name"]),
        lat=lat,
        lng=lng,
        posted_on_behalf=row["posted_by"] != row["resident"],
        assignee_name=mask_name(assignee_name) if assignee_name else None,
        rating=row["rating"],
        confirm_comment=row["confirm_comment"],
        fulfilled_hours=row["fulfilled_hours"],
        fulfil_note=row["fulfil_note"],
        task_id=task_id,
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        masked=not full,
    )
    if full:
        out.resident_phone = row["resident_phone"]
        out.address = row["address"]
        out.priority_groups = list(row["priority_groups"])
        out.reject_reason = row["reject_reason"]
        out.events = events.get(row["id"], [])
    return out


async def _names(person_ids: list[int]) -> dict[int, str]:
    if not person_ids:
        return {}
    rows = await Person.select(Person.id, Person.name).where(Person.id.is_in(person_ids))
    return {r["id"]: r["name"] for r in rows}


async def _events_of(wish_ids: list[int]) -> dict[int, list[WishEventRead]]:
    """The timelines of these wishes, by wish id (one query)."""
    if not wish_ids:
        return {}
    rows = (
        await WishEvent.select(
            *WishEvent.all_columns(), WishEvent.actor._.name.as_alias("actor_name")
        )
        .where(WishEvent.wish.is_in(wish_ids))
        .order_by(WishEvent.id)
    )
    out: dict[int, list[WishEventRead]] = {}
    for r in rows:
        out.setdefault(r["wish"], []).append(
            WishEventRead(
                action=r["action"],
                from_status=r["from_status"],
                to_status=r["to_status"],
                actor_name=mask_name(r["actor_name"] or ""),
                note=r["note"],
                at=r["at"],
            )
        )
    return out


async def _resident_for(actor: Actor, data: WishCreate) -> dict:
    """Whom the wish is for: the caller, or a resident of a community where they work."""
    resident_id = data.resident_id or actor.person_id
    person = await Person.select().where(Person.id == resident_id).first()
    if person is None or person["community"] is None:
        raise NotFound("No such resident.", code="resident_not_found", field="resident_id")
    if resident_id == actor.person_id:
        if not actor.has(Role.RESIDENT):
            raise Forbidden(
                "Only residents wish for themselves; give resident_id to post for one.",
                code="wish_residents_only",
                field="resident_id",
            )
        return person
    sub_district_id = await org.sub_district_of(community_id=person["community"])
    if not (
        actor.grid_worker_in(person["community"], sub_district_id)
        or actor.coordinates(person["community"], sub_district_id)
    ):
        raise NotFound("No such resident.", code="resident_not_found", field="resident_id")
    return person


async def create(*, actor: Actor, data: WishCreate, settings: Settings) -> WishRead:
    """许愿: a resident makes a wish, or a grid worker posts it for them (代发)."""
    if data.category not in settings.categories:
        raise InvalidInput(
            f"category must be one of: {', '.join(settings.categories)}.",
            code="wish_unknown_category",
            field="category",
        )
    if data.wanted_by and data.wanted_by < date.today():
        raise InvalidInput(
            "wanted_by cannot be in the past.", code="wish_wanted_by_past", field="wanted_by"
        )
    groups = rules.check_priority_groups(data.priority_groups, data.priority_consent)
    check_skills(data.skills)
    person = await _resident_for(actor, data)
    compound_id = data.compound_id or person["compound"]
    if compound_id is None:
        raise InvalidInput(
            "compound_id is needed: the resident has no compound on record.",
            code="wish_compound_needed",
            field="compound_id",
        )
    place = await org.compound_place(compound_id=compound_id)
    if place.community_id != person["community"]:
        raise InvalidInput(
            "The compound is not in the resident's community.",
            code="wish_compound_elsewhere",
            field="compound_id",
        )
    if data.grid_id is not None:
        await org.check_grid(grid_id=data.grid_id, compound_id=compound_id)
    lat = data.lat if data.lat is not None else person["lat"] or place.lat
    lng = data.lng if data.lng is not None else person["lng"] or place.lng
    now = datetime.now(UTC)
    async with atomic():
        await _refuse_repeat(
            person["id"], data.title.strip(), data.category, data.description.strip(), now
        )
        wish = Wish(
            title=data.title.strip(),
            description=data.description.strip(),
            category=data.category,
            resident=person["id"],
            posted_by=actor.person_id,
            community=place.community_id,
            compound=compound_id,
            grid=data.grid_id or person["grid"],
            address=data.address or person["address"],
            lat=lat,
            lng=lng,
            wanted_by=data.wanted_by,
            hours=data.hours,
            skills=sorted(set(data.skills)),
            priority_groups=groups,
            priority_consent=data.priority_consent,
            priority_recorded_by=actor.person_id if groups else None,
            status=WishStatus.SUBMITTED.value,
            created_at=now,
            updated_at=now,
        )
        await wish.save()
        await _record(wish.id, "submit", "", WishStatus.SUBMITTED, actor.person_id, "")
        await notices.wish_submitted(wish_id=wish.id, actor_id=actor.person_id)
    return await read(await load(wish.id), View.FULL)


async def _refuse_repeat(
    resident_id: int, title: str, category: str, description: str, now: datetime
) -> None:
    """A second identical wish for the same resident within a day is refused, naming the first
    (a grid worker and the resident may both post it, or a form be sent twice)."""
    first = (
        await Wish.select(Wish.id)
        .where(
            (Wish.resident == resident_id)
            & (Wish.title == title)
            & (Wish.category == category)
            & (Wish.description == description)
            & (Wish.created_at > now - timedelta(days=1))
            & Wish.status.not_in([WishStatus.CANCELLED.value, WishStatus.REJECTED.value])
        )
        .order_by(Wish.id)
        .first()
    )
    if first is not None:
        raise Conflict(
            f"The same wish was made within a day: wish {first['id']}.",
            code="wish_duplicate",
            field="title",
            wish_id=first["id"],
        )


async def _record(wish_id: int, action: str, frm: str, to: str, actor_id: int, note: str) -> None:
    await db.insert(
        WishEvent,
        wish=wish_id,
        action=action,
        from_status=frm,
        to_status=str(to),
        actor=actor_id,
        note=note,
        at=datetime.now(UTC),
    )


async def transition(
    *, wish_id: int, action: WishAction, actor_id: int, note: str = "", values: dict | None = None
) -> dict:
    """Move a wish by the state machine, guarded so a concurrent change makes this one fail (409).

    Call inside atomic(); returns the row as it was before.
    """
    row = await load(wish_id)
    current = WishStatus(row["status"])
    target = rules.next_status(action, current)
    # the statement written here, not built by Piccolo: a claim's hot step
    assignments = {Wish.status: target.value, Wish.updated_at: datetime.now(UTC), **(values or {})}
    sets = ", ".join(f'"{column._meta.db_column_name}" = {{}}' for column in assignments)
    changed = await db.raw(
        f"UPDATE wish SET {sets} WHERE id = {{}} AND status = {{}} RETURNING id",
        *assignments.values(),
        wish_id,
        current.value,
    )
    if not changed:
        raise Conflict(
            "The wish changed while you were acting on it; reload it and try again.",
            code="wish_changed",
        )
    await _record(wish_id, action.value, current.value, target, actor_id, note)
    return row


async def list_wishes(
    *,
    actor: Actor,
    mine: bool,
    status: str | None,
    community_id: int | None,
    limit: int,
    offset: int,
) -> list[WishRead]:
    """Wishes the caller made or posted (mine), or those of the communities they serve."""
    if status is not None and status not in {s.value for s in WishStatus}:
        raise InvalidInput(
            f"status must be one of: {', '.join(s.value for s in WishStatus)}.",
            code="wish_unknown_status",
            field="status",
        )
    query = Wish.select(*_WISH_COLUMNS)
    if mine:
        query = query.where(
            (Wish.resident == actor.person_id) | (Wish.posted_by == actor.person_id)
        )
    else:
        communities = await org.communities_of(
            actor, Role.COORDINATOR, Role.ADMIN, Role.GRID_WORKER
        )
        if community_id is not None:
            communities = [c for c in communities if c == community_id]
        query = query.where(Wish.community.is_in(communities or [-1]))
    if status:
        query = query.where(Wish.status == status)
    rows = (
        await query.order_by(Wish.id, ascending=False)
        .limit(limit)
        .offset(offset)
        .output(load_json=True)
    )
    holders = await tasks.active_assignees(source=SOURCE, source_ids=[r["id"] for r in rows])
    volunteer_communities = (
        await tasks.volunteer_communities(actor) if actor.has(Role.VOLUNTEER) and rows else []
    )
    return await read_many(
        [(row, _view_of(actor, row, holders.get(row["id"]), volunteer_communities)) for row in rows]
    )
