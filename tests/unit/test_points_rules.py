"""雷锋超市 points rules: what confirmed service earns, and that no balance goes negative."""

from __future__ import annotations

import pytest

from marketplace.errors import Conflict
from marketplace.points import rules


@pytest.mark.parametrize(
    ("hours", "priority", "expected"),
    [(2.0, False, 20), (2.0, True, 30), (0.5, False, 5), (1.25, True, 19), (0.0, True, 0)],
)
def test_points_by_hours_with_a_priority_bonus(hours, priority, expected):
    assert rules.points_for(hours, priority=priority, per_hour=10, priority_bonus=0.5) == expected


def test_points_are_configurable():
    assert rules.points_for(3, priority=False, per_hour=4, priority_bonus=1.0) == 12
    assert rules.points_for(3, priority=True, per_hour=4, priority_bonus=1.0) == 24


@pytest.mark.parametrize(("balance", "price"), [(10, 10), (11, 10), (0, 0)])
def test_a_redemption_within_the_balance_goes_ahead(balance, price):
    rules.check_redeem(balance, price)


@pytest.mark.parametrize(("balance", "price"), [(9, 10), (0, 1), (-5, 0)])
def test_a_redemption_beyond_the_balance_is_refused_with_the_figures(balance, price):
    with pytest.raises(Conflict) as err:
        rules.check_redeem(balance, price)
    assert err.value.status_code == 409
    assert str(balance) in err.value.message and str(price) in err.value.message
