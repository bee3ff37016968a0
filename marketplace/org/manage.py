"""Managing the organisation tree: administrators create sub-districts and communities,
coordinators their compounds and buildings (one at a time or from an .xlsx)."""

from __future__ import annotations

from marketplace.accounts.rules import Actor, Role
from marketplace.audit import service as audit
from marketplace.db import atomic
from marketplace.errors import Forbidden, InvalidInput, NotFound
from marketplace.org.schemas import PlaceCreate, PlaceRead, PlaceUpdate
from marketplace.org.tables import Building, Community, Compound, SubDistrict

# level -> (table, parent column name, parent level)
LEVELS = {
    "sub_district": (SubDistrict, None, None),
    "community": (Community, "sub_district", "sub_district"),
    "compound": (Compound, "community", "community"),
    "building": (Building, "compound", "compound"),
}


async def community_of(level: str, place_id: int) -> tuple[int | None, int]:
    """(community, sub-district) that a place sits in; communities and sub-districts have no
    community above them (None)."""
    if level == "sub_district":
        return None, place_id
    if level == "community":
        row = await Community.select(Community.sub_district).where(Community.id == place_id).first()
        if row is None:
            raise NotFound("No such community.", code="org_unknown_community")
        return place_id, row["sub_district"]
    if level == "compound":
        row = (
            await Compound.select(
                Compound.community, Compound.community.sub_district.as_alias("sub")
            )
            .where(Compound.id == place_id)
            .first()
        )
        if row is None:
            raise NotFound("No such compound.", code="org_unknown_compound")
        return row["community"], row["sub"]
    row = await Building.select(Building.compound).where(Building.id == place_id).first()
    if row is None:
        raise NotFound("No such building.", code="org_unknown_building")
    return await community_of("compound", row["compound"])


def check_manages(actor: Actor, level: str, community_id: int | None, sub_district_id: int) -> None:
    """Sub-districts: administrators. Communities: administrators and the sub-district's
    coordinators. Compounds and buildings: also the community's coordinators."""
    if actor.has(Role.ADMIN):
        return
    if level == "sub_district":
        raise Forbidden("Only administrators create sub-districts.", code="org_admin_only")
    if level == "community" and community_id is None:
        ok = any(s.sub_district_id == sub_district_id for s in actor.scopes(Role.COORDINATOR))
    else:
        ok = community_id is not None and actor.coordinates(community_id, sub_district_id)
    if not ok:
        raise Forbidden("You do not coordinate this area.", code="org_out_of_scope")


def _read(level: str, row: dict) -> PlaceRead:
    parent = LEVELS[level][1]
    return PlaceRead(
        id=row["id"],
        level=level,
        name=row["name"],
        parent_id=row[parent] if parent else None,
        lat=row["lat"],
        lng=row["lng"],
    )


async def create_place(*, actor: Actor, level: str, data: PlaceCreate) -> PlaceRead:
    """Add a node of the tree under its parent (audited)."""
    table, parent, parent_level = LEVELS[level]
    values: dict = {"name": data.name.strip(), "lat": data.lat, "lng": data.lng}
    if parent_level is None:
        check_manages(actor, level, None, 0)
    else:
        if data.parent_id is None:
            raise InvalidInput(
                f"Give the {parent_level}.", code="org_parent_needed", field="parent_id"
            )
        try:
            community_id, sub_id = await community_of(parent_level, data.parent_id)
        except NotFound:
            raise InvalidInput(
                "The parent does not exist.", code="org_unknown_parent", field="parent_id"
            ) from None
        check_manages(actor, level, community_id, sub_id)
        values[parent] = data.parent_id
    async with atomic():
        row = (await table.insert(table(**values)).returning(*table.all_columns()))[0]
        await audit.record(
            actor_id=actor.person_id,
            action=f"{level}.created",
            object_type=level,
            object_id=row["id"],
            name=values["name"],
        )
    return _read(level, row)


async def update_place(*, actor: Actor, level: str, place_id: int, data: PlaceUpdate) -> PlaceRead:
    """Rename a node or move its point."""
    table = LEVELS[level][0]
    community_id, sub_id = await community_of(level, place_id)
    check_manages(actor, level, community_id, sub_id)
    changes = {
        getattr(table, k): v
        for k, v in (("name", data.name), ("lat", data.lat), ("lng", data.lng))
        if v is not None
    }
    async with atomic():
        if changes:
            await table.update(changes).where(table.id == place_id)
        await audit.record(
            actor_id=actor.person_id,
            action=f"{level}.updated",
            object_type=level,
            object_id=place_id,
        )
    row = await table.select().where(table.id == place_id).first()
    return _read(level, row)
