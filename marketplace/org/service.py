"""Queries on the organisation tree."""

from __future__ import annotations

from dataclasses import dataclass

from marketplace.errors import InvalidInput, NotFound
from marketplace.org.tables import Building, Community, Compound, Grid, SubDistrict


@dataclass(frozen=True)
class Place:
    """Where in the tree a compound sits, with its point."""

    sub_district_id: int
    community_id: int
    compound_id: int
    lat: float
    lng: float


async def compound_place(*, compound_id: int) -> Place:
    """The compound with its community and sub-district, or InvalidInput if there is none."""
    row = (
        await Compound.select(
            Compound.id,
            Compound.lat,
            Compound.lng,
            Compound.community.id.as_alias("community_id"),
            Compound.community._.sub_district._.id.as_alias("sub_district_id"),
        )
        .where(Compound.id == compound_id)
        .first()
    )
    if row is None:
        raise InvalidInput(
            f"There is no compound {compound_id}.", code="org_unknown_compound", field="compound_id"
        )
    return Place(row["sub_district_id"], row["community_id"], row["id"], row["lat"], row["lng"])


async def check_grid(*, grid_id: int, compound_id: int) -> None:
    """The grid must lie in the compound."""
    ok = await Grid.exists().where((Grid.id == grid_id) & (Grid.compound == compound_id))
    if not ok:
        raise InvalidInput(
            f"Grid {grid_id} is not in compound {compound_id}.",
            code="org_grid_elsewhere",
            field="grid_id",
        )


async def sub_district_of(*, community_id: int) -> int:
    """The sub-district a community belongs to."""
    row = await Community.select(Community.sub_district).where(Community.id == community_id).first()
    if row is None:
        raise NotFound("No such community.", code="community_not_found")
    return row["sub_district"]


async def communities_in(*, community_ids: set[int], sub_district_ids: set[int]) -> list[int]:
    """Every community named, plus every community of the sub-districts named."""
    found = set(community_ids)
    if sub_district_ids:
        rows = await Community.select(Community.id).where(
            Community.sub_district.is_in(list(sub_district_ids))
        )
        found.update(r["id"] for r in rows)
    return sorted(found)


async def communities_of(actor, *roles) -> list[int]:
    """Every community where the actor holds one of `roles` (sub-district roles cover all its
    communities)."""
    scopes = actor.scopes(*roles)
    return await communities_in(
        community_ids={s.community_id for s in scopes if s.community_id},
        sub_district_ids={s.sub_district_id for s in scopes if s.sub_district_id},
    )


async def coordinates_community(actor, community_id: int) -> bool:
    """Whether the actor coordinates this community (directly or through its sub-district)."""
    try:
        sub = await sub_district_of(community_id=community_id)
    except NotFound:
        return False
    return actor.coordinates(community_id, sub)


async def tree() -> list[dict]:
    """The whole tree, for pickers: sub-districts with their communities and compounds."""
    subs = await SubDistrict.select().order_by(SubDistrict.id)
    comms = await Community.select().order_by(Community.id)
    comps = await Compound.select().order_by(Compound.id)
    grids = await Grid.select().order_by(Grid.id)
    buildings = await Building.select().order_by(Building.id)
    by_building: dict[int, list[dict]] = {}
    for b in buildings:
        by_building.setdefault(b["compound"], []).append(
            {"id": b["id"], "name": b["name"], "lat": b["lat"], "lng": b["lng"]}
        )
    by_compound: dict[int, list[dict]] = {}
    for g in grids:
        by_compound.setdefault(g["compound"], []).append({"id": g["id"], "name": g["name"]})
    by_comm: dict[int, list[dict]] = {}
    for c in comps:
        node = {"id": c["id"], "name": c["name"], "lat": c["lat"], "lng": c["lng"]}
        by_comm.setdefault(c["community"], []).append(
            {
                **node,
                "grids": by_compound.get(c["id"], []),
                "buildings": by_building.get(c["id"], []),
            }
        )
    by_sub: dict[int, list[dict]] = {}
    for c in comms:
        node = {"id": c["id"], "name": c["name"], "compounds": by_comm.get(c["id"], [])}
        by_sub.setdefault(c["sub_district"], []).append(node)
    return [
        {"id": s["id"], "name": s["name"], "communities": by_sub.get(s["id"], [])} for s in subs
    ]


async def community_point(*, community_id: int) -> tuple[float, float]:
    row = (
        await Community.select(Community.lat, Community.lng)
        .where(Community.id == community_id)
        .first()
    )
    if row is None:
        raise InvalidInput(
            f"There is no community {community_id}.",
            code="org_unknown_community",
            field="community_id",
        )
    return row["lat"], row["lng"]


@dataclass(frozen=True)
class Home:
    """A home point and where in the tree it was picked (None for the browser's location)."""

    lat: float
    lng: float
    compound_id: int | None
    building_id: int | None


async def home_point(
    *,
    compound_id: int | None,
    building_id: int | None,
    lat: float | None,
    lng: float | None,
) -> Home:
    """A home chosen by building (its point), by compound (its point), or the browser's location;
    coordinates are never typed by a person, only sent by the page's "使用我的位置"."""
    if building_id is not None:
        row = (
            await Building.select(Building.lat, Building.lng, Building.compound)
            .where(Building.id == building_id)
            .first()
        )
        if row is None or (compound_id is not None and row["compound"] != compound_id):
            raise InvalidInput(
                "There is no such building.", code="org_unknown_building", field="building_id"
            )
        return Home(row["lat"], row["lng"], row["compound"], building_id)
    if compound_id is not None:
        row = (
            await Compound.select(Compound.lat, Compound.lng)
            .where(Compound.id == compound_id)
            .first()
        )
        if row is None:
            raise InvalidInput(
                "There is no such compound.", code="org_unknown_compound", field="compound_id"
            )
        return Home(row["lat"], row["lng"], compound_id, None)
    if lat is None or lng is None:
        raise InvalidInput(
            "Choose your compound or building, or use your location.",
            code="org_home_needed",
            field="home",
        )
    return Home(lat, lng, None, None)


async def building_name(*, building_id: int) -> str:
    row = await Building.select(Building.name).where(Building.id == building_id).first()
    if row is None:
        raise InvalidInput(
            "There is no such building.", code="org_unknown_building", field="building_id"
        )
    return row["name"]
