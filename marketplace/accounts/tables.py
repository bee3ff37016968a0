"""People, their roles (each scoped to a community or sub-district) and volunteer profiles."""

from piccolo.columns import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from marketplace.org.tables import Building, Community, Compound, Grid, SubDistrict


class Person(Table):
    """One account per person. Residents without a phone are added by grid workers (no login)."""

    id: Serial  # the primary key Piccolo adds, declared for the type checker

    name = Varchar(length=50)
    phone = Varchar(length=20, null=True, default=None, unique=True)
    # secret: Piccolo Admin and any CRUD view leave it out of every answer
    password_hash = Varchar(length=200, null=True, default=None, secret=True)
    community = ForeignKey(references=Community, on_delete=OnDelete.restrict, null=True, index=True)
    compound = ForeignKey(references=Compound, on_delete=OnDelete.restrict, null=True)
    grid = ForeignKey(references=Grid, on_delete=OnDelete.restrict, null=True)
    address = Varchar(length=200, default="")
    lat = Float(null=True, default=None)
    lng = Float(null=True, default=None)
    created_at = Timestamptz()
    # raised whenever the password changes or the account closes: sessions carry the value they
    # were made with and die when it no longer matches
    credentials_epoch = Integer(default=0)
    closed_at = Timestamptz(null=True, default=None)


class RoleGrant(Table):
    """A role held by a person within a community or a sub-district (exactly one of the two)."""

    id: Serial  # the primary key Piccolo adds, declared for the type checker

    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, index=True)
    role = Varchar(length=20)
    community = ForeignKey(references=Community, on_delete=OnDelete.restrict, null=True)
    sub_district = ForeignKey(references=SubDistrict, on_delete=OnDelete.restrict, null=True)
    title = Varchar(length=50, default="")


class VolunteerProfile(Table):
    """What a volunteer offers: skills, home, weekly capacity and the farthest they will travel."""

    id: Serial  # the primary key Piccolo adds, declared for the type checker

    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, unique=True)
    kind = Varchar(length=30)
    skills = JSON(default=[])
    home_lat = Float()
    home_lng = Float()
    weekly_hours = Float(default=4.0)
    weekly_tasks = Integer(default=3)
    max_distance_m = Integer(default=3000)
    active = Boolean(default=True)
    # A committed weekly minimum (grid heads: 12 hours and 3 visits); 0 means none.
    committed_hours = Float(default=0.0)
    committed_visits = Integer(default=0)
    # Home chosen from the tree (its point is home_lat/lng), or None for the browser's location.
    home_compound = ForeignKey(references=Compound, on_delete=OnDelete.set_null, null=True)
    home_building = ForeignKey(references=Building, on_delete=OnDelete.set_null, null=True)


class LoginCode(Table):
    """A one-time code (验证码) sent by SMS: stored as a keyed hash, valid 5 minutes, 5 tries.

    The rows are also the per-phone send limits' memory (1 a minute, 10 a day), so they hold in
    every app process alike."""

    id: Serial  # the primary key Piccolo adds, declared for the type checker

    phone = Varchar(length=20, index=True)
    purpose = Varchar(length=20)
    code_hash = Varchar(length=64)
    created_at = Timestamptz()
    expires_at = Timestamptz()
    attempts = Integer(default=0)
    used = Boolean(default=False)
