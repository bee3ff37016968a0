"""The coordinator dashboard's figures (read-only queries over the communities served)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

from marketplace.tasks.tables import Claim, Task
from marketplace.wishes.tables import Wish, WishEvent


def _week(at: datetime) -> str:
    monday = (at - timedelta(days=at.weekday())).date()
    return monday.isoformat()


async def figures(communities: list[int]) -> dict:
    """Wishes per week by status, fulfilment rate, days to fulfil, satisfaction, hours by level."""
    since = datetime.now(UTC) - timedelta(weeks=12)
    rows = await Wish.select(Wish.id, Wish.status, Wish.created_at, Wish.rating).where(
        Wish.community.is_in(communities or [-1]) & (Wish.created_at >= since)
    )
    weeks = sorted({_week(r["created_at"]) for r in rows})
    statuses = sorted({r["status"] for r in rows})
    per_week = {
        s: [sum(1 for r in rows if r["status"] == s and _week(r["created_at"]) == w) for w in weeks]
        for s in statuses
    }
    met = {"fulfilled", "confirmed", "announced"}
    closed_or_met = [r for r in rows if r["status"] not in ("submitted",)]
    rate = (
        round(sum(r["status"] in met for r in closed_or_met) / len(closed_or_met), 3)
        if closed_or_met
        else 0
    )
    fulfil = await WishEvent.select(WishEvent.wish, WishEvent.at).where(
        (WishEvent.action == "fulfil") & WishEvent.wish.is_in([r["id"] for r in rows] or [-1])
    )
    created = {r["id"]: r["created_at"] for r in rows}
    days: dict[str, list[float]] = defaultdict(list)
    for f in fulfil:
        days[_week(created[f["wish"]])].append(
            (f["at"] - created[f["wish"]]).total_seconds() / 86400
        )
    ratings = Counter(r["rating"] for r in rows if r["rating"])
    hours = await Claim.select(Claim.hours, Claim.task.responsible_level.as_alias("level")).where(
        (Claim.status == "fulfilled") & Claim.task.community.is_in(communities or [-1])
    )
    by_level: dict[str, float] = defaultdict(float)
    for h in hours:
        by_level[h["level"] or "community"] += float(h["hours"] or 0)
    return {
        "weeks": weeks,
        "per_week": per_week,
        "fulfilment_rate": rate,
        "days_to_fulfil": [
            round(sum(days[w]) / len(days[w]), 1) if days[w] else None for w in weeks
        ],
        "ratings": [ratings.get(i, 0) for i in range(1, 6)],
        "hours_by_level": {k: round(v, 1) for k, v in sorted(by_level.items())},
        "open_tasks": await Task.count().where(
            Task.community.is_in(communities or [-1]) & (Task.status == "open")
        ),
    }
