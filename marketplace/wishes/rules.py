"""Pure rules of a wish's life: the state machine, the negative list, priority groups. No I/O."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from marketplace.accounts.rules import Actor
from marketplace.errors import Conflict, InvalidInput


class WishStatus(StrEnum):
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    CLAIMED = "claimed"
    FULFILLED = "fulfilled"
    CONFIRMED = "confirmed"
    ANNOUNCED = "announced"


class WishAction(StrEnum):
    PUBLISH = "publish"  # 收集发布, by a coordinator after review
    REJECT = "reject"
    CANCEL = "cancel"
    CLAIM = "claim"  # 领单 or 派单
    RELEASE = "release"
    FULFIL = "fulfil"  # 圆梦
    CONFIRM = "confirm"
    REOPEN = "reopen"
    ANNOUNCE = "announce"  # 公示


S, A = WishStatus, WishAction

# (action, from) -> to. Everything not listed is refused.
TRANSITIONS: Mapping[tuple[WishAction, WishStatus], WishStatus] = {
    (A.PUBLISH, S.SUBMITTED): S.PUBLISHED,
    (A.REJECT, S.SUBMITTED): S.REJECTED,
    (A.CANCEL, S.SUBMITTED): S.CANCELLED,
    (A.CANCEL, S.PUBLISHED): S.CANCELLED,
    (A.CLAIM, S.PUBLISHED): S.CLAIMED,
    (A.RELEASE, S.CLAIMED): S.PUBLISHED,
    (A.FULFIL, S.CLAIMED): S.FULFILLED,
    (A.CONFIRM, S.FULFILLED): S.CONFIRMED,
    (A.REOPEN, S.FULFILLED): S.PUBLISHED,
    (A.ANNOUNCE, S.CONFIRMED): S.ANNOUNCED,
}

_WHY_NOT: Mapping[WishAction, str] = {
    A.PUBLISH: "only a submitted wish can be published",
    A.REJECT: "only a submitted wish can be rejected",
    A.CANCEL: "a wish can be cancelled only before a volunteer has claimed it",
    A.CLAIM: "only a published wish that nobody holds can be claimed",
    A.RELEASE: "only a claimed wish that is not yet fulfilled can be released",
    A.FULFIL: "only a claimed wish can be marked fulfilled",
    A.CONFIRM: "only a fulfilled wish can be confirmed",
    A.REOPEN: "only a fulfilled wish that is not yet confirmed can be reopened",
    A.ANNOUNCE: "only a confirmed wish can be announced",
}


def next_status(action: WishAction, current: WishStatus) -> WishStatus:
    """The status after `action`, or Conflict (409) saying why the transition is refused."""
    target = TRANSITIONS.get((action, current))
    if target is None:
        raise Conflict(
            f"Cannot {action.value} this wish: it is {current.value}; {_WHY_NOT[action]}.",
            code=f"wish_is_{current.value}",
            action=action.value,
        )
    return target


class PriorityGroup(StrEnum):
    """重点群体. Never derived from a birth date: the resident (or grid worker) states it."""

    AGED_60_PLUS = "aged_60_plus"
    CHILD = "child"
    LOW_INCOME = "low_income"  # 低保户
    DISABLED = "disabled"  # 残疾人
    EMPTY_NEST = "empty_nest"  # 空巢老人


def check_priority_groups(groups: Iterable[str], consent: bool) -> list[str]:
    """Validated, de-duplicated groups; recording any requires the resident's explicit consent."""
    cleaned: list[str] = []
    for group in groups:
        try:
            value = PriorityGroup(group).value
        except ValueError:
            allowed = ", ".join(g.value for g in PriorityGroup)
            raise InvalidInput(
                f"Unknown priority group {group!r}; use one of: {allowed}.",
                code="wish_unknown_priority_group",
                field="priority_groups",
                group=group,
            ) from None
        if value not in cleaned:
            cleaned.append(value)
    if cleaned and not consent:
        raise InvalidInput(
            "Recording a priority group needs the resident's explicit consent "
            "(priority_consent: true): it is sensitive personal information.",
            code="wish_priority_consent_needed",
            field="priority_consent",
        )
    return cleaned


def priority_level(groups: Iterable[str]) -> int:
    """How many priority groups apply: 0 means none. Used to order the feed and the matching."""
    return len(set(groups))


@dataclass(frozen=True)
class NegativeListHit:
    """A negative-list item (负面清单) the wish's text touches, and the words that matched."""

    code: str
    words: tuple[str, ...]


def negative_list_hits(
    text: str, negative_list: Mapping[str, Iterable[str]]
) -> list[NegativeListHit]:
    """Which negative-list items the text matches (case-insensitive keyword search)."""
    lowered = text.lower()
    hits = []
    for code, keywords in negative_list.items():
        words = tuple(k for k in keywords if k.lower() in lowered)
        if words:
            hits.append(NegativeListHit(code=code, words=words))
    return hits


def check_rating(rating: int) -> int:
    """A satisfaction rating is a whole number from 1 to 5."""
    if not 1 <= rating <= 5:
        raise InvalidInput(
            "rating must be from 1 (not satisfied) to 5 (very satisfied).",
            code="wish_rating_range",
            field="rating",
        )
    return rating


class View(StrEnum):
    FULL = "full"
    MASKED = "masked"
    NONE = "none"


_VISIBLE_TO_VOLUNTEERS = {S.PUBLISHED, S.CLAIMED, S.FULFILLED, S.CONFIRMED, S.ANNOUNCED}


def view_for(
    actor: Actor,
    *,
    resident_id: int,
    posted_by_id: int,
    assignee_id: int | None,
    community_id: int,
    sub_district_id: int,
    status: WishStatus,
    volunteer_communities: Iterable[int] = (),
) -> View:
    """What this person may see of a wish: all of it, the masked view, or nothing (404).

    Full: the resident, the poster, the active assignee and the community's coordinators.
    Masked: the community's grid workers, and volunteers of the community once it is public.
    """
    if actor.person_id in (resident_id, posted_by_id, assignee_id):
        return View.FULL
    if actor.coordinates(community_id, sub_district_id):
        return View.FULL
    if actor.grid_worker_in(community_id, sub_district_id):
        return View.MASKED
    if status in _VISIBLE_TO_VOLUNTEERS and community_id in set(volunteer_communities):
        return View.MASKED
    return View.NONE


def may_confirm(actor: Actor, *, resident_id: int, community_id: int, sub_district_id: int) -> bool:
    """The resident confirms, or a grid worker (or coordinator) of the community on their behalf."""
    return (
        actor.person_id == resident_id
        or actor.grid_worker_in(community_id, sub_district_id)
        or actor.coordinates(community_id, sub_district_id)
    )
