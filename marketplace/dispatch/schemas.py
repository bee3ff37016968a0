"""Matching-run schemas."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec

from marketplace.schemas import Id, Input, LongText, Output


class RunCreate(Input):
    scope_kind: Literal["community", "sub_district"]
    scope_id: Id
    fairness: bool = False
    continuity: bool = True
    time_limit_s: Annotated[float, msgspec.Meta(ge=1, le=300)] = 20.0


class RunRead(Output):
    id: int
    scope_kind: str
    scope_id: int
    state: str
    stage: str
    progress: float
    attempts: int
    error: str
    options: dict
    summary: dict
    baseline: dict
    timings: dict
    created_at: datetime
    finished_at: datetime | None
    # a queued run with no worker alive to take it (with REDIS_URL: start `make worker`)
    worker_missing: bool = False
    notice: str | None = None


class AssignmentRead(Output):
    id: int
    task_id: int
    task_title: str
    category: str
    priority: bool
    volunteer_id: int
    volunteer_name: str
    distance_m: int
    load_h: float
    skills_matched: list[str]
    next_best_volunteer_id: int | None
    next_best_volunteer_name: str | None
    extra_cost_m: int | None
    status: str
    note: str
    # in words: the familiar volunteer (老熟人) was kept; how much farther the next best lives
    # (plain metres, never the solver's cost); and the message code saying why not them
    continuity: bool = False
    next_best_more_m: int | None = None
    next_best_reason: str | None = None


class UnservedRead(Output):
    task_id: int
    task_title: str
    reason: str


class ProposalRead(Output):
    run: RunRead
    assignments: list[AssignmentRead]
    unserved: list[UnservedRead]


class CommitInput(Input):
    """Commit all assignments (omit assignment_ids) or only those listed."""

    assignment_ids: list[Id] | None = None


class CommitRead(Output):
    run: RunRead
    committed: list[int]
    skipped: list[dict]


class DeclineInput(Input):
    reason: LongText = ""


class StaleClaimRead(Output):
    claim_id: int
    task_id: int
    task_title: str
    volunteer_id: int
    volunteer_name: str
    claimed_at: datetime
    via: str
    escalated: bool
