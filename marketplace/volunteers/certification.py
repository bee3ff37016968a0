"""Certify, reject, suspend, reinstate: the decision and what it writes (role grant, profile)."""

from __future__ import annotations

from datetime import UTC, datetime

from marketplace.accounts.rules import Actor
from marketplace.accounts.tables import Person, RoleGrant, VolunteerProfile
from marketplace.audit import service as audit
from marketplace.db import atomic
from marketplace.errors import Conflict, NotFound
from marketplace.org import service as org
from marketplace.volunteers import rules
from marketplace.volunteers.rules import ApplicationStatus
from marketplace.volunteers.schemas import ApplicationRead, HomeInput, HomeRead
from marketplace.volunteers.service import _load, _may_decide, get_application
from marketplace.volunteers.tables import VolunteerApplication as App


def _grant_scope(row: dict):
    return (
        (RoleGrant.person == row["person"])
        & (RoleGrant.role == "volunteer")
        & (
            (RoleGrant.community == row["community"])
            if row["community"] is not None
            else (RoleGrant.sub_district == row["sub_district"])
        )
    )


async def _home_of(row: dict) -> org.Home:
    """The application's home, else the person's own point, else their compound's."""
    if row["home_compound"] or row["home_building"]:
        return await org.home_point(
            compound_id=row["home_compound"], building_id=row["home_building"], lat=None, lng=None
        )
    person = await Person.select().where(Person.id == row["person"]).first()
    if person["lat"] is not None:
        return org.Home(person["lat"], person["lng"], person["compound"], None)
    if person["compound"] is not None:
        return await org.home_point(
            compound_id=person["compound"], building_id=None, lat=None, lng=None
        )
    lat, lng = await org.community_point(community_id=row["community"] or person["community"])
    return org.Home(lat, lng, None, None)


async def grant_volunteer(row: dict) -> None:
    """Write the volunteer profile (active) and the volunteer role in the application's scope."""
    if not await RoleGrant.exists().where(_grant_scope(row)):
        await RoleGrant(
            person=row["person"],
            role="volunteer",
            community=row["community"],
            sub_district=row["sub_district"],
        ).save()
    profile = await VolunteerProfile.select(VolunteerProfile.id).where(
        VolunteerProfile.person == row["person"]
    )
    if profile:
        await VolunteerProfile.update({VolunteerProfile.active: True}).where(
            VolunteerProfile.person == row["person"]
        )
        return
    home = await _home_of(row)
    await VolunteerProfile(
        person=row["person"],
        kind=row["kind"],
        skills=list(row["skills"]),
        home_lat=home.lat,
        home_lng=home.lng,
        home_compound=home.compound_id,
        home_building=home.building_id,
        weekly_hours=row["weekly_hours"],
        weekly_tasks=row["weekly_tasks"],
    ).save()


async def withdraw_volunteer(row: dict) -> None:
    """Suspension: the role goes (no feed, no dispatch) and the profile stops being matched."""
    await RoleGrant.delete().where(_grant_scope(row))
    if not await RoleGrant.exists().where(
        (RoleGrant.person == row["person"]) & (RoleGrant.role == "volunteer")
    ):
        await VolunteerProfile.update({VolunteerProfile.active: False}).where(
            VolunteerProfile.person == row["person"]
        )


async def decide(*, actor: Actor, application_id: int, action: str, reason: str) -> ApplicationRead:
    """certify | reject | suspend | reinstate, by a coordinator of the application's scope."""
    row = await _load(application_id)
    if not await _may_decide(actor, row):
        raise NotFound("No such application.", code="volunteer_no_application")
    rules.check_reason(action, reason)
    target = rules.next_status(action, ApplicationStatus(row["status"]))
    async with atomic():
        moved = (
            await App.update(
                {
                    App.status: target.value,
                    App.status_reason: reason.strip(),
                    App.decided_by: actor.person_id,
                    App.decided_at: datetime.now(UTC),
                }
            )
            .where((App.id == application_id) & (App.status == row["status"]))
            .returning(App.id)
        )
        if not moved:
            raise Conflict(
                "The application changed while you were acting on it; reload it.",
                code="volunteer_changed",
            )
        if target == ApplicationStatus.CERTIFIED:
            await grant_volunteer(row)
        elif target == ApplicationStatus.SUSPENDED:
            await withdraw_volunteer(row)
        await audit.record(
            actor_id=actor.person_id,
            action=f"volunteer.{action}",
            object_type="volunteer_application",
            object_id=application_id,
            person=row["person"],
            reason=reason.strip(),
        )
    return await get_application(actor=actor, application_id=application_id)


async def set_home(*, actor: Actor, data: HomeInput) -> HomeRead:
    """A volunteer picks home by building or compound, or sends the browser's location."""
    home = await org.home_point(
        compound_id=data.compound_id, building_id=data.building_id, lat=data.lat, lng=data.lng
    )
    async with atomic():
        done = (
            await VolunteerProfile.update(
                {
                    VolunteerProfile.home_lat: home.lat,
                    VolunteerProfile.home_lng: home.lng,
                    VolunteerProfile.home_compound: home.compound_id,
                    VolunteerProfile.home_building: home.building_id,
                }
            )
            .where(VolunteerProfile.person == actor.person_id)
            .returning(VolunteerProfile.id)
        )
        if not done:
            raise NotFound(
                "Only certified volunteers have a home point.", code="volunteer_no_profile"
            )
    return HomeRead(
        lat=home.lat, lng=home.lng, compound_id=home.compound_id, building_id=home.building_id
    )


async def home_picked(*, person_id: int) -> HomeRead | None:
    """The volunteer's home point and where in the tree it was picked, for the picker."""
    row = (
        await VolunteerProfile.select(
            VolunteerProfile.home_lat,
            VolunteerProfile.home_lng,
            VolunteerProfile.home_compound,
            VolunteerProfile.home_building,
        )
        .where(VolunteerProfile.person == person_id)
        .first()
    )
    if row is None:
        return None
    return HomeRead(
        lat=row["home_lat"],
        lng=row["home_lng"],
        compound_id=row["home_compound"],
        building_id=row["home_building"],
    )
