"""Wish schemas. WishRead decides what leaves the server: masked unless the caller may see all."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from marketplace.schemas import Hours, Id, Input, Lat, Lng, LongText, Output, ShortText

Skill = Annotated[str, msgspec.Meta(min_length=1, max_length=30)]


class WishCreate(Input):
    """许愿. Leave resident_id out to wish for yourself; a grid worker gives the resident's id."""

    title: ShortText
    category: Annotated[str, msgspec.Meta(max_length=30)]
    description: LongText = ""
    resident_id: Id | None = None
    compound_id: Id | None = None
    grid_id: Id | None = None
    address: Annotated[str, msgspec.Meta(max_length=200)] = ""
    lat: Lat | None = None
    lng: Lng | None = None
    wanted_by: date | None = None
    hours: Hours = 1.0
    skills: Annotated[list[Skill], msgspec.Meta(max_length=10)] = []
    priority_groups: Annotated[list[str], msgspec.Meta(max_length=5)] = []
    priority_consent: bool = False


class PublishInput(Input):
    override_negative_list: bool = False
    note: LongText = ""
    responsible_level: str = "community"
    duty_type: str | None = None  # default: the duty type of the wish's category


class RejectInput(Input):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
    negative_list_code: Annotated[str, msgspec.Meta(max_length=30)] | None = None


class ConfirmInput(Input):
    rating: Annotated[int, msgspec.Meta(ge=1, le=5)]
    comment: LongText = ""


class ReasonInput(Input):
    reason: LongText = ""


class WishEventRead(Output):
    action: str
    from_status: str
    to_status: str
    actor_name: str
    note: str
    at: datetime


class WishRead(Output):
    id: int
    title: str
    description: str
    category: str
    status: str
    community_id: int
    compound_id: int
    wanted_by: date | None
    hours: float
    skills: list[str]
    priority: bool
    resident_name: str
    lat: float
    lng: float
    posted_on_behalf: bool
    assignee_name: str | None
    rating: int | None
    confirm_comment: str
    fulfilled_hours: float | None
    fulfil_note: str
    task_id: int | None
    created_at: datetime
    updated_at: datetime
    masked: bool
    # Only in the full view (resident, poster, assignee, the community's coordinators):
    resident_phone: str | None = None
    address: str | None = None
    priority_groups: list[str] | None = None
    reject_reason: str | None = None
    events: list[WishEventRead] | None = None


class NegativeListHitRead(Output):
    code: str
    words: list[str]


class ReviewRead(Output):
    wish: WishRead
    negative_list_hits: list[NegativeListHitRead]
