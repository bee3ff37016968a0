"""The feed's tie index (PostgreSQL): the open tasks of one public point by priority and id.

At the feed's edge distance, all the tasks of a compound share its point; this index lets the
feed read only the first few of them by rank instead of every one (the feed's cost stays flat
however many open tasks a compound has). SQLite's feed searches rings over its R*Tree instead.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-05T22:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "feed tie index"

PG = """CREATE INDEX IF NOT EXISTS task_open_point_rank ON task
        (public_lat, public_lng, priority DESC, id) WHERE status = 'open'"""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="marketplace", description=DESCRIPTION)

    async def run() -> None:
        engine = engine_finder()
        if engine.engine_type == "postgres":
            await engine.run_ddl(PG)

    manager.add_raw(run)
    return manager
