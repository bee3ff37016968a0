"""A stored inbox per person, and how each person wants to be told besides the inbox."""

from piccolo.columns import JSON, Boolean, ForeignKey, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from marketplace.accounts.tables import Person


class Notification(Table):
    """One notice: a message `code` and its `params`, rendered in the reader's language when read.

    `title`/`body` hold the text of notices stored before codes (shown as they are).
    """

    id: Serial  # the primary key Piccolo adds, declared for the type checker
    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=40)
    title = Varchar(length=200, default="")
    body = Text(default="")
    link = Varchar(length=200, default="")
    created_at = Timestamptz()
    read_at = Timestamptz(null=True, default=None)
    code = Varchar(length=60, default="")
    params = JSON(default={})


class NoticePreference(Table):
    """A person's choice to also be told by text message (SMS now, a WeChat template later)."""

    id: Serial  # the primary key Piccolo adds, declared for the type checker

    person = ForeignKey(references=Person, on_delete=OnDelete.cascade, unique=True)
    by_sms = Boolean(default=False)
    updated_at = Timestamptz()
