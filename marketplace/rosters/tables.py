"""What a roster import records beyond people and roles: residents' priority groups."""

from piccolo.columns import JSON, ForeignKey, OnDelete, Serial, Timestamptz
from piccolo.table import Table

from marketplace.accounts.tables import Person


class PriorityRecord(Table):
    """A resident's priority groups 重点群体 (一老一小, 低保户, 残疾人, 空巢老人), recorded only with
    their consent, and who recorded them (PIPL: sensitive personal information)."""

    id: Serial  # the primary key Piccolo adds, declared for the type checker

    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, unique=True)
    groups = JSON(default=[])
    recorded_by = ForeignKey(references=Person, on_delete=OnDelete.restrict, null=True)
    recorded_at = Timestamptz()
