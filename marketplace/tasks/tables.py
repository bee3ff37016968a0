"""Tasks: what the market offers to volunteers (a published wish, later an opportunity slot)."""

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
from marketplace.org.tables import Community, Compound


class Task(Table):
    """One unit of work in the feed. `source`/`source_id` say what published it."""

    id: Serial  # the primary key Piccolo adds, declared for the type checker

    source = Varchar(length=20)
    source_id = Integer(index=True)
    community = ForeignKey(references=Community, on_delete=OnDelete.restrict, index=True)
    compound = ForeignKey(references=Compound, on_delete=OnDelete.restrict, null=True)
    title = Varchar(length=100)
    category = Varchar(length=30)
    skills = JSON(default=[])
    hours = Float(default=1.0)
    priority = Integer(default=0)
    lat = Float(index=True)
    lng = Float()
    # The public point (the compound's, else the task's snapped to ~200 m): the feed filters,
    # orders and reports distance on it alone, never on the resident's door. A spatial index
    # over the open tasks' public points serves the feed (see the migration "feed geo index").
    public_lat = Float(null=True, default=None)
    public_lng = Float(null=True, default=None)
    status = Varchar(length=20, default="open", index=True)
    created_at = Timestamptz()
    # Who answers for it (四级责任: agency party organisation, in-service party member,
    # sub-district, community) and its duty type from the configurable taxonomy.
    responsible_level = Varchar(length=30, default="community")
    duty_type = Varchar(length=40, default="")


class Claim(Table):
    """A volunteer's hold on a task (领单 claim, or 派单 dispatch).

    `active_task` equals the task id while the claim is active and is NULL afterwards; its unique
    index is the database's own guarantee that a task has at most one active assignee.
    """

    id: Serial  # the primary key Piccolo adds, declared for the type checker

    task = ForeignKey(references=Task, on_delete=OnDelete.cascade, index=True)
    volunteer = ForeignKey(references=Person, on_delete=OnDelete.restrict, index=True)
    active_task = Integer(null=True, default=None, unique=True)
    status = Varchar(length=20, default="active")
    via = Varchar(length=20, default="claim")
    hours = Float(null=True, default=None)
    note = Text(default="")
    claimed_at = Timestamptz()
    ended_at = Timestamptz(null=True, default=None)
    # 派单 dispatch: the volunteer accepts or declines by `respond_by`.
    respond_by = Timestamptz(null=True, default=None)
    accepted_at = Timestamptz(null=True, default=None)
    escalated_at = Timestamptz(null=True, default=None)
    # A member may claim for a certified partner unit; the service is then the unit's too.
    partner_unit = Integer(null=True, default=None, index=True)
    # The service record: who confirmed the hours (the resident, a grid worker or a coordinator).
    confirmed_at = Timestamptz(null=True, default=None)
    confirmed_by = Integer(null=True, default=None)
    # 圆梦 hours beyond the task's own need a coordinator's approval: `hours` holds what counts,
    # `requested_hours` what was reported, `hours_review` pending/approved/refused.
    requested_hours = Float(null=True, default=None)
    hours_review = Varchar(length=20, null=True, default=None)
