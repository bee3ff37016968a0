from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from marketplace.schemas import Input, Output


class ServiceRead(Output):
    claim_id: int
    date: datetime
    task_id: int
    task_title: str
    source: str
    hours: float
    confirmed: bool
    confirmed_at: datetime | None
    partner_unit_id: int | None
    confirmed_by: str | None = None  # masked: 林**


class MonthTotal(Output):
    month: str
    services: int
    hours: float
    confirmed_hours: float


class RecordRead(Output):
    person_id: int
    name: str
    services: list[ServiceRead]
    months: list[MonthTotal]
    total_hours: float
    confirmed_hours: float


class CommitmentRead(Output):
    person_id: int
    name: str
    committed_hours: float
    committed_visits: int
    hours_this_week: float
    visits_this_week: int


class ResponsibilityRow(Output):
    key: str
    tasks: int
    fulfilled: int
    rate: float


class ResponsibilityRead(Output):
    by_level: list[ResponsibilityRow]
    by_duty_type: list[ResponsibilityRow]


class CommitmentInput(Input):
    """A weekly minimum (grid heads: 12 hours and 3 visits); zeros remove it."""

    hours: Annotated[float, msgspec.Meta(ge=0, le=80)]
    visits: Annotated[int, msgspec.Meta(ge=0, le=50)]
