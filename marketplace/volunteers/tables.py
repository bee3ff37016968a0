"""Volunteer applications: a resident applies, a coordinator certifies, suspends or reinstates."""

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
from marketplace.org.tables import Building, Community, Compound, SubDistrict


class VolunteerApplication(Table):
    """One per person: what they offer and where they serve (a community, or the whole
    sub-district), with the certification state. Certification grants the volunteer role."""

    id: Serial  # the primary key Piccolo adds, declared for the type checker

    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, unique=True)
    kind = Varchar(length=30)
    party_branch = Varchar(length=100, default="")
    skills = JSON(default=[])
    weekly_hours = Float(default=4.0)
    weekly_tasks = Integer(default=3)
    community = ForeignKey(references=Community, on_delete=OnDelete.restrict, null=True, index=True)
    sub_district = ForeignKey(
        references=SubDistrict, on_delete=OnDelete.restrict, null=True, index=True
    )
    home_compound = ForeignKey(references=Compound, on_delete=OnDelete.restrict, null=True)
    home_building = ForeignKey(references=Building, on_delete=OnDelete.restrict, null=True)
    status = Varchar(length=20, default="pending", index=True)
    status_reason = Text(default="")
    decided_by = ForeignKey(references=Person, on_delete=OnDelete.restrict, null=True)
    created_at = Timestamptz()
    decided_at = Timestamptz(null=True, default=None)
