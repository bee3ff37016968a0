"""The feed function returns only the feed's columns and each task's distance.

Replaces lianxin_feed (migration "feed function", whose ranking is unchanged): it returned whole
task rows, which the app then narrowed to fourteen columns and measured again in Python with the
haversine formula. It now returns those columns and the great-circle distance in metres, derived
from the chord the index measures (2R·asin(chord / 2R), R as in lianxin_earth), already within
the radius.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-06T03:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "feed function returns the distance"

_FILTERS = """t.status = 'open'
      AND (t.community = ANY(p_communities)
           OR t.community IN (SELECT c.id FROM community c
                              WHERE c.sub_district = ANY(p_sub_districts)))
      AND (p_category IS NULL OR t.category = p_category)
      AND (p_skill IS NULL OR t.skills::jsonb ? p_skill)"""
_POINT = "lianxin_earth(t.public_lat, t.public_lng)"
_CENTRE = "lianxin_earth(p_lat, p_lng)"
_SIGNATURE = "float8, float8, int[], int[], text, text, int, float8"

PG = f"""
CREATE FUNCTION lianxin_feed(
  p_lat float8, p_lng float8, p_communities int[], p_sub_districts int[],
  p_category text, p_skill text, p_limit int, p_radius float8)
RETURNS TABLE (
  id int, source varchar, source_id int, title varchar, category varchar, skills json,
  hours float8, priority int, community int, compound int, public_lat float8,
  public_lng float8, status varchar, created_at timestamptz, distance_m float8)
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $fn$
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
  chosen AS (SELECT n.id FROM near n, edge WHERE n.d < edge.r UNION SELECT ties.id FROM ties),
  measured AS (
    SELECT t.*, {_POINT} <-> {_CENTRE} AS chord FROM task t
    WHERE t.id IN (SELECT chosen.id FROM chosen)
  )
  SELECT m.id, m.source, m.source_id, m.title, m.category, m.skills, m.hours, m.priority,
         m.community, m.compound, m.public_lat, m.public_lng, m.status, m.created_at,
         2 * 6371008.8 * asin(least(1.0, m.chord / (2 * 6371008.8)))
  FROM measured m
  WHERE m.chord <= p_radius
  ORDER BY m.chord, m.priority DESC, m.id
  LIMIT p_limit;
END
$fn$"""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="marketplace", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        if engine.engine_type == "postgres":
            await engine.run_ddl(f"DROP FUNCTION IF EXISTS lianxin_feed({_SIGNATURE})")
            await engine.run_ddl(PG)

    manager.add_raw(run)
    return manager
