"""Project actions beyond the lifecycle: clusters of wishes into projects, coordinator
assignment of slots, and confirmation of slot service."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from marketplace.accounts.rules import Actor
from marketplace.core import vocabulary
from marketplace.db import atomic
from marketplace.errors import Conflict, InvalidInput, NotFound
from marketplace.projects import rules, service
from marketplace.projects.schemas import (
    AssignInput,
    ClusterRead,
    FromClusterInput,
    ProjectCreate,
    ProjectRead,
    SlotCreate,
)
from marketplace.projects.tables import ProjectWish, Slot
from marketplace.service_record import service as record
from marketplace.settings import CATEGORY_DUTY, Settings
from marketplace.tasks import service as tasks
from marketplace.tasks.schemas import TaskRead
from marketplace.tasks.tables import Task
from marketplace.wishes.tables import Wish

_OPEN_WISHES = ["submitted", "published"]


async def _candidates(communities: list[int], since: datetime) -> list[dict]:
    return await Wish.select(Wish.id, Wish.category, Wish.created_at, Wish.community).where(
        Wish.community.is_in(communities or [-1])
        & Wish.status.is_in(_OPEN_WISHES)
        & (Wish.created_at >= since)
        & Wish.id.not_in(ProjectWish.select(ProjectWish.wish))
    )


async def find(*, actor: Actor, settings: Settings) -> list[ClusterRead]:
    """Open wishes of the same category in one community, `cluster_threshold` within the window."""
    communities = await record.coordinated_communities(actor)
    window = timedelta(days=settings.cluster_window_days)
    rows = await _candidates(communities, datetime.now(UTC) - 4 * window)
    out = []
    for community in communities:
        mine = [
            (r["id"], r["category"], r["created_at"]) for r in rows if r["community"] == community
        ]
        for c in rules.clusters(mine, threshold=settings.cluster_threshold, window=window):
            out.append(
                ClusterRead(
                    community_id=community,
                    category=c.category,
                    wish_ids=list(c.wish_ids),
                    first=c.first,
                    last=c.last,
                )
            )
    return out


async def to_project(*, actor: Actor, data: FromClusterInput, settings: Settings) -> ProjectRead:
    """One action: a draft project answering the wishes, with a slot sized to them, linked to them."""
    if data.community_id not in await record.coordinated_communities(actor):
        raise NotFound("No such community.", code="community_not_found", field="community_id")
    rows = (
        await Wish.select(Wish.id, Wish.category, Wish.community, Wish.hours, Wish.skills)
        .where(Wish.id.is_in(data.wish_ids) & Wish.status.is_in(_OPEN_WISHES))
        .output(load_json=True)
    )
    if len(rows) != len(set(data.wish_ids)) or any(
        r["community"] != data.community_id or r["category"] != data.category for r in rows
    ):
        raise InvalidInput(
            "Every wish must be open, of this category and in this community.",
            code="project_cluster_mismatch",
            field="wish_ids",
        )
    if await ProjectWish.exists().where(ProjectWish.wish.is_in(data.wish_ids)):
        raise Conflict(
            "Some of these wishes already belong to a project.",
            code="project_wishes_taken",
            field="wish_ids",
        )
    skills = sorted({s for r in rows for s in r["skills"]})
    project = ProjectCreate(
        title=data.title or f"{vocabulary.label(data.category)}常态化项目",
        scope_kind="community",
        scope_id=data.community_id,
        community_id=data.community_id,
        need=f"{len(rows)} wishes of category {data.category}",
        duty_type=CATEGORY_DUTY.get(data.category, "volunteering"),
        slots=[
            SlotCreate(
                role=data.category,
                people=len(rows),
                skills=skills,
                hours=round(sum(r["hours"] for r in rows) / len(rows), 1),
            )
        ],
    )
    return await service.create(
        actor=actor, data=project, settings=settings, wish_ids=data.wish_ids
    )


async def assign(*, actor: Actor, project_id: int, slot_id: int, data: AssignInput) -> TaskRead:
    """The coordinator gives an open task of the slot to a volunteer (claim-once rules hold)."""
    row = await service.coordinated(actor, project_id)
    if not await Slot.exists().where((Slot.id == slot_id) & (Slot.project == project_id)):
        raise NotFound("No such slot.", code="project_slot_not_found")
    await _check_assignee(data, row["community"])
    open_tasks = (
        await Task.select(Task.id)
        .where(
            (Task.source == service.SOURCE) & (Task.source_id == slot_id) & (Task.status == "open")
        )
        .order_by(Task.id)
    )
    async with atomic():
        for t in open_tasks:
            if await tasks.assign(
                task_id=t["id"],
                volunteer_id=data.volunteer_id,
                via="assign",
                actor=actor,
                partner_unit=data.partner_unit_id,
            ):
                return await tasks.get_task(actor=actor, task_id=t["id"])
    raise Conflict("Every place in this slot is taken.", code="project_slot_full")


async def _check_assignee(data: AssignInput, community_id: int) -> None:
    """The assignee volunteers in the project's community, or acts for a certified partner unit
    (with room left in its capacity)."""
    from marketplace.partners import service as partners

    if data.partner_unit_id is None:
        if not await service.volunteers_in(person_id=data.volunteer_id, community_id=community_id):
            raise InvalidInput(
                "The person does not volunteer in this project's community.",
                code="project_assignee_elsewhere",
                field="volunteer_id",
            )
        return
    unit = await partners.load(data.partner_unit_id)
    if data.volunteer_id not in await partners.member_ids(data.partner_unit_id):
        raise InvalidInput(
            "The person is not a member of that partner unit.",
            code="project_assignee_not_member",
            field="volunteer_id",
        )
    partners.rules.check_can_take_tasks(unit["status"])
    await partners.check_capacity(unit)


async def confirm_service(
    *, actor: Actor, project_id: int, claim_ids: list[int], settings: Settings
) -> dict:
    """The coordinator confirms fulfilled slot services; each earns its points once."""
    await service.coordinated(actor, project_id)
    if not claim_ids:
        raise InvalidInput(
            "Choose the services to confirm.", code="project_choose_services", field="claim_ids"
        )
    claims = await service.slot_claims(project_id, claim_ids)
    credited = {}
    async with atomic():
        for c in claims:
            credited[c["id"]] = await record.confirm_claim(
                claim_id=c["id"], confirmer_id=actor.person_id, settings=settings
            )
    return {"confirmed": sorted(credited), "points": credited}
