"""Creating and editing the organisation tree."""

from __future__ import annotations

from typing import Annotated

import msgspec

from marketplace.schemas import Id, Input, Lat, Lng, Output

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


class PlaceCreate(Input):
    """A sub-district, community, compound or building: its name, its parent and its point."""

    name: Name
    lat: Lat
    lng: Lng
    parent_id: Id | None = None  # the sub-district / community / compound it belongs to


class PlaceUpdate(Input):
    name: Name | None = None
    lat: Lat | None = None
    lng: Lng | None = None


class PlaceRead(Output):
    id: int
    level: str
    name: str
    parent_id: int | None
    lat: float
    lng: float


class PlacesImportRead(Output):
    """An .xlsx of compounds and buildings: what was added, what existed, every bad row."""

    compounds_added: int
    buildings_added: int
    unchanged: int
    errors: list[dict]
    dry_run: bool
