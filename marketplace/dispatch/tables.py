"""派单 dispatch: matching runs, their proposals, and pairs a volunteer declined."""

from piccolo.columns import (
    JSON,
    Float,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from marketplace.accounts.tables import Person
from marketplace.tasks.tables import Task


class MatchingRun(Table):
    """One optimal matching of a community or sub-district.

    queued → running → proposed → committed | discarded, or failed. `active_scope` holds
    "community:3" while the run is queued or running and NULL after: its unique index lets the
    database refuse a second concurrent run of the same scope.
    """

    id: Serial  # the primary key Piccolo adds, declared for the type checker

    scope_kind = Varchar(length=20)
    scope_id = Integer()
    active_scope = Varchar(length=40, null=True, default=None, unique=True)
    requested_by = ForeignKey(references=Person, on_delete=OnDelete.restrict)
    options = JSON(default={})
    state = Varchar(length=20, default="queued", index=True)
    stage = Varchar(length=20, default="")
    progress = Float(default=0.0)
    attempts = Integer(default=0)
    error = Text(default="")
    summary = JSON(default={})
    baseline = JSON(default={})
    timings = JSON(default={})
    created_at = Timestamptz()
    heartbeat_at = Timestamptz(null=True, default=None)
    finished_at = Timestamptz(null=True, default=None)


class ProposedAssignment(Table):
    """One assignment the run proposes, with why it was chosen."""

    id: Serial  # the primary key Piccolo adds, declared for the type checker

    run = ForeignKey(references=MatchingRun, on_delete=OnDelete.cascade, index=True)
    task = ForeignKey(references=Task, on_delete=OnDelete.cascade)
    volunteer = ForeignKey(references=Person, on_delete=OnDelete.restrict)
    distance_m = Integer()
    load_h = Float()
    skills = JSON(default=[])
    next_best_volunteer = ForeignKey(references=Person, on_delete=OnDelete.set_null, null=True)
    extra_cost_m = Integer(null=True, default=None)
    # the words beside it: the familiar volunteer's bonus that chose this pair (0: none), and
    # how much farther the next best lives in plain metres (negative: nearer)
    continuity_bonus_m = Integer(default=0)
    next_best_more_m = Integer(null=True, default=None)
    status = Varchar(length=20, default="proposed")
    note = Text(default="")


class UnservedTask(Table):
    """A task the run could not serve, and why."""

    id: Serial  # the primary key Piccolo adds, declared for the type checker

    run = ForeignKey(references=MatchingRun, on_delete=OnDelete.cascade, index=True)
    task = ForeignKey(references=Task, on_delete=OnDelete.cascade)
    reason = Varchar(length=40)


class DeclinedPair(Table):
    """A volunteer declined (or let lapse) a dispatched task: never propose the pair again."""

    id: Serial  # the primary key Piccolo adds, declared for the type checker

    task = ForeignKey(references=Task, on_delete=OnDelete.cascade, index=True)
    volunteer = ForeignKey(references=Person, on_delete=OnDelete.cascade)
    at = Timestamptz()
