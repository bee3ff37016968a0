from __future__ import annotations

from datetime import datetime

from marketplace.schemas import Output


class NotificationRead(Output):
    id: int
    kind: str
    title: str
    body: str
    link: str
    created_at: datetime
    read: bool
