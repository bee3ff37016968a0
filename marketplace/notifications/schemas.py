from __future__ import annotations

from datetime import datetime

from marketplace.schemas import Input, Output


class NotificationRead(Output):
    """A notice: its code and params, and its text in the reader's language and Beijing time."""

    id: int
    kind: str
    code: str
    params: dict
    title: str
    body: str
    link: str
    created_at: datetime
    created_local: str
    read: bool


class PreferenceRead(Output):
    by_sms: bool
    has_phone: bool
    sms_available: bool


class PreferenceInput(Input):
    by_sms: bool


class UnreadRead(Output):
    unread: int
