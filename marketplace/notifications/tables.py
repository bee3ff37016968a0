"""A stored inbox per person."""

from piccolo.columns import ForeignKey, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from marketplace.accounts.tables import Person


class Notification(Table):
    id: Serial  # the primary key Piccolo adds, declared for the type checker
    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=40)
    title = Varchar(length=200)
    body = Text(default="")
    link = Varchar(length=200, default="")
    created_at = Timestamptz()
    read_at = Timestamptz(null=True, default=None)
