from __future__ import annotations

from datetime import datetime

from marketplace.schemas import Output


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
