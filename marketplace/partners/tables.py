"""幸福合伙人 partners: partner units (组织备案) and skilled residents (治理能人) registered as
individual partners, and the people who act for them."""

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
from marketplace.org.tables import SubDistrict


class PartnerUnit(Table):
    """A registered partner: pending until a coordinator certifies it; only certified ones take tasks."""

    id: Serial  # the primary key Piccolo adds, declared for the type checker

    name = Varchar(length=100)
    kind = Varchar(length=30)
    sub_district = ForeignKey(references=SubDistrict, on_delete=OnDelete.restrict, index=True)
    contact_name = Varchar(length=50)
    contact_phone = Varchar(length=20)
    services = JSON(default=[])
    skills = JSON(default=[])
    communities = JSON(default=[])  # service area as community ids, or
    lat = Float(null=True, default=None)  # a point and a radius
    lng = Float(null=True, default=None)
    radius_m = Integer(null=True, default=None)
    people = Integer(default=1)
    weekly_hours = Float(default=0.0)
    status = Varchar(length=20, default="pending", index=True)
    status_reason = Text(default="")
    registered_by = ForeignKey(references=Person, on_delete=OnDelete.restrict)
    created_at = Timestamptz()


class PartnerMember(Table):
    """A person linked to a partner unit, who can act for it."""

    id: Serial  # the primary key Piccolo adds, declared for the type checker

    unit = ForeignKey(references=PartnerUnit, on_delete=OnDelete.cascade, index=True)
    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, index=True)
    role = Varchar(length=20, default="member")


class PartnerInvitation(Table):
    """A member's invitation to a registered person; they join the unit only when they accept
    (no one is added without asking, and the inviter never learns whether the phone is
    registered)."""

    id: Serial  # the primary key Piccolo adds, declared for the type checker

    unit = ForeignKey(references=PartnerUnit, on_delete=OnDelete.cascade, index=True)
    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, index=True)
    invited_by = ForeignKey(references=Person, on_delete=OnDelete.cascade)
    status = Varchar(length=20, default="pending", index=True)  # pending, accepted, declined
    created_at = Timestamptz()
    answered_at = Timestamptz(null=True, default=None)
