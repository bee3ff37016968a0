"""Volunteer applications: apply, certify, reject, suspend, reinstate (like partner units).

Certification is what makes a volunteer: it writes the volunteer profile and the volunteer
RoleGrant in the application's scope (a community, or the whole sub-district), which are what the
feed and the matching's loading (marketplace/dispatch/loading.py) check. Suspension removes the
grant and deactivates the profile; reinstatement restores both.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from piccolo.columns import Column

from marketplace.accounts.rules import Actor, Role
from marketplace.accounts.tables import Person
from marketplace.audit import service as audit
from marketplace.db import atomic
from marketplace.errors import Conflict, Forbidden, InvalidInput, NotFound
from marketplace.org import service as org
from marketplace.volunteers import rules
from marketplace.volunteers.rules import ApplicationStatus
from marketplace.volunteers.schemas import ApplicationCreate, ApplicationRead, HomeInput
from marketplace.volunteers.tables import VolunteerApplication as App


def _read(row: dict, *, full: bool) -> ApplicationRead:
    return ApplicationRead(
        id=row["id"],
        person_id=row["person"],
        name=row["name"],
        kind=row["kind"],
        party_branch=row["party_branch"],
        skills=list(row["skills"]),
        weekly_hours=row["weekly_hours"],
        weekly_tasks=row["weekly_tasks"],
        community_id=row["community"],
        sub_district_id=row["sub_district"],
        home_compound_id=row["home_compound"],
        home_building_id=row["home_building"],
        status=row["status"],
        status_reason=row["status_reason"],
        created_at=row["created_at"],
        decided_at=row["decided_at"],
        phone=row["phone"] if full else None,
    )


def _select():
    return App.select(
        App.all_columns(), App.person.name.as_alias("name"), App.person.phone.as_alias("phone")
    ).output(load_json=True)


async def _load(application_id: int) -> dict:
    row = await _select().where(App.id == application_id).first()
    if row is None:
        raise NotFound("No such application.", code="volunteer_no_application")
    return row


async def _scope(actor: Actor, data: ApplicationCreate) -> tuple[int | None, int | None]:
    """(community, None) or, for a sub-district-wide volunteer, (None, sub-district)."""
    community_id = data.community_id
    if community_id is None:
        home = await Person.select(Person.community).where(Person.id == actor.person_id).first()
        community_id = home["community"] if home else None
    if community_id is None:
        raise InvalidInput(
            "Choose the community you will serve.",
            code="volunteer_community_needed",
            field="community_id",
        )
    try:
        sub_id = await org.sub_district_of(community_id=community_id)
    except NotFound:
        raise InvalidInput(
            "There is no such community.", code="org_unknown_community", field="community_id"
        ) from None
    return (None, sub_id) if data.sub_district_wide else (community_id, None)


async def apply(*, actor: Actor, data: ApplicationCreate) -> ApplicationRead:
    """申请成为志愿者: pending until a coordinator of the scope certifies it."""
    rules.check_party_branch(data.kind, data.party_branch)
    community_id, sub_id = await _scope(actor, data)
    home = data.home or HomeInput()
    point = None
    if home.compound_id or home.building_id or home.lat is not None:
        point = await org.home_point(
            compound_id=home.compound_id, building_id=home.building_id, lat=home.lat, lng=home.lng
        )
    values: dict[Column, Any] = {
        App.kind: data.kind.value,
        App.party_branch: data.party_branch.strip(),
        App.skills: sorted(set(data.skills)),
        App.weekly_hours: data.weekly_hours,
        App.weekly_tasks: data.weekly_tasks,
        App.community: community_id,
        App.sub_district: sub_id,
        App.home_compound: point.compound_id if point else None,
        App.home_building: point.building_id if point else None,
        App.status: ApplicationStatus.PENDING.value,
        App.status_reason: "",
        App.created_at: datetime.now(UTC),
        App.decided_at: None,
        App.decided_by: None,
    }
    async with atomic():
        old = await App.select(App.id, App.status).where(App.person == actor.person_id).first()
        if old is None:
            row = App(person=actor.person_id, **{c._meta.name: v for c, v in values.items()})
            await row.save()
            app_id = row.id
        elif rules.can_reapply(ApplicationStatus(old["status"])):
            changes: dict[Column | str, Any] = {c: v for c, v in values.items()}
            await App.update(changes).where(App.id == old["id"])
            app_id = old["id"]
        else:
            raise Conflict(
                "You have already applied.", code="volunteer_already_applied", status=old["status"]
            )
        await audit.record(
            actor_id=actor.person_id,
            action="volunteer.applied",
            object_type="volunteer_application",
            object_id=app_id,
        )
    return await my_application(actor=actor)


async def my_application(*, actor: Actor) -> ApplicationRead:
    row = await _select().where(App.person == actor.person_id).first()
    if row is None:
        raise NotFound("You have not applied.", code="volunteer_no_application")
    return _read(row, full=True)


def _decides(actor: Actor, row: dict, sub_of_community: int | None) -> bool:
    """Community applications: that community's coordinators (and the sub-district's);
    sub-district-wide ones: the sub-district's coordinators only."""
    if row["sub_district"] is not None:
        return actor.has(Role.ADMIN) or any(
            s.sub_district_id == row["sub_district"] for s in actor.scopes(Role.COORDINATOR)
        )
    return sub_of_community is not None and actor.coordinates(row["community"], sub_of_community)


async def _may_decide(actor: Actor, row: dict) -> bool:
    sub = None
    if row["community"] is not None:
        sub = await org.sub_district_of(community_id=row["community"])
    return _decides(actor, row, sub)


async def list_applications(*, actor: Actor, status: str | None) -> list[ApplicationRead]:
    """The applications a coordinator decides, newest first."""
    communities = await org.communities_of(actor, Role.COORDINATOR, Role.ADMIN)
    subs = [s.sub_district_id for s in actor.scopes(Role.COORDINATOR, Role.ADMIN)]
    if not communities and not any(subs):
        raise Forbidden(
            "Only coordinators decide applications.", code="volunteer_coordinators_only"
        )
    query = _select().where(
        App.community.is_in(communities or [-1])
        | App.sub_district.is_in([s for s in subs if s] or [-1])
    )
    if status:
        query = query.where(App.status == status)
    rows = await query.order_by(App.id, ascending=False).limit(500)
    return [_read(r, full=True) for r in rows]


async def get_application(*, actor: Actor, application_id: int) -> ApplicationRead:
    row = await _load(application_id)
    if row["person"] != actor.person_id and not await _may_decide(actor, row):
        raise NotFound("No such application.", code="volunteer_no_application")
    return _read(row, full=True)
