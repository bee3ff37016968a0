"""The public board: only masked, coarse facts leave the server."""

from __future__ import annotations

from datetime import datetime

from marketplace.schemas import Output


class AnnouncementRead(Output):
    wish_id: int
    category: str
    community_id: int
    community_name: str
    resident_name: str
    rating: int | None
    hours: float | None
    announced_at: datetime | None


class CommunityTotals(Output):
    community_id: int
    community_name: str
    wishes_met: int
    hours: float
    mean_rating: float | None


class ProjectAnnouncementRead(Output):
    project_id: int
    title: str
    community_id: int
    community_name: str
    status: str
    rating: int | None
    announced_at: datetime | None


class BoardRead(Output):
    announcements: list[AnnouncementRead]
    totals: list[CommunityTotals]
    projects: list[ProjectAnnouncementRead]
