from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Float, Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-05T09:02:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "task public point; claim hours review"


def _params(**extra) -> dict:
    return {
        "default": None,
        "null": True,
        "primary_key": False,
        "unique": False,
        "index": False,
        "index_method": IndexMethod.btree,
        "choices": None,
        "db_column_name": None,
        "secret": False,
        **extra,
    }


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="marketplace", description=DESCRIPTION)
    for name in ("public_lat", "public_lng"):
        manager.add_column(
            table_class_name="Task",
            tablename="task",
            column_name=name,
            db_column_name=name,
            column_class_name="Float",
            column_class=Float,
            params=_params(),
            schema=None,
        )
    manager.add_column(
        table_class_name="Claim",
        tablename="claim",
        column_name="requested_hours",
        db_column_name="requested_hours",
        column_class_name="Float",
        column_class=Float,
        params=_params(),
        schema=None,
    )
    manager.add_column(
        table_class_name="Claim",
        tablename="claim",
        column_name="hours_review",
        db_column_name="hours_review",
        column_class_name="Varchar",
        column_class=Varchar,
        params=_params(length=20),
        schema=None,
    )
    return manager
