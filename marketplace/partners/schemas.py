"""Partner schemas: the contact's phone leaves the server only for members and coordinators."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from marketplace.partners.rules import PartnerKind
from marketplace.schemas import Id, Input, Lat, Lng, LongText, Output

Tag = Annotated[str, msgspec.Meta(min_length=1, max_length=30)]


class PartnerCreate(Input):
    """组织备案: register a partner unit, or yourself as a skilled resident (kind skilled_resident)."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    kind: PartnerKind
    sub_district_id: Id
    contact_name: Annotated[str, msgspec.Meta(min_length=1, max_length=50)]
    contact_phone: Annotated[str, msgspec.Meta(max_length=20)]
    services: Annotated[list[Tag], msgspec.Meta(max_length=20)] = []
    skills: Annotated[list[Tag], msgspec.Meta(max_length=20)] = []
    communities: Annotated[list[Id], msgspec.Meta(max_length=50)] = []
    lat: Lat | None = None
    lng: Lng | None = None
    radius_m: Annotated[int, msgspec.Meta(ge=100, le=50_000)] | None = None
    people: Annotated[int, msgspec.Meta(ge=1, le=10_000)] = 1
    weekly_hours: Annotated[float, msgspec.Meta(ge=0, le=10_000)] = 0.0


class ReasonInput(Input):
    reason: LongText = ""


class MemberAdd(Input):
    phone: Annotated[str, msgspec.Meta(max_length=20)]


class PartnerRead(Output):
    id: int
    name: str
    kind: str
    sub_district_id: int
    services: list[str]
    skills: list[str]
    communities: list[int]
    people: int
    weekly_hours: float
    status: str
    created_at: datetime
    is_member: bool
    contact_name: str | None = None
    contact_phone: str | None = None
    status_reason: str | None = None
    lat: float | None = None
    lng: float | None = None
    radius_m: int | None = None
    members: list[int] | None = None


class InvitationRead(Output):
    """An invitation waiting for its invitee's answer (the inviter's name masked)."""

    id: int
    unit_id: int
    unit_name: str
    invited_by: str
    created_at: datetime
