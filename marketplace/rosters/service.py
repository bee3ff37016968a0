"""Roster import (名册导入): residents, volunteers (party members with their branch) and grid
workers from the .xlsx files communities keep. A dry run reports every bad row and writes
nothing; an import writes all rows in one transaction with bulk inserts, and is idempotent."""

from __future__ import annotations

from datetime import UTC, datetime

from marketplace.accounts.rules import Actor, Role
from marketplace.accounts.tables import Person, RoleGrant
from marketplace.audit import service as audit
from marketplace.db import atomic
from marketplace.errors import Forbidden, InvalidInput, NotFound
from marketplace.messages import render
from marketplace.org import service as org
from marketplace.org.tables import Building, Community, Compound, Grid
from marketplace.rosters import rules, workbook, writer
from marketplace.rosters.rules import CompoundRef, Mode, RosterKind, Row, RowError
from marketplace.rosters.schemas import RosterReport, RowErrorRead

ROLE = {
    RosterKind.RESIDENTS: Role.RESIDENT,
    RosterKind.VOLUNTEERS: Role.VOLUNTEER,
    RosterKind.GRID_WORKERS: Role.GRID_WORKER,
}
CHUNK = 5000  # keys per IN (...) lookup


def template(kind: RosterKind) -> bytes:
    """The roster's .xlsx template: Chinese headers and one example row."""
    return workbook.template(rules.COLUMNS[kind], rules.EXAMPLES[kind], rules.SHEET_TITLES[kind])


async def _check_coordinator(actor: Actor, community_id: int) -> None:
    try:
        sub = await org.sub_district_of(community_id=community_id)
    except NotFound:
        raise InvalidInput(
            "There is no such community.", code="org_unknown_community", field="community_id"
        ) from None
    if not actor.coordinates(community_id, sub):
        raise Forbidden(
            "Only the community's coordinators import its rosters.", code="org_out_of_scope"
        )


async def compounds_of(community_id: int) -> dict[str, CompoundRef]:
    """The community's compounds by name, with their buildings and grids by name."""
    comps = await Compound.select(Compound.id, Compound.name, Compound.lat, Compound.lng).where(
        Compound.community == community_id
    )
    refs = {c["name"]: CompoundRef(c["id"], c["lat"], c["lng"]) for c in comps}
    by_id = {r.id: r for r in refs.values()}
    ids = list(by_id) or [-1]
    for b in await Building.select().where(Building.compound.is_in(ids)):
        by_id[b["compound"]].buildings[b["name"]] = rules.BuildingRef(b["id"], b["lat"], b["lng"])
    for g in await Grid.select(Grid.id, Grid.name, Grid.compound).where(Grid.compound.is_in(ids)):
        by_id[g["compound"]].grids[g["name"]] = g["id"]
    return refs


async def existing_people(rows: list[Row], community_id: int) -> dict[tuple, dict]:
    """The people the rows name who already exist, by key (phone, or name + compound + address)."""
    found: dict[tuple, dict] = {}
    phones = [r.phone for r in rows if r.phone]
    cols = (Person.id, Person.phone, Person.name, Person.compound, Person.address, Person.community)
    for start in range(0, len(phones), CHUNK):
        for p in await Person.select(*cols).where(
            Person.phone.is_in(phones[start : start + CHUNK])
        ):
            found[rules.person_key(p["phone"], "", None, "")] = p
    if len(phones) < len(rows):
        for p in await Person.select(*cols).where(
            (Person.community == community_id) & Person.phone.is_null()
        ):
            found[rules.person_key(None, p["name"], p["compound"], p["address"])] = p
    return found


async def held_roles(person_ids: list[int], role: Role, community_id: int) -> set[int]:
    held: set[int] = set()
    for start in range(0, len(person_ids), CHUNK):
        rows = await RoleGrant.select(RoleGrant.person).where(
            RoleGrant.person.is_in(person_ids[start : start + CHUNK])
            & (RoleGrant.role == role.value)
            & (RoleGrant.community == community_id)
        )
        held.update(r["person"] for r in rows)
    return held


def _render(errors: list[RowError], lang: str) -> list[RowErrorRead]:
    out = []
    for e in sorted(errors, key=lambda e: e.row):
        text = render(e.code, lang, {"value": e.value})
        message = render("roster_row", lang, {"row": e.row, "field": e.field, "text": text})
        out.append(RowErrorRead(row=e.row, field=e.field, code=e.code, message=message))
    return out


async def run_import(
    *, actor: Actor, kind: RosterKind, community_id: int, content: bytes, mode: Mode, lang: str
) -> RosterReport:
    """Check every row; unless it is a dry run (or mode=all with bad rows), write the good
    ones in one transaction. The report is the same either way."""
    await _check_coordinator(actor, community_id)
    records = workbook.read_rows(content, rules.COLUMNS[kind])
    good, errors = rules.check_rows(kind, records, await compounds_of(community_id))
    known = await existing_people(good, community_id)
    role = ROLE[kind]
    if kind == RosterKind.RESIDENTS:
        for row in good:
            p = known.get(row.key)
            if p and p["community"] not in (None, community_id):
                errors.append(RowError(row.number, "手机号", "roster_other_community"))
        bad = {e.row for e in errors}
        good = [r for r in good if r.number not in bad]
    held = await held_roles([p["id"] for p in known.values()], role, community_id)
    new = [r for r in good if r.key not in known]
    gaining = [r for r in good if r.key in known and known[r.key]["id"] not in held]
    bad_rows = len({e.row for e in errors})
    commit = mode == Mode.VALID_ONLY or (mode == Mode.ALL and not errors)
    report = RosterReport(
        kind=kind.value,
        mode=mode.value,
        rows=len(records),
        valid=len(records) - bad_rows,
        errors=_render(errors, lang),
        created=len(new),
        roles_added=len(gaining),
        unchanged=len(good) - len(new) - len(gaining),
        invited=sum(1 for r in new if r.phone),
        committed=commit and bool(new or gaining),
    )
    if not report.committed:
        return report
    community = await Community.select(Community.name).where(Community.id == community_id).first()
    assert community is not None  # the scope check above found it
    async with atomic():
        ids = await writer.write(
            actor=actor,
            kind=kind,
            community_id=community_id,
            new=new,
            gaining=[(r, known[r.key]["id"]) for r in gaining],
            now=datetime.now(UTC),
            invitation=(
                render("roster_invitation_title", lang, {"community": community["name"]}),
                render("roster_invitation_body", lang),
            ),
        )
        await audit.record(
            actor_id=actor.person_id,
            action="roster.imported",
            object_type="community",
            object_id=community_id,
            kind=kind.value,
            created=len(new),
            roles_added=len(gaining),
            people=len(ids),
        )
    return report
