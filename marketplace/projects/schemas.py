"""Project (机会清单) schemas."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from marketplace.schemas import Id, Input, Lat, Lng, LongText, Output, ShortText

Skill = Annotated[str, msgspec.Meta(min_length=1, max_length=30)]


class SlotCreate(Input):
    """A role: how many people or units, the hours each (per week when `weeks` > 1), skills."""

    role: ShortText
    people: Annotated[int, msgspec.Meta(ge=1, le=200)] = 1
    hours: Annotated[float, msgspec.Meta(gt=0, le=500)] = 1.0
    weeks: Annotated[int, msgspec.Meta(ge=1, le=104)] = 1
    skills: Annotated[list[Skill], msgspec.Meta(max_length=10)] = []
    note: LongText = ""


class ProjectCreate(Input):
    title: ShortText
    scope_kind: Literal["community", "sub_district"]
    scope_id: Id
    community_id: Id
    slots: Annotated[list[SlotCreate], msgspec.Meta(min_length=1, max_length=30)]
    description: LongText = ""
    need: LongText = ""
    lat: Lat | None = None
    lng: Lng | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    responsible_level: str = "community"
    duty_type: str = "volunteering"


class EvaluateInput(Input):
    rating: Annotated[int, msgspec.Meta(ge=1, le=5)]
    evaluation: LongText = ""


class AssignInput(Input):
    """A coordinator assigns a slot's open task to a volunteer, or to a member acting for a unit."""

    volunteer_id: Id
    partner_unit_id: Id | None = None


class ConfirmServiceInput(Input):
    claim_ids: Annotated[list[Id], msgspec.Meta(min_length=1, max_length=500)]


class ClusterRead(Output):
    community_id: int
    category: str
    wish_ids: list[int]
    first: datetime
    last: datetime


class FromClusterInput(Input):
    community_id: Id
    category: str
    wish_ids: Annotated[list[Id], msgspec.Meta(min_length=2, max_length=200)]
    title: ShortText | None = None


class SlotRead(Output):
    id: int
    role: str
    people: int
    hours: float
    weeks: int
    total_hours: float
    skills: list[str]
    note: str
    task_ids: list[int]
    filled: int


class ProjectRead(Output):
    id: int
    title: str
    description: str
    need: str
    scope_kind: str
    scope_id: int
    community_id: int
    lat: float
    lng: float
    starts_on: date | None
    ends_on: date | None
    responsible_level: str
    duty_type: str
    status: str
    rating: int | None
    evaluation: str
    created_at: datetime
    announced: bool
    slots: list[SlotRead]
    wish_ids: list[int]
