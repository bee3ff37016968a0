"""机会清单 opportunity lists: projects with slots published as tasks into the one feed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from marketplace.accounts.rules import Actor, Role
from marketplace.audit import service as audit
from marketplace.db import atomic
from marketplace.errors import Conflict, Forbidden, InvalidInput, NotFound
from marketplace.org import service as org
from marketplace.projects import rules
from marketplace.projects.rules import ProjectStatus
from marketplace.projects.schemas import ProjectCreate, ProjectRead, SlotRead
from marketplace.projects.tables import Project, ProjectWish, Slot
from marketplace.settings import Settings
from marketplace.tasks import service as tasks
from marketplace.tasks.rules import TaskStatus, check_duty, check_skills
from marketplace.tasks.tables import Claim, Task

SOURCE = "slot"


async def _scope_ok(actor: Actor, kind: str, scope_id: int, community_id: int) -> bool:
    sub = await org.sub_district_of(community_id=community_id)
    if kind == "sub_district":
        return scope_id == sub and any(
            s.sub_district_id == sub for s in actor.scopes(Role.COORDINATOR, Role.ADMIN)
        )
    return scope_id == community_id and actor.coordinates(community_id, sub)


async def load(project_id: int) -> dict:
    row = await Project.select().where(Project.id == project_id).first()
    if row is None:
        raise NotFound("No such project.", code="project_not_found")
    return row


async def visible(actor: Actor, project_id: int) -> tuple[dict, bool]:
    """The project and whether the caller coordinates it; drafts are the coordinators' alone."""
    row = await load(project_id)
    coordinates = await _scope_ok(actor, row["scope_kind"], row["scope_id"], row["community"])
    if coordinates:
        return row, True
    if row["status"] != ProjectStatus.DRAFT and row[
        "community"
    ] in await tasks.volunteer_communities(actor):
        return row, False
    if row["status"] != ProjectStatus.DRAFT and await _member_of_area_partner(actor, row):
        return row, False
    raise NotFound("No such project.", code="project_not_found")


async def _member_of_area_partner(actor: Actor, row: dict) -> bool:
    from marketplace.partners.tables import PartnerMember, PartnerUnit

    units = (
        await PartnerUnit.select(PartnerUnit.communities, PartnerUnit.sub_district)
        .where(
            PartnerUnit.id.is_in(
                PartnerMember.select(PartnerMember.unit).where(
                    PartnerMember.person == actor.person_id
                )
            )
            & (PartnerUnit.status == "certified")
        )
        .output(load_json=True)
    )
    sub = await org.sub_district_of(community_id=row["community"])
    return any(
        row["community"] in u["communities"] or (not u["communities"] and u["sub_district"] == sub)
        for u in units
    )


async def read(row: dict) -> ProjectRead:
    slots = (
        await Slot.select()
        .where(Slot.project == row["id"])
        .order_by(Slot.id)
        .output(load_json=True)
    )
    slot_tasks = await Task.select(Task.id, Task.source_id, Task.status).where(
        (Task.source == SOURCE) & Task.source_id.is_in([s["id"] for s in slots] or [-1])
    )
    wishes = await ProjectWish.select(ProjectWish.wish).where(ProjectWish.project == row["id"])
    return ProjectRead(
        id=row["id"],
        title=row["title"],
        description=row["description"],
        need=row["need"],
        scope_kind=row["scope_kind"],
        scope_id=row["scope_id"],
        community_id=row["community"],
        lat=row["lat"],
        lng=row["lng"],
        starts_on=row["starts_on"],
        ends_on=row["ends_on"],
        responsible_level=row["responsible_level"],
        duty_type=row["duty_type"],
        status=row["status"],
        rating=row["rating"],
        evaluation=row["evaluation"],
        created_at=row["created_at"],
        announced=row["announced_at"] is not None,
        wish_ids=[w["wish"] for w in wishes],
        slots=[
            SlotRead(
                id=s["id"],
                role=s["role"],
                people=s["people"],
                hours=s["hours"],
                weeks=s["weeks"],
                total_hours=rules.slot_total_hours(s["people"], s["hours"], s["weeks"]),
                skills=list(s["skills"]),
                note=s["note"],
                task_ids=[t["id"] for t in slot_tasks if t["source_id"] == s["id"]],
                filled=sum(
                    1
                    for t in slot_tasks
                    if t["source_id"] == s["id"] and t["status"] != TaskStatus.OPEN
                ),
            )
            for s in slots
        ],
    )


async def create(
    *, actor: Actor, data: ProjectCreate, settings: Settings, wish_ids: Sequence[int] = ()
) -> ProjectRead:
    """A coordinator drafts a project for a community or sub-district, with its slots."""
    if not await _scope_ok(actor, data.scope_kind, data.scope_id, data.community_id):
        raise NotFound(
            "No such community or sub-district.", code="project_scope_not_found", field="scope_id"
        )
    check_duty(data.responsible_level, data.duty_type, settings)
    for slot in data.slots:
        check_skills(slot.skills)
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        raise InvalidInput(
            "ends_on cannot be before starts_on.", code="project_ends_before_start", field="ends_on"
        )
    place = await org.community_point(community_id=data.community_id)
    async with atomic():
        project = Project(
            title=data.title.strip(),
            description=data.description,
            need=data.need,
            scope_kind=data.scope_kind,
            scope_id=data.scope_id,
            community=data.community_id,
            lat=data.lat if data.lat is not None else place[0],
            lng=data.lng if data.lng is not None else place[1],
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            responsible_level=data.responsible_level,
            duty_type=data.duty_type,
            status=ProjectStatus.DRAFT.value,
            created_by=actor.person_id,
            created_at=datetime.now(UTC),
        )
        await project.save()
        await Slot.insert(
            *[
                Slot(
                    project=project.id,
                    role=s.role,
                    people=s.people,
                    hours=s.hours,
                    weeks=s.weeks,
                    skills=sorted(set(s.skills)),
                    note=s.note,
                )
                for s in data.slots
            ]
        )
        if wish_ids:
            await ProjectWish.insert(*[ProjectWish(project=project.id, wish=w) for w in wish_ids])
        await audit.record(
            actor_id=actor.person_id,
            action="project.created",
            object_type="project",
            object_id=project.id,
        )
    return await read(await load(project.id))


async def coordinated(actor: Actor, project_id: int) -> dict:
    """The project, for its coordinators; 403 for others who may see it, 404 for the rest."""
    row, coordinates = await visible(actor, project_id)
    if not coordinates:
        raise Forbidden(
            "Only the project's coordinators can do this.", code="project_coordinators_only"
        )
    return row


async def _move(row: dict, action: str, actor: Actor, values: dict | None = None) -> None:
    target = rules.next_status(action, ProjectStatus(row["status"]))
    moved = (
        await Project.update({Project.status: target.value, **(values or {})})
        .where((Project.id == row["id"]) & (Project.status == row["status"]))
        .returning(Project.id)
    )
    if not moved:
        raise Conflict(
            "The project changed while you were acting on it; reload it.", code="project_changed"
        )
    await audit.record(
        actor_id=actor.person_id,
        action=f"project.{action}",
        object_type="project",
        object_id=row["id"],
    )


async def publish(*, actor: Actor, project_id: int) -> ProjectRead:
    """Recruit: every person or unit a slot needs becomes one task in the feed."""
    row = await coordinated(actor, project_id)
    slots = await Slot.select().where(Slot.project == project_id).output(load_json=True)
    async with atomic():
        await _move(row, "publish", actor)
        for slot in slots:
            for _ in range(slot["people"]):
                await tasks.publish(
                    source=SOURCE,
                    source_id=slot["id"],
                    community_id=row["community"],
                    compound_id=None,
                    title=rules.slot_task_title(row["title"], slot["role"], slot["weeks"]),
                    category="project",
                    skills=list(slot["skills"]),
                    hours=slot["hours"],
                    priority=0,
                    lat=row["lat"],
                    lng=row["lng"],
                    responsible_level=row["responsible_level"],
                    duty_type=row["duty_type"],
                )
    return await read(await load(project_id))


async def advance(
    *, actor: Actor, project_id: int, action: str, values: dict | None = None
) -> ProjectRead:
    """start, complete (open slot tasks close), or evaluate."""
    row = await coordinated(actor, project_id)
    async with atomic():
        await _move(row, action, actor, values)
        if action == "complete":
            await Task.update({Task.status: TaskStatus.CLOSED.value}).where(
                (Task.source == SOURCE)
                & Task.source_id.is_in(Slot.select(Slot.id).where(Slot.project == project_id))
                & (Task.status == TaskStatus.OPEN.value)
            )
    return await read(await load(project_id))


async def announce(*, actor: Actor, project_id: int) -> ProjectRead:
    """公示 a completed project on the public board."""
    row = await coordinated(actor, project_id)
    rules.can_announce(row["status"], row["announced_at"] is not None)
    async with atomic():
        done = (
            await Project.update({Project.announced_at: datetime.now(UTC)})
            .where((Project.id == project_id) & Project.announced_at.is_null())
            .returning(Project.id)
        )
        if not done:
            raise Conflict("This project is already announced.", code="project_already_announced")
        await audit.record(
            actor_id=actor.person_id,
            action="project.announced",
            object_type="project",
            object_id=project_id,
        )
    return await read(await load(project_id))


async def list_projects(*, actor: Actor, status: str | None) -> list[ProjectRead]:
    rows = await Project.select().order_by(Project.id, ascending=False).limit(200)
    out = []
    for row in rows:
        if status and row["status"] != status:
            continue
        try:
            await visible(actor, row["id"])
        except NotFound:
            continue
        out.append(await read(row))
    return out


async def volunteers_in(*, person_id: int, community_id: int) -> bool:
    """Whether the person holds the volunteer role in this community (or its sub-district)."""
    from marketplace.accounts.tables import RoleGrant

    sub = await org.sub_district_of(community_id=community_id)
    return await RoleGrant.exists().where(
        (RoleGrant.person == person_id)
        & (RoleGrant.role == Role.VOLUNTEER.value)
        & ((RoleGrant.community == community_id) | (RoleGrant.sub_district == sub))
    )


async def slot_claims(project_id: int, claim_ids: list[int]) -> list[dict]:
    """The given claims, each of which must be on one of the project's slot tasks."""
    rows = await Claim.select(
        *Claim.all_columns(),
        Claim.task.source.as_alias("source"),
        Claim.task.source_id.as_alias("slot"),
    ).where(Claim.id.is_in(claim_ids))
    slots = {s["id"] for s in await Slot.select(Slot.id).where(Slot.project == project_id)}
    if len(rows) != len(set(claim_ids)) or any(
        r["source"] != SOURCE or r["slot"] not in slots for r in rows
    ):
        raise NotFound(
            "No such claim on this project.", code="project_claim_not_found", field="claim_ids"
        )
    return rows


async def services_to_confirm(*, actor: Actor, project_id: int) -> list[dict]:
    """Fulfilled slot services of the project whose hours nobody has confirmed yet."""
    _, coordinates = await visible(actor, project_id)
    if not coordinates:
        return []
    return await Claim.select(
        Claim.id,
        Claim.hours,
        Claim.task.title.as_alias("title"),
        Claim.volunteer.name.as_alias("name"),
    ).where(
        (Claim.status == "fulfilled")
        & Claim.confirmed_at.is_null()
        & (Claim.task.source == SOURCE)
        & Claim.task.source_id.is_in(Slot.select(Slot.id).where(Slot.project == project_id))
    )
