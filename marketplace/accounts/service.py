"""People and sessions: authenticate, build the Actor, add residents, volunteer profiles."""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec

from marketplace import db
from marketplace.accounts.rules import (
    Actor,
    Role,
    RoleScope,
    check_password_policy,
    hash_password,
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
from marketplace.org.tables import Residence
from marketplace.rosters.rules import compose_address
from marketplace.tasks.rules import check_skills

_BAD_LOGIN = "Wrong phone number or password."


async def authenticate(*, phone: str | None, password: str) -> tuple[int, int]:
    """(person id, credentials epoch) when the normalised phone and the password match; one
    vague message otherwise. A failure costs one password hash whether or not the phone is
    registered (a dummy hash stands in), so timing does not tell which phones have accounts."""
    row = None
    if phone:
        row = (
            await Person.select(Person.id, Person.password_hash, Person.credentials_epoch)
            .where((Person.phone == phone) & Person.closed_at.is_null())
            .first()
        )
    matched = verify_password(row["password_hash"] if row else None, password)
    if row is None or not matched:
        raise NotAuthenticated(_BAD_LOGIN, code="accounts_login_failed")
    return row["id"], row["credentials_epoch"]


async def change_password(*, person_id: int, current: str, new: str) -> int:
    """A signed-in person changes their password by giving the current one; the credentials
    epoch moves on, so every session of theirs ends. Returns the new epoch."""
    row = (
        await Person.select(Person.phone, Person.password_hash, Person.credentials_epoch)
        .where(Person.id == person_id)
        .first()
    )
    if row is None:
        raise NotFound("No such person.", code="accounts_person_not_found")
    if not row["password_hash"]:
        raise Conflict(
            "This account has no password yet: set one with a code sent to the phone.",
            code="accounts_no_password_yet",
            field="current_password",
        )
    if not verify_password(row["password_hash"], current):
        raise InvalidInput(
            "The current password is not right.",
            code="accounts_current_password_wrong",
            field="current_password",
        )
    check_password_policy(new, phone=row["phone"], field="new_password")
    epoch = row["credentials_epoch"] + 1
    await Person.update(
        {Person.password_hash: hash_password(new), Person.credentials_epoch: epoch}
    ).where(Person.id == person_id)
    return epoch


async def load_actor(*, person_id: int, epoch: int | None = None) -> Actor | None:
    """The Actor for a session's person id, with all their role scopes, in one query per request
    (the person left-joined to their grants), so role changes take effect at once. None when the
    account is closed or its credentials changed since the session began (`epoch` differs)."""
    rows = await db.raw(
        "SELECT p.name, p.credentials_epoch, p.closed_at, g.role, g.community, g.sub_district "
        "FROM person p LEFT JOIN role_grant g ON g.person = p.id WHERE p.id = {}",
        person_id,
    )
    if not rows or rows[0]["closed_at"] is not None:
        return None
    if epoch is not None and epoch != rows[0]["credentials_epoch"]:
        return None
    roles = tuple(
        RoleScope(Role(g["role"]), g["community"], g["sub_district"]) for g in rows if g["role"]
    )
    return Actor(person_id=person_id, name=rows[0]["name"], roles=roles)


async def me_by_id(*, person_id: int) -> MeRead:
    """The person just signed in, as `me` shows them."""
    return await me(actor=Actor(person_id=person_id, name=""))


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
    lat, lng = place.lat, place.lng
    if data.building_id is not None:
        home = await org.home_point(
            compound_id=data.compound_id, building_id=data.building_id, lat=None, lng=None
        )
        lat, lng = home.lat, home.lng
        building = await org.building_name(building_id=data.building_id)
        data = msgspec.structs.replace(
            data, address=compose_address(building, data.unit.strip(), data.room.strip())
        )
    async with atomic():
        await _offer_existing(phone=phone, data=data, community_id=place.community_id)
        person = Person(
            name=data.name.strip(),
            phone=phone,
            community=place.community_id,
            compound=place.compound_id,
            grid=data.grid_id,
            address=data.address.strip(),
            lat=data.lat if data.lat is not None else lat,
            lng=data.lng if data.lng is not None else lng,
            created_at=datetime.now(UTC),
        )
        await person.save()
        await RoleGrant(
            person=person.id, role=Role.RESIDENT.value, community=place.community_id
        ).save()
        if data.building_id is not None:
            await Residence(
                person=person.id, building=data.building_id, unit=data.unit, room=data.room
            ).save()
    row = await Person.select().where(Person.id == person.id).first()
    assert row is not None  # written above in this transaction
    return _resident_read(row)


async def existing_resident(
    *, phone: str | None, name: str, compound_id: int, address: str
) -> dict | None:
    """The person a new entry would duplicate: the same phone, or (without one) the same name
    at the same compound and address."""
    if phone:
        return await Person.select().where(Person.phone == phone).first()
    if not address.strip():
        return None
    return (
        await Person.select()
        .where(
            (Person.name == name.strip())
            & (Person.compound == compound_id)
            & (Person.address == address.strip())
        )
        .first()
    )


async def _offer_existing(*, phone: str | None, data: ResidentCreate, community_id: int) -> None:
    """409 offering the existing person instead of making a second one (their name and address
    only when they live in the same community, which the caller looks after)."""
    found = await existing_resident(
        phone=phone, name=data.name, compound_id=data.compound_id, address=data.address
    )
    if found is None:
        return
    field = "phone" if phone else "name"
    if found["community"] != community_id:
        raise Conflict(
            "This resident is already registered.", code="resident_exists_elsewhere", field=field
        )
    raise Conflict(
        f"This resident is already registered: {found['name']}, {found['address']}.",
        code="resident_exists",
        field=field,
        resident_id=found["id"],
        name=found["name"],
        address=found["address"],
    )


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
    """One resident, for the grid workers and coordinators of their community; 404 otherwise.
    Only people holding the resident role: this is not a directory of coordinators, volunteers
    or the admin."""
    row = await Person.select().where(Person.id == person_id).first()
    if row is None or row["community"] is None:
        raise NotFound("No such resident.", code="resident_not_found")
    is_resident = await RoleGrant.exists().where(
        (RoleGrant.person == person_id) & (RoleGrant.role == Role.RESIDENT.value)
    )
    if not is_resident and actor.person_id != person_id:
        raise NotFound("No such resident.", code="resident_not_found")
    sub_district_id = await org.sub_district_of(community_id=row["community"])
    if not (
        actor.person_id == person_id
        or actor.grid_worker_in(row["community"], sub_district_id)
        or actor.coordinates(row["community"], sub_district_id)
    ):
        raise NotFound("No such resident.", code="resident_not_found")
    return _resident_read(row)


async def create_first_admin(*, phone: str, name: str) -> tuple[int, str]:
    """The installation's first administrator (an ADMIN grant with no scope: everywhere).
    Refused once any administrator exists. Returns (person id, normalised phone)."""
    phone = normalise_phone(phone)
    name = name.strip()
    if not name or len(name) > 50:
        raise InvalidInput(
            "name must have 1 to 50 characters.", code="accounts_name_length", field="name"
        )
    async with atomic():
        if await RoleGrant.exists().where(RoleGrant.role == Role.ADMIN.value):
            raise Conflict(
                "This installation already has an administrator.", code="accounts_admin_exists"
            )
        row = await Person.select(Person.id).where(Person.phone == phone).first()
        if row is None:
            person = Person(name=name, phone=phone, created_at=datetime.now(UTC))
            await person.save()
            person_id = person.id
        else:
            person_id = row["id"]
        await RoleGrant(person=person_id, role=Role.ADMIN.value, title="系统管理员").save()
    return person_id, phone
