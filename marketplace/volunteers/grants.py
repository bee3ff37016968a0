"""Role grants: coordinators make grid workers (网格长、楼栋长) and coordinators within their own
scope, and take the roles back; every grant and revocation is in the audit log."""

from __future__ import annotations

from marketplace.accounts.rules import Actor, Role, normalise_phone
from marketplace.accounts.tables import Person, RoleGrant
from marketplace.audit import service as audit
from marketplace.db import atomic
from marketplace.errors import Conflict, Forbidden, InvalidInput, NotFound
from marketplace.org import service as org
from marketplace.volunteers import rules
from marketplace.volunteers.schemas import GrantCreate, GrantRead


def _read(row: dict) -> GrantRead:
    return GrantRead(
        id=row["id"],
        person_id=row["person"],
        name=row["name"],
        role=row["role"],
        community_id=row["community"],
        sub_district_id=row["sub_district"],
        title=row["title"],
    )


def _select():
    return RoleGrant.select(RoleGrant.all_columns(), RoleGrant.person.name.as_alias("name"))


async def _sub_district(community_id: int | None, sub_district_id: int | None) -> int:
    if (community_id is None) == (sub_district_id is None):
        raise InvalidInput(
            "Give a community or a sub-district (one of the two).",
            code="role_scope_needed",
            field="community_id",
        )
    if community_id is not None:
        try:
            return await org.sub_district_of(community_id=community_id)
        except NotFound:
            raise InvalidInput(
                "There is no such community.", code="org_unknown_community", field="community_id"
            ) from None
    return sub_district_id  # type: ignore[return-value]


async def grant(*, actor: Actor, data: GrantCreate) -> GrantRead:
    """Grant a role to a registered person, found by phone (in the body, never the URL)."""
    try:
        role = Role(data.role)
    except ValueError:
        raise InvalidInput("Unknown role.", code="role_not_grantable", field="role") from None
    sub_id = await _sub_district(data.community_id, data.sub_district_id)
    rules.check_may_grant(actor, role, data.community_id, sub_id)
    person = (
        await Person.select(Person.id).where(Person.phone == normalise_phone(data.phone)).first()
    )
    if person is None:
        raise InvalidInput(
            "Nobody is registered with this phone number.",
            code="role_unknown_person",
            field="phone",
        )
    async with atomic():
        same = (
            (RoleGrant.person == person["id"])
            & (RoleGrant.role == role.value)
            & (
                (RoleGrant.community == data.community_id)
                if data.community_id is not None
                else (RoleGrant.sub_district == data.sub_district_id)
            )
        )
        if await RoleGrant.exists().where(same):
            raise Conflict("This person already holds this role here.", code="role_already_held")
        row = RoleGrant(
            person=person["id"],
            role=role.value,
            community=data.community_id,
            sub_district=data.sub_district_id if data.community_id is None else None,
            title=data.title.strip(),
        )
        await row.save()
        await audit.record(
            actor_id=actor.person_id,
            action="role.granted",
            object_type="person",
            object_id=person["id"],
            role=role.value,
            community=data.community_id,
            sub_district=row.sub_district,
            grant=row.id,
        )
    return _read(await _select().where(RoleGrant.id == row.id).first())


async def revoke(*, actor: Actor, grant_id: int) -> None:
    """Take a grid worker or coordinator role back (not your own)."""
    row = await RoleGrant.select().where(RoleGrant.id == grant_id).first()
    if row is None:
        raise NotFound("No such role grant.", code="role_no_grant")
    sub_id = await _sub_district(row["community"], row["sub_district"])
    try:
        rules.check_may_grant(actor, Role(row["role"]), row["community"], sub_id)
    except (InvalidInput, Forbidden):
        raise NotFound("No such role grant.", code="role_no_grant") from None
    if row["person"] == actor.person_id:
        raise Conflict("You cannot revoke your own role.", code="role_own")
    async with atomic():
        await RoleGrant.delete().where(RoleGrant.id == grant_id)
        await audit.record(
            actor_id=actor.person_id,
            action="role.revoked",
            object_type="person",
            object_id=row["person"],
            role=row["role"],
            community=row["community"],
            sub_district=row["sub_district"],
            grant=grant_id,
        )


async def list_grants(*, actor: Actor) -> list[GrantRead]:
    """Grid worker and coordinator roles in the areas I coordinate."""
    communities = await org.communities_of(actor, Role.COORDINATOR, Role.ADMIN)
    subs = [
        s.sub_district_id for s in actor.scopes(Role.COORDINATOR, Role.ADMIN) if s.sub_district_id
    ]
    query = _select().where(RoleGrant.role.is_in([r.value for r in rules.GRANTABLE]))
    if not actor.has(Role.ADMIN):
        query = query.where(
            RoleGrant.community.is_in(communities or [-1])
            | RoleGrant.sub_district.is_in(subs or [-1])
        )
    rows = await query.order_by(RoleGrant.id)
    return [_read(r) for r in rows]
