"""A proposed assignment keeps what its words need: the familiar volunteer's bonus that chose it,
and how much farther the next best lives in plain metres (the summary never shows a negative
"extra" distance, and says 老熟人 when continuity decided)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Integer
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-05T22:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "proposed assignment: continuity bonus, next best's extra metres"


def _integer(default: int | None, null: bool) -> dict:
    return {
        "default": default,
        "null": null,
        "primary_key": False,
        "unique": False,
        "index": False,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
    }


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="marketplace", description=DESCRIPTION)
    for name, default, null in (("continuity_bonus_m", 0, False), ("next_best_more_m", None, True)):
        manager.add_column(
            table_class_name="ProposedAssignment",
            tablename="proposed_assignment",
            column_name=name,
            db_column_name=name,
            column_class_name="Integer",
            column_class=Integer,
            params=_integer(default, null),
            schema=None,
        )
    return manager
