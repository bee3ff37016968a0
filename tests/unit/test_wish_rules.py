"""Every allowed and every refused transition of the wish state machine, and the other rules."""

from __future__ import annotations

import itertools

import pytest

from marketplace.accounts.rules import Actor, Role, RoleScope
from marketplace.errors import Conflict, InvalidInput
from marketplace.wishes import rules
from marketplace.wishes.rules import View, WishAction, WishStatus

ALLOWED = {
    (WishAction.PUBLISH, WishStatus.SUBMITTED): WishStatus.PUBLISHED,
    (WishAction.REJECT, WishStatus.SUBMITTED): WishStatus.REJECTED,
    (WishAction.CANCEL, WishStatus.SUBMITTED): WishStatus.CANCELLED,
    (WishAction.CANCEL, WishStatus.PUBLISHED): WishStatus.CANCELLED,
    (WishAction.CLAIM, WishStatus.PUBLISHED): WishStatus.CLAIMED,
    (WishAction.RELEASE, WishStatus.CLAIMED): WishStatus.PUBLISHED,
    (WishAction.FULFIL, WishStatus.CLAIMED): WishStatus.FULFILLED,
    (WishAction.CONFIRM, WishStatus.FULFILLED): WishStatus.CONFIRMED,
    (WishAction.REOPEN, WishStatus.FULFILLED): WishStatus.PUBLISHED,
    (WishAction.ANNOUNCE, WishStatus.CONFIRMED): WishStatus.ANNOUNCED,
}
ALL = list(itertools.product(WishAction, WishStatus))


@pytest.mark.parametrize(("action", "status"), list(ALLOWED))
def test_allowed(action, status):
    assert rules.next_status(action, status) is ALLOWED[(action, status)]


@pytest.mark.parametrize(("action", "status"), [p for p in ALL if p not in ALLOWED])
def test_refused_says_why(action, status):
    with pytest.raises(Conflict) as err:
        rules.next_status(action, status)
    assert err.value.status_code == 409
    assert err.value.code == f"wish_is_{status.value}"
    assert err.value.params == {"action": action.value}


def test_table_is_exactly_the_allowed_set():
    assert dict(rules.TRANSITIONS) == ALLOWED


def test_priority_groups_need_consent():
    with pytest.raises(InvalidInput, match="consent"):
        rules.check_priority_groups(["disabled"], consent=False)
    assert rules.check_priority_groups(["disabled", "disabled", "child"], True) == [
        "disabled",
        "child",
    ]
    assert rules.check_priority_groups([], consent=False) == []
    with pytest.raises(InvalidInput, match="Unknown priority group"):
        rules.check_priority_groups(["birthdate"], consent=True)


def test_negative_list_hits():
    hits = rules.negative_list_hits(
        "请帮我转账两千现金", {"cash": ("现金", "转账"), "x": ("赌博",)}
    )
    assert [(h.code, h.words) for h in hits] == [("cash", ("现金", "转账"))]
    assert rules.negative_list_hits("修水龙头", {"cash": ("现金",)}) == []


def test_rating_bounds():
    assert rules.check_rating(1) == 1 and rules.check_rating(5) == 5
    for bad in (0, 6, -1):
        with pytest.raises(InvalidInput):
            rules.check_rating(bad)


def _actor(pid, *roles):
    return Actor(person_id=pid, name="x", roles=tuple(roles))


def _view(actor, status=WishStatus.PUBLISHED, assignee=None, vol_comms=()):
    return rules.view_for(
        actor,
        resident_id=1,
        posted_by_id=2,
        assignee_id=assignee,
        community_id=10,
        sub_district_id=100,
        status=status,
        volunteer_communities=vol_comms,
    )


def test_views():
    assert _view(_actor(1)) is View.FULL  # the resident
    assert _view(_actor(2)) is View.FULL  # the poster
    assert _view(_actor(3), assignee=3) is View.FULL  # the active assignee
    assert _view(_actor(4, RoleScope(Role.COORDINATOR, 10))) is View.FULL
    assert _view(_actor(4, RoleScope(Role.COORDINATOR, None, 100))) is View.FULL  # sub-district
    assert _view(_actor(4, RoleScope(Role.COORDINATOR, 11))) is View.NONE  # other community
    assert _view(_actor(5, RoleScope(Role.GRID_WORKER, 10))) is View.MASKED
    vol = _actor(6, RoleScope(Role.VOLUNTEER, 10))
    assert _view(vol, vol_comms=[10]) is View.MASKED
    assert _view(vol, status=WishStatus.SUBMITTED, vol_comms=[10]) is View.NONE
    assert _view(vol, vol_comms=[11]) is View.NONE
    assert _view(_actor(7)) is View.NONE
