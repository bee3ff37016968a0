"""Compounds 小区 and buildings 楼栋 of a community imported from .xlsx (idempotent by name)."""

from __future__ import annotations

from marketplace.accounts.rules import Actor
from marketplace.audit import service as audit
from marketplace.db import atomic, insert_many
from marketplace.messages import render
from marketplace.org import manage
from marketplace.org.schemas import PlacesImportRead
from marketplace.org.tables import Building, Compound
from marketplace.rosters import workbook

HEADERS = ("小区", "楼栋", "纬度", "经度")
EXAMPLE = ("八大湖小区", "3号楼", 36.0712, 120.3815)


def template() -> bytes:
    return workbook.template(HEADERS, EXAMPLE, "小区楼栋")


def _point(rec: dict[str, str]) -> tuple[float, float] | None:
    try:
        lat, lng = float(rec["纬度"]), float(rec["经度"])
    except ValueError:
        return None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return None
    return lat, lng


async def import_places(
    *, actor: Actor, community_id: int, content: bytes, dry_run: bool
) -> PlacesImportRead:
    """Every row names a compound and optionally a building, with a point. Existing names are
    left alone; a dry run reports and writes nothing; any bad row refuses the whole file."""
    community, sub = await manage.community_of("community", community_id)
    manage.check_manages(actor, "compound", community, sub)
    rows = workbook.read_rows(content, HEADERS)
    compounds = {
        r["name"]: r["id"]
        for r in await Compound.select(Compound.id, Compound.name).where(
            Compound.community == community_id
        )
    }
    buildings = {
        (r["compound"], r["name"])
        for r in await Building.select(Building.compound, Building.name).where(
            Building.compound.is_in(list(compounds.values()) or [-1])
        )
    }
    errors, new_compounds, new_buildings, unchanged = [], {}, [], 0
    for number, rec in rows:
        point = _point(rec)
        code = None if rec["小区"] else "places_missing_compound"
        code = code or (None if point else "places_bad_point")
        if code:
            errors.append(
                {"row": number, "code": code, "message": render(code, "zh-CN", {"row": number})}
            )
            continue
        name, building = rec["小区"], rec["楼栋"]
        if name not in compounds and name not in new_compounds:
            new_compounds[name] = point
        elif not building:
            unchanged += 1
        if building:
            key = (compounds.get(name), building)
            if key in buildings or (name, building) in {(n, b) for n, b, _ in new_buildings}:
                unchanged += 1
            else:
                new_buildings.append((name, building, point))
    report = PlacesImportRead(
        compounds_added=len(new_compounds),
        buildings_added=len(new_buildings),
        unchanged=unchanged,
        errors=errors,
        dry_run=dry_run or bool(errors),
    )
    if dry_run or errors:
        return report
    async with atomic():
        if new_compounds:
            await insert_many(
                Compound,
                ("name", "community", "lat", "lng"),
                [(n, community_id, p[0], p[1]) for n, p in new_compounds.items()],
            )
            rows2 = await Compound.select(Compound.id, Compound.name).where(
                Compound.community == community_id
            )
            compounds = {r["name"]: r["id"] for r in rows2}
        if new_buildings:
            await insert_many(
                Building,
                ("name", "compound", "lat", "lng"),
                [(b, compounds[n], p[0], p[1]) for n, b, p in new_buildings],
            )
        await audit.record(
            actor_id=actor.person_id,
            action="places.imported",
            object_type="community",
            object_id=community_id,
            compounds=len(new_compounds),
            buildings=len(new_buildings),
        )
    return report
