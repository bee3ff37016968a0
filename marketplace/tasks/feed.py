"""The task feed: open tasks nearest first, on the public point only, served by a spatial index.

Filter, order and reported distance all use the task's public point (the compound's point, or
the task's point snapped to ~200 m), never the resident's door: no sequence of feed requests can
reveal more than the public point the feed already shows (security issue 21, item 1).

PostgreSQL: one call of the function lianxin_feed, which returns the tasks with their
distances; a GiST index (cube) over the open tasks' public points serves the nearest-first order
with the LIMIT, and an index on (point, priority, id) the ties at the edge (migrations "feed geo
index", "feed tie index", "feed function", "feed function returns the distance").
SQLite: an R*Tree over the open tasks' public points, searched in growing rings until the
`limit` nearest are known, then the rows returned are read (JSON decoded for those alone).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import msgspec

from marketplace import db
from marketplace.accounts.rules import Actor, Role
from marketplace.db import engine
from marketplace.errors import Forbidden
from marketplace.geo import EARTH_RADIUS_M, bounding_box, haversine_m
from marketplace.privacy import coarse_distance
from marketplace.tasks.schemas import TaskRead
from marketplace.tasks.tables import Task

_COLUMNS = (
    "t.id, t.source, t.source_id, t.title, t.category, t.skills, t.hours, t.priority, "
    "t.community, t.compound, t.public_lat, t.public_lng, t.status, t.created_at"
)
FIRST_RING_M = 1_000  # SQLite: the first ring searched; it grows fourfold until `limit` are found

# The ranking lives in the PostgreSQL function lianxin_feed (migration "feed function"): the
# GiST index's nearest-first scan stops after `limit` rows; those nearer than the limit-th one's
# distance are all in the answer; at that edge distance, tasks sharing a public point (a
# compound's tasks share its point) are ranked by priority and id, reading only the first
# `limit` of each such point through the tie index. The cost does not grow with the tasks per
# compound nor with the open tasks in the area, and the plan is made once per connection.
_PG_FEED = (
    f"SELECT {_COLUMNS}, t.distance_m FROM lianxin_feed($1, $2, $3, $4, $5, $6, $7, $8) "
    "WITH ORDINALITY t ORDER BY t.ordinality"
)


def _scope(actor: Actor) -> tuple[list[int], list[int]]:
    """The volunteer's communities and sub-districts (a sub-district role covers all of its)."""
    scopes = actor.scopes(Role.VOLUNTEER)
    communities = sorted({s.community_id for s in scopes if s.community_id}) or [-1]
    sub_districts = sorted({s.sub_district_id for s in scopes if s.sub_district_id}) or [-1]
    return communities, sub_districts


def chord_m(radius_m: float) -> float:
    """The straight-line (chord) length of a great-circle arc: what the cube index measures."""
    return 2 * EARTH_RADIUS_M * math.sin(min(math.pi / 2, radius_m / (2 * EARTH_RADIUS_M)))


async def nearest(
    *,
    actor: Actor,
    lat: float,
    lng: float,
    radius_m: int,
    skill: str | None,
    category: str | None,
    limit: int,
) -> list[TaskRead]:
    """Open tasks within radius_m of (lat, lng) by public point, nearest first, then by priority
    (higher first) and id; at most `limit`, each with its coarse distance."""
    if not actor.has(Role.VOLUNTEER):
        raise Forbidden("Only volunteers browse the task feed.", code="tasks_feed_volunteers_only")
    communities, sub_districts = _scope(actor)
    if engine().engine_type == "postgres":
        args = (lat, lng, communities, sub_districts, category, skill, limit, chord_m(radius_m))
        # within the radius and measured by the function (great-circle metres)
        return [_read(r, r["distance_m"]) for r in await db.fetch_pg(_PG_FEED, *args)]
    rows = await _sqlite_nearest(
        lat, lng, radius_m, communities, sub_districts, skill, category, limit
    )
    return [_read(r, haversine_m(lat, lng, r["public_lat"], r["public_lng"])) for r in rows]


def _sqlite_filters(
    communities: list[int], sub_districts: list[int], skill: str | None, category: str | None
) -> tuple[str, list]:
    marks = ", ".join(["{}"] * len(communities))
    sub_marks = ", ".join(["{}"] * len(sub_districts))
    sql = (
        f" AND (t.community IN ({marks}) OR t.community IN "
        f"(SELECT c.id FROM community c WHERE c.sub_district IN ({sub_marks})))"
    )
    args: list = [*communities, *sub_districts]
    if category:
        sql += " AND t.category = {}"
        args.append(category)
    if skill:
        sql += " AND EXISTS (SELECT 1 FROM json_each(t.skills) s WHERE s.value = {})"
        args.append(skill)
    return sql, args


async def _sqlite_nearest(
    lat: float,
    lng: float,
    radius_m: int,
    communities: list[int],
    sub_districts: list[int],
    skill: str | None,
    category: str | None,
    limit: int,
) -> list[dict]:
    """Rings of growing radius over the R*Tree: all candidates of a ring within its radius are
    known, so once `limit` lie inside it they are the nearest `limit` overall."""
    where, args = _sqlite_filters(communities, sub_districts, skill, category)
    ring = float(min(radius_m, FIRST_RING_M))
    while True:
        min_lat, max_lat, min_lng, max_lng = bounding_box(lat, lng, ring)
        candidates = await Task.raw(
            "SELECT t.id, t.public_lat, t.public_lng, t.priority FROM task_open_geo g "
            "JOIN task t ON t.id = g.id WHERE g.min_lat >= {} AND g.max_lat <= {} "
            "AND g.min_lng >= {} AND g.max_lng <= {} AND t.status = 'open'" + where,
            min_lat,
            max_lat,
            min_lng,
            max_lng,
            *args,
        )
        ranked = sorted(
            (d, -c["priority"], c["id"])
            for c in candidates
            if (d := haversine_m(lat, lng, c["public_lat"], c["public_lng"])) <= ring
        )
        if len(ranked) >= limit or ring >= radius_m:
            break
        ring = min(float(radius_m), ring * 4)
    ids = [task_id for _, _, task_id in ranked[:limit]]
    if not ids:
        return []
    marks = ", ".join(["{}"] * len(ids))
    rows = await Task.raw(f"SELECT {_COLUMNS} FROM task t WHERE t.id IN ({marks})", *ids)
    order = {task_id: i for i, task_id in enumerate(ids)}
    return sorted(rows, key=lambda r: order[r["id"]])


def _read(row: Mapping[str, Any], distance: float) -> TaskRead:
    skills = row["skills"]
    return TaskRead(
        id=row["id"],
        source=row["source"],
        source_id=row["source_id"],
        title=row["title"],
        category=row["category"],
        skills=list(msgspec.json.decode(skills) if isinstance(skills, str | bytes) else skills),
        hours=row["hours"],
        priority=row["priority"] > 0,
        community_id=row["community"],
        compound_id=row["compound"],
        lat=row["public_lat"],
        lng=row["public_lng"],
        status=row["status"],
        created_at=row["created_at"],
        distance_m=coarse_distance(distance),
    )
