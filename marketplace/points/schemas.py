from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from marketplace.schemas import Id, Input, LongText, Output, ShortText


class LedgerEntryRead(Output):
    delta: int
    reason: str
    at: datetime


class PointsRead(Output):
    balance: int
    entries: list[LedgerEntryRead]


class ItemCreate(Input):
    community_id: Id
    name: ShortText
    price: Annotated[int, msgspec.Meta(ge=1, le=1_000_000)]
    stock: Annotated[int, msgspec.Meta(ge=0, le=100_000)]
    description: LongText = ""


class RestockInput(Input):
    add: Annotated[int, msgspec.Meta(ge=0, le=100_000)] = 0
    price: Annotated[int, msgspec.Meta(ge=1, le=1_000_000)] | None = None


class ItemRead(Output):
    id: int
    community_id: int
    name: str
    description: str
    price: int
    stock: int


class RedemptionRead(Output):
    id: int
    item_id: int
    item_name: str
    person_id: int
    person_name: str
    points: int
    status: str
    created_at: datetime
