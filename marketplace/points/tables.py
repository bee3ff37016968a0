"""雷锋超市 points: a ledger per person, and each community's store."""

from piccolo.columns import ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from marketplace.accounts.tables import Person
from marketplace.org.tables import Community


class PointsAccount(Table):
    """One row per person: its update serialises that person's spending (the balance itself is
    always the ledger's sum)."""

    id: Serial  # the primary key Piccolo adds, declared for the type checker

    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, unique=True)
    touched = Integer(default=0)


class PointsEntry(Table):
    """Every earning (+) and spending (−) is a row."""

    id: Serial  # the primary key Piccolo adds, declared for the type checker

    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, index=True)
    delta = Integer()
    reason = Varchar(length=40)
    claim = Integer(null=True, default=None)
    redemption = Integer(null=True, default=None)
    at = Timestamptz()


class StoreItem(Table):
    id: Serial  # the primary key Piccolo adds, declared for the type checker
    community = ForeignKey(references=Community, on_delete=OnDelete.restrict, index=True)
    name = Varchar(length=100)
    description = Text(default="")
    price = Integer()
    stock = Integer(default=0)
    created_at = Timestamptz()


class Redemption(Table):
    """pending (the volunteer redeemed) → handed_over (a coordinator gave the item)."""

    id: Serial  # the primary key Piccolo adds, declared for the type checker

    item = ForeignKey(references=StoreItem, on_delete=OnDelete.restrict, index=True)
    person = ForeignKey(references=Person, on_delete=OnDelete.restrict, index=True)
    points = Integer()
    status = Varchar(length=20, default="pending")
    created_at = Timestamptz()
    handed_over_by = Integer(null=True, default=None)
    handed_over_at = Timestamptz(null=True, default=None)
