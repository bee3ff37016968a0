"""上门核验 visit codes: a 4-digit code the resident checks at the door."""

from piccolo.columns import ForeignKey, Integer, OnDelete, Timestamptz, Varchar
from piccolo.table import Table

from marketplace.tasks.tables import Claim


class Visit(Table):
    """The visit code of one claim on a wish's task, and how the visit was checked.

    `checked_via` is "code" when the volunteer recorded the resident's code at fulfilment, or
    "grid_worker" when a grid worker confirmed the visit; empty while unchecked.
    """

    claim = ForeignKey(references=Claim, on_delete=OnDelete.cascade, unique=True)
    code = Varchar(length=4)
    issued_at = Timestamptz()
    checked_at = Timestamptz(null=True, default=None)
    checked_by = Integer(null=True, default=None)
    checked_via = Varchar(length=20, default="")
