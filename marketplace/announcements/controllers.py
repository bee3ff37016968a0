"""公示 the public board: no login, masked data only."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.datastructures import CacheControlHeader
from litestar.params import Parameter

from marketplace.announcements import service
from marketplace.announcements.schemas import BoardRead


class AnnouncementController(Controller):
    path = "/announcements"
    tags = ["announcements 公示"]

    @get("/", exclude_from_auth=True, cache_control=CacheControlHeader(max_age=60, public=True))
    async def board(
        self, community_id: int | None = None, limit: Annotated[int, Parameter(ge=1, le=200)] = 50
    ) -> BoardRead:
        return await service.board(community_id=community_id, limit=limit)
