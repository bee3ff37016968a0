"""Pure rules of points: what confirmed service earns, and whether a redemption may go ahead."""

from __future__ import annotations

from marketplace.errors import Conflict


def points_for(hours: float, *, priority: bool, per_hour: int, priority_bonus: float) -> int:
    """Points for confirmed hours: more for serving a priority group (重点群体)."""
    return int(round(hours * per_hour * (1 + (priority_bonus if priority else 0))))


def check_redeem(balance: int, price: int) -> None:
    """The balance may never go negative."""
    if balance < price:
        raise Conflict(
            f"Not enough points: you have {balance}, the item costs {price}.",
            code="points_not_enough",
            balance=balance,
            price=price,
        )
