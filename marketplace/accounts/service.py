"""People and sessions: authenticate, build the Actor, add residents, volunteer profiles."""

from __future__ import annotations

from datetime import UTC, datetime

from marketplace.accounts.rules import (
    Actor,
    Role,
    RoleScope,
    normalise_phone,
    verify_password,
)
from marketplace.accounts.schemas import (
    MeRead,
    ResidentCreate,
    ResidentRead,
    RoleRead,
    VolunteerProfileRead,
    VolunteerProfileUpdate,
)
from marketplace.accounts.tables import Person, RoleGrant, VolunteerProfile
from marketplace.db import atomic
from marketplace.errors import Conflict, Forbidden, InvalidInput, NotAuthenticated, NotFound
from marketplace.org import service as org
from marketplace.tasks.rules import check_skills

_BAD_LOGIN = "Wrong phone number or password."


async def authenticate(*, phone: str, password: str) -> int:
    """The person's id when phone and password match; one vague message otherwise."""
    try:
        phone = normalise_phone(phone)
    except InvalidInput:
        raise NotAuthenticated(_BAD_LOGIN, code="auth_bad_login") from None
    row = await Person.select(Person.id, Person.password_hash).where(Person.phone == phone).first()
    if row is None or not verify_password(row["password_hash"], password):
        raise NotAuthenticated(_BAD_LOGIN, code="auth_bad_login")
    return row["id"]


async def load_actor(*, person_id: int) -> Actor | None:
    """The Actor for a session's person id, with all their role scopes."""
    person = await Person.select(Person.id, Person.name).where(Person.id == person_id).first()
    if person is None:
        return None
    grants = await RoleGrant.select().where(RoleGrant.person == person_id)
    roles = tuple(RoleScope(Role(g["role"]), g["community"], g["sub_district"]) for g in grants)
    return Actor(person_id=person["id"], name=person["name"], roles=roles)


async def me(*, actor: Actor) -> MeRead:
    """The signed-in person, their roles and volunteer profile."""
    person = await Person.select().where(Person.id == actor.person_id).first()
    if person is None:
        raise NotAuthenticated("Your account no longer exists.", code="auth_account_gone")
    grants = await RoleGrant.select().where(RoleGrant.person == actor.person_id)
    profile = (
        await VolunteerProfile.select()
        .where(VolunteerProfile.person == actor.person_id)
        .output(load_json=True)
        .first()
    )
    return MeRead(
        id=person["id"],
        name=person["name"],
        phone=person["phone"],
        community_id=person["community"],
        roles=[RoleRead(g["role"], g["community"], g["sub_district"], g["title"]) for g in grants],
        volunteer=_profile_read(profile) if profile else None,
    )


def _profile_read(row: dict) -> VolunteerProfileRead:
    return VolunteerProfileRead(
        kind=row["kind"],
        skills=list(row["skills"]),
        home_lat=row["home_lat"],
        home_lng=row["home_lng"],
        weekly_hours=row["weekly_hours"],
        weekly_tasks=row["weekly_tasks"],
        max_distance_m=row["max_distance_m"],
    )


async def update_volunteer_profile(*, actor: Actor, data: VolunteerProfileUpdate) -> MeRead:
    """A volunteer sets their own skills, home point, weekly capacity and travel limit."""
    if not actor.has(Role.VOLUNTEER):
        raise Forbidden("Only volunteers have a volunteer profile.", code="account_volunteers_only")
    check_skills(data.skills)
    await VolunteerProfile.update(
        {
            VolunteerProfile.skills: sorted(set(data.skills)),
            VolunteerProfile.home_lat: data.home_lat,
            VolunteerProfile.home_lng: data.home_lng,
            VolunteerProfile.weekly_hours: data.weekly_hours,
            VolunteerProfile.weekly_tasks: data.weekly_tasks,
            VolunteerProfile.max_distance_m: data.max_distance_m,
        }
    ).where(VolunteerProfile.person == actor.person_id)
    return await me(actor=actor)


def _resident_read(row: dict) -> ResidentRead:
    return ResidentRead(
        id=row["id"],
        name=row["name"],
        phone=row["phone"],
        community_id=row["community"],
        compound_id=row["compound"],
        grid_id=row["grid"],
        address=row["address"],
    )


async def add_resident(*, actor: Actor, data: ResidentCreate) -> ResidentRead:
    """A grid worker or coordinator adds a resident of their community (phone optional)."""
    place = await org.compound_place(compound_id=data.compound_id)
    if not (
        actor.grid_worker_in(place.community_id, place.sub_district_id)
        or actor.coordinates(place.community_id, place.sub_district_id)
    ):
        raise Forbidden(
            "Only grid workers and coordinators of this community can add its residents.",
            code="account_add_resident_not_allowed",
        )
    if data.grid_id is not None:
        await org.check_grid(grid_id=data.grid_id, compound_id=data.compound_id)
    phone = normalise_phone(data.phone) if data.phone else None
    async with atomic():
        if phone and await Person.exists().where(Person.phone == phone):
            raise Conflict(
                "A person with this phone number is already registered.",
                code="account_phone_taken",
                field="phone",
            )
        person = Person(
            name=data.name,
            phone=phone,
            community=place.community_id,
            compound=place.compound_id,
            grid=data.grid_id,
            address=data.address,
            lat=data.lat if data.lat is not None else place.lat,
            lng=data.lng if data.lng is not None else place.lng,
            created_at=datetime.now(UTC),
        )
        await person.save()
        await RoleGrant(
            person=person.id, role=Role.RESIDENT.value, community=place.community_id
        ).save()
    row = await Person.select().where(Person.id == person.id).first()
    return _resident_read(row)


async def find_residents(*, actor: Actor, q: str, community_id: int) -> list[ResidentRead]:
    """Residents of a community whose name or phone contains q (grid workers, coordinators)."""
    sub_district_id = await org.sub_district_of(community_id=community_id)
    if not (
        actor.grid_worker_in(community_id, sub_district_id)
        or actor.coordinates(community_id, sub_district_id)
    ):
        raise NotFound("No such community.", code="community_not_found")
    query = Person.select().where(
        (Person.community == community_id)
        & Person.id.is_in(RoleGrant.select(RoleGrant.person).where(RoleGrant.role == "resident"))
    )
    if q:
        query = query.where((Person.name.like(f"%{q}%")) | (Person.phone.like(f"%{q}%")))
    rows = await query.order_by(Person.name).limit(50)
    return [_resident_read(r) for r in rows]


async def get_resident(*, actor: Actor, person_id: int) -> ResidentRead:
    """One resident, for the grid workers and coordinators of their community; 404 otherwise."""
    row = await Person.select().where(Person.id == person_id).first()
    if row is None or row["community"] is None:
        raise NotFound("No such resident.", code="resident_not_found")
    sub_district_id = await org.sub_district_of(community_id=row["community"])
    if not (
        actor.person_id == person_id
        or actor.grid_worker_in(row["community"], sub_district_id)
        or actor.coordinates(row["community"], sub_district_id)
    ):
        raise NotFound("No such resident.", code="resident_not_found")
    return _resident_read(row)
