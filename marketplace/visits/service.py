"""上门核验: each claim on a wish gets a 4-digit visit code the resident checks at the door; the
volunteer records it when fulfilling (or a grid worker confirms the visit), so the service record
says the visit was checked."""

from __future__ import annotations

from datetime import UTC, datetime

from marketplace.accounts.rules import Actor
from marketplace.accounts.tables import Person
from marketplace.errors import InvalidInput, NotFound
from marketplace.partners.tables import PartnerMember, PartnerUnit
from marketplace.tasks.tables import Claim
from marketplace.visits import rules
from marketplace.visits.schemas import VisitRead
from marketplace.visits.tables import Visit


async def issue(*, claim_id: int) -> str:
    """A new visit code for a claim (inside the claim's transaction)."""
    code = rules.new_code()
    await Visit(claim=claim_id, code=code, issued_at=datetime.now(UTC)).save()
    return code


async def issue_for(*, source: str, source_id: int) -> str | None:
    """A visit code for the active claim on a source's task (inside the claim's transaction)."""
    row = (
        await Claim.select(Claim.id)
        .where(
            (Claim.task.source == source)
            & (Claim.task.source_id == source_id)
            & Claim.active_task.is_not_null()
        )
        .first()
    )
    return await issue(claim_id=row["id"]) if row else None


async def check_at_fulfil(*, claim_id: int, typed: str, volunteer_id: int) -> None:
    """The volunteer records the resident's code: a wrong code is refused, none leaves the visit
    for a grid worker to confirm."""
    if not rules.normalise(typed):
        return
    visit = await Visit.select().where(Visit.claim == claim_id).first()
    if visit is None:
        return
    if not rules.matches(visit["code"], typed):
        raise InvalidInput("The visit code is wrong.", code="visit_code_wrong", field="visit_code")
    await _checked(claim_id, volunteer_id, "code")


async def confirm_by_grid_worker(*, claim_id: int, person_id: int) -> None:
    """A grid worker confirming on the resident's behalf vouches for a visit not yet checked."""
    await Visit.update(
        {
            Visit.checked_at: datetime.now(UTC),
            Visit.checked_by: person_id,
            Visit.checked_via: "grid_worker",
        }
    ).where((Visit.claim == claim_id) & Visit.checked_at.is_null())


async def _checked(claim_id: int, person_id: int, via: str) -> None:
    await Visit.update(
        {Visit.checked_at: datetime.now(UTC), Visit.checked_by: person_id, Visit.checked_via: via}
    ).where(Visit.claim == claim_id)


async def unit_of(*, volunteer_id: int, partner_unit: int | None) -> str:
    """The unit a volunteer comes from: the partner unit they claimed for, one they belong to,
    or "" (an individual volunteer)."""
    if partner_unit is not None:
        row = (
            await PartnerUnit.select(PartnerUnit.name).where(PartnerUnit.id == partner_unit).first()
        )
        if row:
            return row["name"]
    row = (
        await PartnerMember.select(PartnerMember.unit.name.as_alias("name"))
        .where(PartnerMember.person == volunteer_id)
        .first()
    )
    return row["name"] if row else ""


async def who_is_coming(*, claim: dict, wanted_by: str | None, with_code: bool) -> VisitRead:
    """The volunteer's name and unit and, for the resident's side, the visit code."""
    person = await Person.select(Person.name).where(Person.id == claim["volunteer"]).first()
    visit = await Visit.select().where(Visit.claim == claim["id"]).first()
    return VisitRead(
        volunteer_name=person["name"] if person else "",
        unit=await unit_of(volunteer_id=claim["volunteer"], partner_unit=claim["partner_unit"]),
        via=claim["via"],
        claimed_at=claim["claimed_at"],
        wanted_by=wanted_by,
        code=visit["code"] if visit and with_code else None,
        checked_via=visit["checked_via"] if visit else "",
        checked_at=visit["checked_at"] if visit else None,
    )


async def latest_claim(*, source: str, source_id: int) -> dict | None:
    """The active, or last fulfilled, claim on a source's task."""
    return (
        await Claim.select(*Claim.all_columns())
        .where(
            (Claim.task.source == source)
            & (Claim.task.source_id == source_id)
            & Claim.status.is_in(["active", "fulfilled"])
        )
        .order_by(Claim.id, ascending=False)
        .first()
    )


async def for_wish(*, actor: Actor, wish_id: int) -> VisitRead | None:
    """Who is coming to a wish, for those who see it in full: the resident and whoever posted
    for them also get the visit code; None while nobody holds or has fulfilled it."""
    from marketplace.wishes.rules import View
    from marketplace.wishes.service import SOURCE, visible

    row, view = await visible(actor, wish_id)
    if view is not View.FULL:
        raise NotFound("No such wish.", code="wish_not_found")
    claim = await latest_claim(source=SOURCE, source_id=wish_id)
    if claim is None:
        return None
    wanted = row["wanted_by"].isoformat() if row["wanted_by"] else None
    return await who_is_coming(
        claim=claim,
        wanted_by=wanted,
        with_code=actor.person_id in (row["resident"], row["posted_by"]),
    )
