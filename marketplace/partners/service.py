"""幸福合伙人 partners: registration, certification by coordinators, members who act for them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marketplace.accounts.rules import Actor, Role, normalise_phone
from marketplace.accounts.tables import Person
from marketplace.audit import service as audit
from marketplace.db import atomic
from marketplace.errors import Conflict, Forbidden, InvalidInput, NotFound
from marketplace.notifications import service as notifications
from marketplace.org.tables import Community, SubDistrict
from marketplace.partners import rules
from marketplace.partners.rules import PartnerStatus
from marketplace.partners.schemas import InvitationRead, PartnerCreate, PartnerRead
from marketplace.partners.tables import PartnerInvitation, PartnerMember, PartnerUnit
from marketplace.privacy import mask_name


async def member_ids(unit_id: int) -> list[int]:
    rows = await PartnerMember.select(PartnerMember.person).where(PartnerMember.unit == unit_id)
    return [r["person"] for r in rows]


def coordinates_partner(actor: Actor, row: dict) -> bool:
    """A coordinator of the partner's sub-district or of a community in its service area."""
    sub = row["sub_district"]
    if any(s.sub_district_id == sub for s in actor.scopes(Role.COORDINATOR, Role.ADMIN)):
        return True
    return any(actor.coordinates(c, sub) for c in row["communities"])


def certifies_partner(actor: Actor, row: dict) -> bool:
    """Who may certify (or reinstate) a partner: a coordinator of its sub-district, or one whose
    scope covers every community of its service area. A coordinator of one community cannot
    open the other communities' residents to a unit."""
    sub = row["sub_district"]
    if any(s.sub_district_id == sub for s in actor.scopes(Role.COORDINATOR, Role.ADMIN)):
        return True
    communities = row["communities"]
    return bool(communities) and all(actor.coordinates(c, sub) for c in communities)


def _read(row: dict, members: list[int], actor: Actor) -> PartnerRead:
    full = actor.person_id in members or coordinates_partner(actor, row)
    out = PartnerRead(
        id=row["id"],
        name=row["name"],
        kind=row["kind"],
        sub_district_id=row["sub_district"],
        services=list(row["services"]),
        skills=list(row["skills"]),
        communities=list(row["communities"]),
        people=row["people"],
        weekly_hours=row["weekly_hours"],
        status=row["status"],
        created_at=row["created_at"],
        is_member=actor.person_id in members,
    )
    if full:
        out.contact_name, out.contact_phone = row["contact_name"], row["contact_phone"]
        out.status_reason, out.members = row["status_reason"], members
        out.lat, out.lng, out.radius_m = row["lat"], row["lng"], row["radius_m"]
    return out


async def load(unit_id: int) -> dict:
    row = await PartnerUnit.select().where(PartnerUnit.id == unit_id).output(load_json=True).first()
    if row is None:
        raise NotFound("No such partner.", code="partner_not_found")
    return row


async def visible(actor: Actor, unit_id: int) -> tuple[dict, list[int]]:
    """Certified partners are visible to all signed-in people; others only to members and coordinators."""
    row = await load(unit_id)
    members = await member_ids(unit_id)
    if row["status"] != PartnerStatus.CERTIFIED and not (
        actor.person_id in members or coordinates_partner(actor, row)
    ):
        raise NotFound("No such partner.", code="partner_not_found")
    return row, members


async def _service_area(actor: Actor, data: PartnerCreate) -> list[int]:
    """The service area's communities, checked: all in the partner's sub-district, and either
    some communities or a point with a radius."""
    if not await SubDistrict.exists().where(SubDistrict.id == data.sub_district_id):
        raise InvalidInput(
            f"There is no sub-district {data.sub_district_id}.",
            code="partner_unknown_sub_district",
            field="sub_district_id",
        )
    rules.check_individual(data.kind, data.people)
    home = await Person.select(Person.community).where(Person.id == actor.person_id).first()
    home_id = home["community"] if home else None
    if home_id is not None and not await Community.exists().where(
        (Community.id == home_id) & (Community.sub_district == data.sub_district_id)
    ):
        home_id = None  # they live elsewhere: their area is what they gave
    communities = rules.service_communities(data.kind, data.communities, home_id)
    if communities:
        found = await Community.count().where(
            Community.id.is_in(communities) & (Community.sub_district == data.sub_district_id)
        )
        if found != len(communities):
            raise InvalidInput(
                "Every service-area community must be in the partner's sub-district.",
                code="partner_area_outside",
                field="communities",
            )
    point = (data.lat, data.lng, data.radius_m)
    if not communities and None in point:
        raise InvalidInput(
            "Give the service area: communities, or a point (lat, lng) and radius_m.",
            code="partner_area_needed",
            field="communities",
        )
    return communities


async def register(*, actor: Actor, data: PartnerCreate) -> PartnerRead:
    """组织备案: the registrant becomes the unit's contact member; the unit waits for certification."""
    communities = await _service_area(actor, data)
    async with atomic():
        unit = PartnerUnit(
            name=data.name.strip(),
            kind=data.kind.value,
            sub_district=data.sub_district_id,
            contact_name=data.contact_name,
            contact_phone=normalise_phone(data.contact_phone),
            services=sorted(set(data.services)),
            skills=sorted(set(data.skills)),
            communities=communities,
            lat=data.lat,
            lng=data.lng,
            radius_m=data.radius_m,
            people=data.people,
            weekly_hours=data.weekly_hours,
            status=PartnerStatus.PENDING.value,
            registered_by=actor.person_id,
            created_at=datetime.now(UTC),
        )
        await unit.save()
        await PartnerMember(unit=unit.id, person=actor.person_id, role="contact").save()
    row, members = await visible(actor, unit.id)
    return _read(row, members, actor)


async def get(*, actor: Actor, unit_id: int) -> PartnerRead:
    row, members = await visible(actor, unit_id)
    return _read(row, members, actor)


async def list_partners(*, actor: Actor, status: str | None, mine: bool) -> list[PartnerRead]:
    rows = await PartnerUnit.select().order_by(PartnerUnit.id).output(load_json=True)
    mine_ids = {
        r["unit"]
        for r in await PartnerMember.select(PartnerMember.unit).where(
            PartnerMember.person == actor.person_id
        )
    }
    out = []
    for row in rows:
        if mine and row["id"] not in mine_ids:
            continue
        if status and row["status"] != status:
            continue
        if (
            row["status"] != PartnerStatus.CERTIFIED
            and row["id"] not in mine_ids
            and not coordinates_partner(actor, row)
        ):
            continue
        out.append(_read(row, await member_ids(row["id"]), actor))
    return out


async def change_status(*, actor: Actor, unit_id: int, action: str, reason: str) -> PartnerRead:
    """Certify, suspend (with a reason) or reinstate. Any coordinator of its area may suspend;
    certifying and reinstating need a scope covering its whole service area."""
    row, _ = await visible(actor, unit_id)
    if not coordinates_partner(actor, row):
        raise Forbidden(
            "Only coordinators of the partner's area can certify or suspend it.",
            code="partner_coordinators_only",
        )
    if action != "suspend" and not certifies_partner(actor, row):
        raise Forbidden(
            "Certifying needs a coordinator of every community in the partner's service area "
            "(or of the sub-district).",
            code="partner_certify_scope",
        )
    if action == "suspend" and not reason.strip():
        raise InvalidInput(
            "A suspension needs a reason.", code="partner_suspend_reason_needed", field="reason"
        )
    target = rules.next_status(action, PartnerStatus(row["status"]))
    async with atomic():
        moved = (
            await PartnerUnit.update(
                {PartnerUnit.status: target.value, PartnerUnit.status_reason: reason}
            )
            .where((PartnerUnit.id == unit_id) & (PartnerUnit.status == row["status"]))
            .returning(PartnerUnit.id)
        )
        if not moved:
            raise Conflict(
                "The partner changed while you were acting on it; reload it.",
                code="partner_changed",
            )
        await audit.record(
            actor_id=actor.person_id,
            action=f"partner.{action}",
            object_type="partner",
            object_id=unit_id,
            reason=reason,
        )
    return await get(actor=actor, unit_id=unit_id)


async def invite_member(*, actor: Actor, unit_id: int, phone: str, publisher: Any = None) -> None:
    """A member invites a person by phone. The answer is the same whether the number is
    registered, already a member or already invited (no enumeration of phones); the person
    joins only by accepting (accept_invitation)."""
    row, members = await visible(actor, unit_id)
    if actor.person_id not in members:
        raise Forbidden("Only the unit's members can invite members.", code="partner_members_only")
    rules.check_can_add_member(row["kind"])
    person = await Person.select(Person.id).where(Person.phone == normalise_phone(phone)).first()
    if person is None or person["id"] in members:
        return
    async with atomic():
        pending = await PartnerInvitation.exists().where(
            (PartnerInvitation.unit == unit_id)
            & (PartnerInvitation.person == person["id"])
            & (PartnerInvitation.status == "pending")
        )
        if pending:
            return
        await PartnerInvitation(
            unit=unit_id,
            person=person["id"],
            invited_by=actor.person_id,
            created_at=datetime.now(UTC),
        ).save()
        await audit.record(
            actor_id=actor.person_id,
            action="partner.member_invited",
            object_type="partner",
            object_id=unit_id,
        )
        await notifications.notify(
            person_ids=[person["id"]],
            code="partner_invited",
            params={"unit": row["name"]},
            link="/partners",
            publisher=publisher,
        )


async def my_invitations(*, actor: Actor) -> list[InvitationRead]:
    """The invitations waiting for the signed-in person's answer."""
    rows = await PartnerInvitation.select(
        PartnerInvitation.id,
        PartnerInvitation.unit,
        PartnerInvitation.unit.name.as_alias("unit_name"),
        PartnerInvitation.invited_by.name.as_alias("invited_by_name"),
        PartnerInvitation.created_at,
    ).where((PartnerInvitation.person == actor.person_id) & (PartnerInvitation.status == "pending"))
    return [
        InvitationRead(
            id=r["id"],
            unit_id=r["unit"],
            unit_name=r["unit_name"],
            invited_by=mask_name(r["invited_by_name"] or ""),
            created_at=r["created_at"],
        )
        for r in rows
    ]


async def answer_invitation(
    *, actor: Actor, invitation_id: int, accept: bool
) -> PartnerRead | None:
    """The invitee accepts (and becomes a member) or declines; nobody else may answer (404)."""
    async with atomic():
        moved = (
            await PartnerInvitation.update(
                {
                    PartnerInvitation.status: "accepted" if accept else "declined",
                    PartnerInvitation.answered_at: datetime.now(UTC),
                }
            )
            .where(
                (PartnerInvitation.id == invitation_id)
                & (PartnerInvitation.person == actor.person_id)
                & (PartnerInvitation.status == "pending")
            )
            .returning(PartnerInvitation.unit)
        )
        if not moved:
            raise NotFound("No such invitation.", code="partner_invitation_not_found")
        unit_id = moved[0]["unit"]
        if accept and actor.person_id not in await member_ids(unit_id):
            await PartnerMember(unit=unit_id, person=actor.person_id, role="member").save()
        await audit.record(
            actor_id=actor.person_id,
            action="partner.member_joined" if accept else "partner.invitation_declined",
            object_type="partner",
            object_id=unit_id,
        )
    return await get(actor=actor, unit_id=unit_id) if accept else None


async def acting_unit(*, actor: Actor, unit_id: int) -> dict:
    """The unit a member acts for, which must be certified (409 otherwise)."""
    row, members = await visible(actor, unit_id)
    if actor.person_id not in members:
        raise NotFound("No such partner.", code="partner_not_found")
    rules.check_can_take_tasks(row["status"])
    return row


async def check_capacity(unit: dict) -> None:
    """409 when the unit already holds as many open tasks as its registered people."""
    from marketplace.tasks.tables import Claim

    held = await Claim.count().where(
        (Claim.partner_unit == unit["id"]) & Claim.active_task.is_not_null()
    )
    rules.check_unit_capacity(held, unit["people"])


def _in_area(unit: dict, task: dict, task_sub_district: int | None) -> bool:
    """Where a unit acts: the communities it was certified for, or within its radius but only
    inside its own sub-district (whose coordinators certified it)."""
    from marketplace.geo import haversine_m

    if task["community"] in unit["communities"]:
        return True
    if unit["lat"] is not None and unit["radius_m"] and task_sub_district == unit["sub_district"]:
        return haversine_m(unit["lat"], unit["lng"], task["lat"], task["lng"]) <= unit["radius_m"]
    return False


async def _sub_districts(community_ids: set[int]) -> dict[int, int]:
    rows = await Community.select(Community.id, Community.sub_district).where(
        Community.id.is_in(list(community_ids) or [-1])
    )
    return {r["id"]: r["sub_district"] for r in rows}


async def unit_tasks(*, actor: Actor, unit_id: int) -> list:
    """Open tasks (slots and wishes) in the unit's service area, for its members."""
    from marketplace.tasks import service as tasks
    from marketplace.tasks.tables import Task

    unit = await acting_unit(actor=actor, unit_id=unit_id)
    rows = await Task.select(Task.id, Task.community, Task.lat, Task.lng).where(
        Task.status == "open"
    )
    subs = await _sub_districts({r["community"] for r in rows})
    ids = [r["id"] for r in rows if _in_area(unit, r, subs.get(r["community"]))]
    return await tasks.read_many(actor=actor, task_ids=ids)


async def claim_for_unit(*, actor: Actor, unit_id: int, task_id: int):
    """A member signs the certified unit up for a task (the same claim-once rules)."""
    from marketplace.tasks import service as tasks
    from marketplace.tasks.tables import Task

    unit = await acting_unit(actor=actor, unit_id=unit_id)
    task = await Task.select().where(Task.id == task_id).first()
    subs = await _sub_districts({task["community"]}) if task else {}
    if task is None or not _in_area(unit, task, subs.get(task["community"])):
        raise NotFound("No such task.", code="task_not_found")
    async with atomic():
        await check_capacity(unit)
        won = await tasks.assign(
            task_id=task_id,
            volunteer_id=actor.person_id,
            via="partner",
            actor=actor,
            partner_unit=unit_id,
        )
        if not won:
            raise await tasks.claim_refusal(task_id)
    return await tasks.get_task(actor=actor, task_id=task_id)
