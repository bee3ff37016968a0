"""Who ran, committed, discarded, released or overrode what, and when."""

from piccolo.columns import JSON, ForeignKey, Integer, OnDelete, Serial, Timestamptz, Varchar
from piccolo.table import Table

from marketplace.accounts.tables import Person


class AuditEntry(Table):
    id: Serial  # the primary key Piccolo adds, declared for the type checker
    actor = ForeignKey(references=Person, on_delete=OnDelete.restrict, null=True)
    action = Varchar(length=40, index=True)
    object_type = Varchar(length=40)
    object_id = Integer()
    detail = JSON(default={})
    at = Timestamptz()
