"""The feed's spatial index over the open tasks' public points, on both engines.

PostgreSQL: a GiST index (the `cube` extension) on the public point as a 3-D point on the
earth's surface, partial on open tasks. `cube` is a trusted extension (any database owner may
create it); `earthdistance` is not (superuser only) and PostGIS is not installed here, so the
earth point is built by `lianxin_earth()` below, the same formula as earthdistance's
ll_to_earth. The chord distance `<->` orders exactly as the great-circle distance does, so
`ORDER BY point <-> centre LIMIT n` is a nearest-first index scan.

SQLite: an R*Tree holding the open tasks' public points, kept in step by triggers on task
(insert, status or point change, delete), so every writer keeps it in sync.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

ID = "2026-12-05T09:02:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "feed geo index"

PG = [
    "CREATE EXTENSION IF NOT EXISTS cube",
    """CREATE OR REPLACE FUNCTION lianxin_earth(lat double precision, lng double precision)
    RETURNS cube LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
      SELECT cube(cube(cube(6371008.8 * cos(radians(lat)) * cos(radians(lng))),
                       6371008.8 * cos(radians(lat)) * sin(radians(lng))),
                  6371008.8 * sin(radians(lat)))
    $$""",
    """CREATE INDEX IF NOT EXISTS task_open_public_geo ON task
       USING gist (lianxin_earth(public_lat, public_lng)) WHERE status = 'open'""",
]

SQLITE = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS task_open_geo
       USING rtree(id, min_lat, max_lat, min_lng, max_lng)""",
    """CREATE TRIGGER IF NOT EXISTS task_open_geo_insert AFTER INSERT ON task
       WHEN NEW.status = 'open' AND NEW.public_lat IS NOT NULL BEGIN
         INSERT INTO task_open_geo VALUES
           (NEW.id, NEW.public_lat, NEW.public_lat, NEW.public_lng, NEW.public_lng);
       END""",
    """CREATE TRIGGER IF NOT EXISTS task_open_geo_update
       AFTER UPDATE OF status, public_lat, public_lng ON task BEGIN
         DELETE FROM task_open_geo WHERE id = OLD.id;
         INSERT INTO task_open_geo SELECT
           NEW.id, NEW.public_lat, NEW.public_lat, NEW.public_lng, NEW.public_lng
           WHERE NEW.status = 'open' AND NEW.public_lat IS NOT NULL;
       END""",
    """CREATE TRIGGER IF NOT EXISTS task_open_geo_delete AFTER DELETE ON task BEGIN
         DELETE FROM task_open_geo WHERE id = OLD.id;
       END""",
    """INSERT INTO task_open_geo
       SELECT id, public_lat, public_lat, public_lng, public_lng FROM task
       WHERE status = 'open' AND public_lat IS NOT NULL""",
]


def _coarse(lat: float, lng: float, grid_m: float = 200.0) -> tuple[float, float]:
    """marketplace.privacy.coarse_point as of this migration (kept here so it never changes)."""
    step = grid_m / 111_320.0
    return (round(round(lat / step) * step, 5), round(round(lng / step) * step, 5))


async def _backfill(engine) -> None:
    """Public points of the tasks there are: the compound's, else the snapped task point."""
    await engine.run_ddl(
        """UPDATE task SET
             public_lat = (SELECT c.lat FROM compound c WHERE c.id = task.compound),
             public_lng = (SELECT c.lng FROM compound c WHERE c.id = task.compound)
           WHERE compound IS NOT NULL"""
    )
    loose = await engine.run_querystring(
        QueryString("SELECT id, lat, lng FROM task WHERE public_lat IS NULL")
    )
    for row in loose:
        lat, lng = _coarse(row["lat"], row["lng"])
        await engine.run_querystring(
            QueryString(
                "UPDATE task SET public_lat = {}, public_lng = {} WHERE id = {}",
                lat,
                lng,
                row["id"],
            )
        )


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="marketplace", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        await _backfill(engine)
        for sql in PG if engine.engine_type == "postgres" else SQLITE:
            await engine.run_ddl(sql)

    manager.add_raw(run)
    return manager
