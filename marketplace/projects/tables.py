"""机会清单 opportunity lists: projects, their slots, and the wishes a project answers."""

from piccolo.columns import (
    JSON,
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
from marketplace.org.tables import Community
from marketplace.wishes.tables import Wish


class Project(Table):
    """draft → recruiting → in_progress → completed → evaluated; announced once completed."""

    id: Serial  # the primary key Piccolo adds, declared for the type checker

    title = Varchar(length=100)
    description = Text(default="")
    need = Text(default="")
    scope_kind = Varchar(length=20)
    scope_id = Integer()
    community = ForeignKey(references=Community, on_delete=OnDelete.restrict, index=True)
    lat = Float()
    lng = Float()
    starts_on = Date(null=True, default=None)
    ends_on = Date(null=True, default=None)
    responsible_level = Varchar(length=30, default="community")
    duty_type = Varchar(length=40, default="")
    status = Varchar(length=20, default="draft", index=True)
    rating = Integer(null=True, default=None)
    evaluation = Text(default="")
    created_by = ForeignKey(references=Person, on_delete=OnDelete.restrict)
    created_at = Timestamptz()
    announced_at = Timestamptz(null=True, default=None)


class Slot(Table):
    """A role on a project: e.g. "2 electricians, 8 h", or "4 tutors, 2 h a week for 10 weeks"
    (hours is then per week). Each person or unit needed is one task."""

    id: Serial  # the primary key Piccolo adds, declared for the type checker

    project = ForeignKey(references=Project, on_delete=OnDelete.cascade, index=True)
    role = Varchar(length=100)
    skills = JSON(default=[])
    people = Integer(default=1)
    hours = Float(default=1.0)
    weeks = Integer(default=1)  # 1: a one-off; more: `hours` every week for this many weeks
    note = Text(default="")


class ProjectWish(Table):
    """A wish answered by a project (from one matter to a class of matters)."""

    id: Serial  # the primary key Piccolo adds, declared for the type checker

    project = ForeignKey(references=Project, on_delete=OnDelete.cascade, index=True)
    wish = ForeignKey(references=Wish, on_delete=OnDelete.cascade, unique=True)
