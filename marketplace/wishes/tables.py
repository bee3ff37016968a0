"""微心愿 wishes and their timeline."""

from piccolo.columns import (
    JSON,
    Boolean,
    Date,
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
from marketplace.org.tables import Community, Compound, Grid


class Wish(Table):
    """A resident's small wish, possibly posted for them by a grid worker (代发)."""

    id: Serial  # the primary key Piccolo adds, declared for the type checker

    title = Varchar(length=100)
    description = Text(default="")
    category = Varchar(length=30)
    resident = ForeignKey(references=Person, on_delete=OnDelete.restrict, index=True)
    posted_by = ForeignKey(references=Person, on_delete=OnDelete.restrict)
    community = ForeignKey(references=Community, on_delete=OnDelete.restrict, index=True)
    compound = ForeignKey(references=Compound, on_delete=OnDelete.restrict)
    grid = ForeignKey(references=Grid, on_delete=OnDelete.restrict, null=True)
    address = Varchar(length=200, default="")
    lat = Float()
    lng = Float()
    wanted_by = Date(null=True, default=None)
    hours = Float(default=1.0)
    skills = JSON(default=[])
    priority_groups = JSON(default=[])
    priority_consent = Boolean(default=False)
    priority_recorded_by = ForeignKey(references=Person, on_delete=OnDelete.restrict, null=True)
    status = Varchar(length=20, default="submitted", index=True)
    reject_reason = Text(default="")
    fulfilled_hours = Float(null=True, default=None)
    fulfil_note = Text(default="")
    rating = Integer(null=True, default=None)
    confirm_comment = Text(default="")
    confirmed_by = ForeignKey(references=Person, on_delete=OnDelete.restrict, null=True)
    created_at = Timestamptz()
    updated_at = Timestamptz()
    announced_at = Timestamptz(null=True, default=None)


class WishEvent(Table):
    """One step of a wish's life: who moved it from which status to which, and why."""

    id: Serial  # the primary key Piccolo adds, declared for the type checker

    wish = ForeignKey(references=Wish, on_delete=OnDelete.cascade, index=True)
    action = Varchar(length=20)
    from_status = Varchar(length=20, default="")
    to_status = Varchar(length=20)
    actor = ForeignKey(references=Person, on_delete=OnDelete.restrict)
    note = Text(default="")
    at = Timestamptz()
