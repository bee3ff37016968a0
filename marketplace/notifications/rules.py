"""Pure decisions about notices: who hears of a wish's step, and how a stored notice reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from marketplace.messages import render

# China keeps one time with no summer time: Beijing time (Asia/Shanghai) is UTC+8 all year.
BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")


# The event each notice code tells of (past-tense `domain.verb`, for clients that filter).
KINDS: dict[str, str] = {
    "notice_wish_to_review": "wish.submitted",
    "notice_wish_published": "wish.published",
    "notice_wish_rejected": "wish.rejected",
    "notice_wish_claimed": "wish.claimed",
    "notice_wish_dispatched": "wish.dispatched",
    "notice_wish_fulfilled": "wish.fulfilled",
    "notice_wish_released": "wish.released",
    "notice_wish_reopened": "wish.reopened",
    "notice_task_dispatched": "dispatch.received",
    "notice_task_lapsed": "dispatch.lapsed",
    "notice_dispatch_lapsed": "dispatch.lapsed",
    "notice_task_released": "claim.released",
    "notice_task_confirmed": "service.confirmed",
    "notice_claim_stale": "claim.stale",
    "notice_run_proposed": "matching_run.proposed",
    "notice_run_failed": "matching_run.failed",
}


def beijing(at: datetime, fmt: str = "%m-%d %H:%M") -> str:
    """A stored instant shown as people in China read the clock."""
    aware = at if at.tzinfo else at.replace(tzinfo=UTC)
    return aware.astimezone(BEIJING).strftime(fmt)


def phrase(code: str, **params: Any) -> dict:
    """A param that is itself a message, rendered in the reader's language."""
    return {"code": code, "params": params}


def instant(at: datetime) -> dict:
    """A param that is an instant, rendered in Beijing time."""
    aware = at if at.tzinfo else at.replace(tzinfo=UTC)
    return {"time": aware.astimezone(UTC).isoformat()}


def render_params(params: dict, lang: str) -> dict:
    """Params with their phrases and instants turned into words of `lang`."""
    out = {}
    for key, value in params.items():
        if isinstance(value, dict) and "code" in value:
            out[key] = render(value["code"], lang, render_params(value.get("params", {}), lang))
        elif isinstance(value, dict) and "time" in value:
            out[key] = beijing(datetime.fromisoformat(value["time"]))
        else:
            out[key] = value
    return out


def text(code: str, params: dict, lang: str, fallback: str = "") -> str:
    """A stored notice in the reader's language (old notices without a code keep their text)."""
    if not code:
        return fallback
    return render(code, lang, render_params(params, lang), fallback)


@dataclass(frozen=True)
class Reader:
    """One person told of a wish's step, and how the wish is named for them."""

    person_id: int
    wish: dict


def wish_readers(
    *, resident_id: int, posted_by_id: int, resident_name: str, title: str, actor_id: int | None
) -> list[Reader]:
    """The resident and whoever posted the wish for them, except the person who acted: the
    resident reads "your wish", the grid worker "the wish you posted for 林秀兰"."""
    readers = [Reader(resident_id, phrase("notice_wish_yours", title=title))]
    if posted_by_id != resident_id:
        readers.append(
            Reader(posted_by_id, phrase("notice_wish_for", resident=resident_name, title=title))
        )
    return [r for r in readers if r.person_id != actor_id]
