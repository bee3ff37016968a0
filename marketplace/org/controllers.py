"""The organisation tree and the configurable lists (categories, priority groups)."""

from __future__ import annotations

from litestar import Controller, get

from marketplace.core import vocabulary
from marketplace.org import service
from marketplace.settings import Settings
from marketplace.wishes.rules import PriorityGroup


class OrgController(Controller):
    path = "/org"
    tags = ["organisation"]

    @get("/tree", exclude_from_auth=True)
    async def tree(self) -> list[dict]:
        """Sub-districts → communities → compounds → grids, with points."""
        return await service.tree()

    @get("/config", exclude_from_auth=True)
    async def config(self, settings: Settings) -> dict:
        """Wish categories, priority groups and negative-list item codes; `vocabulary` gives
        every kind of code (categories, skills, duty types, responsible levels, priority groups,
        statuses...) with its zh-CN and en labels."""
        return {
            "categories": list(settings.categories),
            "priority_groups": [g.value for g in PriorityGroup],
            "negative_list": sorted(settings.negative_list),
            "vocabulary": vocabulary.served(settings.categories, settings.duty_types),
        }
