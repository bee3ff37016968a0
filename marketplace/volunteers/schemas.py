"""Volunteer applications, the home picker and role grants."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from marketplace.schemas import Id, Input, Lat, Lng, Output
from marketplace.volunteers.rules import ApplicationKind

Skill = Annotated[str, msgspec.Meta(max_length=30)]


class HomeInput(Input):
    """A home chosen by building or compound, or the browser's location (使用我的位置)."""

    compound_id: Id | None = None
    building_id: Id | None = None
    lat: Lat | None = None
    lng: Lng | None = None


class ApplicationCreate(Input):
    """申请成为志愿者: kind, skills, weekly capacity, home, and where to serve."""

    kind: ApplicationKind
    skills: list[Skill]
    weekly_hours: Annotated[float, msgspec.Meta(ge=0.5, le=80)] = 4.0
    weekly_tasks: Annotated[int, msgspec.Meta(ge=1, le=50)] = 3
    party_branch: Annotated[str, msgspec.Meta(max_length=100)] = ""
    community_id: Id | None = None  # default: the community the person lives in
    sub_district_wide: bool = False  # serve the whole sub-district (certified by the 街道)
    home: HomeInput | None = None


class ApplicationRead(Output):
    id: int
    person_id: int
    name: str
    kind: str
    party_branch: str
    skills: list[str]
    weekly_hours: float
    weekly_tasks: int
    community_id: int | None
    sub_district_id: int | None
    home_compound_id: int | None
    home_building_id: int | None
    status: str
    status_reason: str
    created_at: datetime
    decided_at: datetime | None
    phone: str | None = None  # only for the coordinators who decide


class ReasonInput(Input):
    reason: Annotated[str, msgspec.Meta(max_length=500)] = ""


class GrantCreate(Input):
    """Grant a grid worker or coordinator role to a registered person (by phone, in the body)."""

    phone: Annotated[str, msgspec.Meta(max_length=20)]
    role: Annotated[str, msgspec.Meta(max_length=20)]
    community_id: Id | None = None
    sub_district_id: Id | None = None
    title: Annotated[str, msgspec.Meta(max_length=50)] = ""


class GrantRead(Output):
    id: int
    person_id: int
    name: str
    role: str
    community_id: int | None
    sub_district_id: int | None
    title: str


class HomeRead(Output):
    lat: float
    lng: float
    compound_id: int | None
    building_id: int | None
