"""Queries on the organisation tree."""

from __future__ import annotations

from dataclasses import dataclass

from marketplace.errors import InvalidInput, NotFound
from marketplace.org.tables import Community, Compound, Grid, SubDistrict


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
            Compound.community.sub_district.id.as_alias("sub_district_id"),
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
    by_compound: dict[int, list[dict]] = {}
    for g in grids:
        by_compound.setdefault(g["compound"], []).append({"id": g["id"], "name": g["name"]})
    by_comm: dict[int, list[dict]] = {}
    for c in comps:
        node = {"id": c["id"], "name": c["name"], "lat": c["lat"], "lng": c["lng"]}
        by_comm.setdefault(c["community"], []).append(
            {**node, "grids": by_compound.get(c["id"], [])}
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
