"""公示 announcements: the public board of fulfilled, confirmed wishes and community totals."""

from __future__ import annotations

from piccolo.query.functions.aggregate import Avg, Count, Sum

from marketplace.announcements.schemas import (
    AnnouncementRead,
    BoardRead,
    CommunityTotals,
    ProjectAnnouncementRead,
)
from marketplace.org.tables import Community
from marketplace.privacy import mask_name
from marketplace.projects.tables import Project
from marketplace.wishes.rules import WishStatus
from marketplace.wishes.tables import Wish

_MET = [WishStatus.CONFIRMED.value, WishStatus.ANNOUNCED.value]


async def board(*, community_id: int | None, limit: int) -> BoardRead:
    """Announced wishes, newest first, masked; and every community's totals of met wishes."""
    query = Wish.select(
        Wish.id,
        Wish.category,
        Wish.rating,
        Wish.fulfilled_hours,
        Wish.announced_at,
        Wish.community.id.as_alias("community_id"),
        Wish.community.name.as_alias("community_name"),
        Wish.resident.name.as_alias("resident_name"),
    ).where(Wish.status == WishStatus.ANNOUNCED.value)
    if community_id is not None:
        query = query.where(Wish.community == community_id)
    rows = await query.order_by(Wish.announced_at, ascending=False).limit(limit)
    return BoardRead(
        announcements=[
            AnnouncementRead(
                wish_id=r["id"],
                category=r["category"],
                community_id=r["community_id"],
                community_name=r["community_name"],
                resident_name=mask_name(r["resident_name"]),
                rating=r["rating"],
                hours=r["fulfilled_hours"],
                announced_at=r["announced_at"],
            )
            for r in rows
        ],
        totals=await _totals(community_id),
        projects=await _projects(community_id, limit),
    )


async def _projects(community_id: int | None, limit: int) -> list[ProjectAnnouncementRead]:
    """Completed projects announced like fulfilled wishes."""
    query = Project.select(
        Project.id,
        Project.title,
        Project.status,
        Project.rating,
        Project.announced_at,
        Project.community.id.as_alias("community_id"),
        Project.community.name.as_alias("community_name"),
    ).where(Project.announced_at.is_not_null())
    if community_id is not None:
        query = query.where(Project.community == community_id)
    rows = await query.order_by(Project.announced_at, ascending=False).limit(limit)
    return [
        ProjectAnnouncementRead(
            project_id=r["id"],
            title=r["title"],
            community_id=r["community_id"],
            community_name=r["community_name"],
            status=r["status"],
            rating=r["rating"],
            announced_at=r["announced_at"],
        )
        for r in rows
    ]


async def _totals(community_id: int | None) -> list[CommunityTotals]:
    query = (
        Wish.select(
            Wish.community.id.as_alias("community_id"),
            Count(Wish.id, alias="wishes_met"),
            Sum(Wish.fulfilled_hours, alias="hours"),
            Avg(Wish.rating, alias="mean_rating"),
        )
        .where(Wish.status.is_in(_MET))
        .group_by(Wish.community.id)
    )
    if community_id is not None:
        query = query.where(Wish.community == community_id)
    rows = await query
    names = {c["id"]: c["name"] for c in await Community.select(Community.id, Community.name)}
    return [
        CommunityTotals(
            community_id=r["community_id"],
            community_name=names.get(r["community_id"], ""),
            wishes_met=r["wishes_met"],
            hours=round(float(r["hours"] or 0), 1),
            mean_rating=round(float(r["mean_rating"]), 2) if r["mean_rating"] is not None else None,
        )
        for r in rows
    ]
