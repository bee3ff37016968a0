"""雷锋超市 points: earned by confirmed service, spent in the community's store; never negative,
and of two redemptions racing for the last item or the last points exactly one wins."""

from __future__ import annotations

from datetime import UTC, datetime

from piccolo.query.functions.aggregate import Sum

from marketplace.accounts.rules import Actor
from marketplace.audit import service as audit
from marketplace.db import atomic
from marketplace.errors import Conflict, NotFound
from marketplace.org import service as org
from marketplace.points import rules
from marketplace.points.schemas import (
    ItemCreate,
    ItemRead,
    LedgerEntryRead,
    PointsRead,
    RedemptionRead,
    RestockInput,
)
from marketplace.points.tables import PointsAccount, PointsEntry, Redemption, StoreItem
from marketplace.settings import Settings
from marketplace.tasks import service as tasks


async def balance(person_id: int) -> int:
    row = (
        await PointsEntry.select(Sum(PointsEntry.delta, alias="total"))
        .where(PointsEntry.person == person_id)
        .first()
    )
    return int(row["total"] or 0) if row else 0


async def _account(person_id: int) -> None:
    """The person's account row; two first earnings or spendings at once both find it made."""
    await PointsAccount.insert(PointsAccount(person=person_id)).on_conflict(
        target=PointsAccount.person, action="DO NOTHING"
    )


async def earn(
    *, person_id: int, hours: float, priority: bool, claim_id: int, settings: Settings
) -> int:
    """Credit confirmed service (inside the confirming transaction)."""
    points = rules.points_for(
        hours,
        priority=priority,
        per_hour=settings.points_per_hour,
        priority_bonus=settings.points_priority_bonus,
    )
    await _account(person_id)
    await PointsEntry(
        person=person_id, delta=points, reason="service", claim=claim_id, at=datetime.now(UTC)
    ).save()
    return points


async def mine(*, actor: Actor) -> PointsRead:
    rows = (
        await PointsEntry.select()
        .where(PointsEntry.person == actor.person_id)
        .order_by(PointsEntry.id, ascending=False)
        .limit(200)
    )
    return PointsRead(
        balance=await balance(actor.person_id),
        entries=[LedgerEntryRead(delta=r["delta"], reason=r["reason"], at=r["at"]) for r in rows],
    )


def _item(r: dict) -> ItemRead:
    return ItemRead(
        id=r["id"],
        community_id=r["community"],
        name=r["name"],
        description=r["description"],
        price=r["price"],
        stock=r["stock"],
    )


async def add_item(*, actor: Actor, data: ItemCreate) -> ItemRead:
    if not await org.coordinates_community(actor, data.community_id):
        raise NotFound("No such community.", code="community_not_found", field="community_id")
    item = StoreItem(
        community=data.community_id,
        name=data.name,
        description=data.description,
        price=data.price,
        stock=data.stock,
        created_at=datetime.now(UTC),
    )
    async with atomic():
        await item.save()
        await audit.record(
            actor_id=actor.person_id,
            action="store_item.added",
            object_type="store_item",
            object_id=item.id,
        )
    row = await StoreItem.select().where(StoreItem.id == item.id).first()
    assert row is not None  # saved above
    return _item(row)


async def restock(*, actor: Actor, item_id: int, data: RestockInput) -> ItemRead:
    """A coordinator adds stock (or changes the price); an increment, so racing redemptions
    are never undone."""
    row = await StoreItem.select(StoreItem.community).where(StoreItem.id == item_id).first()
    if row is None or not await org.coordinates_community(actor, row["community"]):
        raise NotFound("No such item.", code="points_item_not_found")
    values: dict = {StoreItem.stock: StoreItem.stock + data.add}
    if data.price is not None:
        values[StoreItem.price] = data.price
    async with atomic():
        await StoreItem.update(values).where(StoreItem.id == item_id)
        await audit.record(
            actor_id=actor.person_id,
            action="store_item.restocked",
            object_type="store_item",
            object_id=item_id,
            added=data.add,
            price=data.price,
        )
    row = await StoreItem.select().where(StoreItem.id == item_id).first()
    assert row is not None  # updated above
    return _item(row)


async def store(*, actor: Actor, community_id: int) -> list[ItemRead]:
    """The community's store, for its volunteers and coordinators."""
    allowed = await org.coordinates_community(
        actor, community_id
    ) or community_id in await tasks.volunteer_communities(actor)
    if not allowed:
        raise NotFound("No such community.", code="community_not_found", field="community_id")
    rows = (
        await StoreItem.select()
        .where(StoreItem.community == community_id)
        .order_by(StoreItem.price)
    )
    return [_item(r) for r in rows]


async def redeem(*, actor: Actor, item_id: int) -> RedemptionRead:
    """Spend points on an item. Updating the person's account row first serialises their own
    redemptions (on PostgreSQL it takes the row lock; SQLite runs one writer at a time)."""
    item = await StoreItem.select().where(StoreItem.id == item_id).first()
    if item is None or item["community"] not in await tasks.volunteer_communities(actor):
        raise NotFound("No such item.", code="points_item_not_found")
    async with atomic():
        await _account(actor.person_id)
        await PointsAccount.update({PointsAccount.touched: PointsAccount.touched + 1}).where(
            PointsAccount.person == actor.person_id
        )
        taken = (
            await StoreItem.update({StoreItem.stock: StoreItem.stock - 1})
            .where((StoreItem.id == item_id) & (StoreItem.stock > 0))
            .returning(StoreItem.price)
        )
        if not taken:
            raise Conflict("This item is out of stock.", code="points_out_of_stock")
        price = taken[0]["price"]  # the price on the row just taken; a refusal below undoes it
        rules.check_redeem(await balance(actor.person_id), price)
        redemption = Redemption(
            item=item_id,
            person=actor.person_id,
            points=price,
            status="pending",
            created_at=datetime.now(UTC),
        )
        await redemption.save()
        await PointsEntry(
            person=actor.person_id,
            delta=-price,
            reason="redemption",
            redemption=redemption.id,
            at=datetime.now(UTC),
        ).save()
    return (await _redemptions([Redemption.id == redemption.id]))[0]


async def _redemptions(where: list) -> list[RedemptionRead]:
    query = Redemption.select(
        *Redemption.all_columns(),
        Redemption.item.name.as_alias("item_name"),
        Redemption.person.name.as_alias("person_name"),
    )
    for clause in where:
        query = query.where(clause)
    rows = await query.order_by(Redemption.id)
    return [
        RedemptionRead(
            id=r["id"],
            item_id=r["item"],
            item_name=r["item_name"],
            person_id=r["person"],
            person_name=r["person_name"],
            points=r["points"],
            status=r["status"],
            created_at=r["created_at"],
        )
        for r in rows
    ]


async def pending(*, actor: Actor, community_id: int) -> list[RedemptionRead]:
    if not await org.coordinates_community(actor, community_id):
        raise NotFound("No such community.", code="community_not_found", field="community_id")
    return await _redemptions(
        [Redemption.item.community == community_id, Redemption.status == "pending"]
    )


async def hand_over(*, actor: Actor, redemption_id: int) -> RedemptionRead:
    """A coordinator hands the item over."""
    row = (
        await Redemption.select(Redemption.id, Redemption.item.community.as_alias("community"))
        .where(Redemption.id == redemption_id)
        .first()
    )
    if row is None or not await org.coordinates_community(actor, row["community"]):
        raise NotFound("No such redemption.", code="points_redemption_not_found")
    async with atomic():
        done = (
            await Redemption.update(
                {
                    Redemption.status: "handed_over",
                    Redemption.handed_over_by: actor.person_id,
                    Redemption.handed_over_at: datetime.now(UTC),
                }
            )
            .where((Redemption.id == redemption_id) & (Redemption.status == "pending"))
            .returning(Redemption.id)
        )
        if not done:
            raise Conflict("This item was already handed over.", code="points_already_handed_over")
        await audit.record(
            actor_id=actor.person_id,
            action="redemption.handed_over",
            object_type="redemption",
            object_id=redemption_id,
        )
    return (await _redemptions([Redemption.id == redemption_id]))[0]
