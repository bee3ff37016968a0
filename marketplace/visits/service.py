"""上门核验: each claim on a wish gets a 4-digit visit code the resident checks at the door; the
volunteer records it when fulfilling (or a grid worker confirms the visit), so the service record
says the visit was checked."""

from __future__ import annotations

from datetime import UTC, datetime

from marketplace import db
from marketplace.accounts.rules import Actor
from marketplace.errors import InvalidInput, NotFound
from marketplace.tasks.tables import Claim
from marketplace.visits import rules
from marketplace.visits.schemas import VisitRead
from marketplace.visits.tables import Visit


async def issue(*, claim_id: int) -> str:
    """A new visit code for a claim (inside the claim's transaction)."""
    code = rules.new_code()
    await db.insert(Visit, claim=claim_id, code=code, issued_at=datetime.now(UTC))
    return code


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


async def coming(*, volunteer_id: int, partner_unit: int | None) -> tuple[str, str]:
    """Who is coming, in one query: the volunteer's name and the unit they come from (the
    partner unit they claimed for, else one they belong to, else "": an individual)."""
    rows = await db.raw(
        "SELECT p.name, COALESCE("
        "(SELECT u.name FROM partner_unit u WHERE u.id = {}), "
        "(SELECT u.name FROM partner_member m JOIN partner_unit u ON u.id = m.unit "
        "WHERE m.person = p.id ORDER BY m.id LIMIT 1), '') AS unit "
        "FROM person p WHERE p.id = {}",
        partner_unit,
        volunteer_id,
    )
    return (rows[0]["name"], rows[0]["unit"]) if rows else ("", "")


async def who_is_coming(*, claim: dict, wanted_by: str | None, with_code: bool) -> VisitRead:
    """The volunteer's name and unit and, for the resident's side, the visit code."""
    name, unit = await coming(volunteer_id=claim["volunteer"], partner_unit=claim["partner_unit"])
    visit = await Visit.select().where(Visit.claim == claim["id"]).first()
    return VisitRead(
        volunteer_name=name,
        unit=unit,
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
