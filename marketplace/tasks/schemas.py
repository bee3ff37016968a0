"""Task schemas: the feed shows a coarse place; the assignee alone gets the contact."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from marketplace.schemas import Input, LongText, Output


class ContactRead(Output):
    name: str
    phone: str | None
    address: str
    lat: float
    lng: float


class TaskRead(Output):
    id: int
    source: str
    source_id: int
    title: str
    category: str
    skills: list[str]
    hours: float
    priority: bool
    community_id: int
    compound_id: int | None
    lat: float
    lng: float
    status: str
    created_at: datetime
    distance_m: int | None = None
    mine: bool = False
    contact: ContactRead | None = None


class ClaimRead(Output):
    id: int
    task: TaskRead
    status: str
    via: str
    claimed_at: datetime
    ended_at: datetime | None
    hours: float | None
    note: str
    respond_by: datetime | None = None
    accepted: bool = False
    requested_hours: float | None = None
    hours_review: str | None = None


class FulfilInput(Input):
    hours: Annotated[float, msgspec.Meta(gt=0, le=200, description="hours spent")]
    note: LongText = ""
    visit_code: Annotated[
        str, msgspec.Meta(max_length=20, description="the 4-digit code the resident showed")
    ] = ""


class HoursReviewInput(Input):
    approve: bool
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


class HoursReviewRead(Output):
    claim_id: int
    task_id: int
    requested_hours: float | None
    hours: float
    review: str
