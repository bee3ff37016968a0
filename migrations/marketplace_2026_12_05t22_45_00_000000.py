"""The feed's statement as a PostgreSQL function, planned once per connection.

The feed's statement (nearest-first over the GiST index on public points, then the first tasks
of each tied point at the edge distance through the tie index) took longer to plan on every
call than to run. A plpgsql function keeps its plan per connection, and `plan_cache_mode =
force_generic_plan` makes that one generic plan (the shape never depends on the values: the
index scans serve every centre, scope and filter). To change how the feed ranks, replace the
function in a new migration.

p_radius is the chord length of the radius (what `<->` on the earth points measures).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-05T22:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "feed function"

_FILTERS = """t.status = 'open'
      AND (t.community = ANY(p_communities)
           OR t.community IN (SELECT c.id FROM community c
                              WHERE c.sub_district = ANY(p_sub_districts)))
      AND (p_category IS NULL OR t.category = p_category)
      AND (p_skill IS NULL OR t.skills::jsonb ? p_skill)"""
_POINT = "lianxin_earth(t.public_lat, t.public_lng)"
_CENTRE = "lianxin_earth(p_lat, p_lng)"

PG = f"""
CREATE OR REPLACE FUNCTION lianxin_feed(
  p_lat float8, p_lng float8, p_communities int[], p_sub_districts int[],
  p_category text, p_skill text, p_limit int, p_radius float8)
RETURNS SETOF task LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $fn$
BEGIN
  RETURN QUERY
  WITH near AS (
    SELECT t.id, t.public_lat, t.public_lng, {_POINT} <-> {_CENTRE} AS d FROM task t
    WHERE {_FILTERS}
    ORDER BY {_POINT} <-> {_CENTRE}
    LIMIT p_limit
  ), edge AS (SELECT MAX(near.d) AS r FROM near),
  ties AS (
    SELECT x.id FROM (SELECT DISTINCT n.public_lat, n.public_lng FROM near n, edge
                      WHERE n.d = edge.r) p
    CROSS JOIN LATERAL (
      SELECT t.id FROM task t
      WHERE t.public_lat = p.public_lat AND t.public_lng = p.public_lng AND {_FILTERS}
      ORDER BY t.priority DESC, t.id
      LIMIT p_limit
    ) x
  ),
  chosen AS (SELECT n.id FROM near n, edge WHERE n.d < edge.r UNION SELECT ties.id FROM ties)
  SELECT t.* FROM task t
  WHERE t.id IN (SELECT chosen.id FROM chosen) AND {_POINT} <-> {_CENTRE} <= p_radius
  ORDER BY {_POINT} <-> {_CENTRE}, t.priority DESC, t.id
  LIMIT p_limit;
END
$fn$"""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="marketplace", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        if engine.engine_type == "postgres":
            await engine.run_ddl(PG)

    manager.add_raw(run)
    return manager
