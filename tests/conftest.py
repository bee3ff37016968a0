"""Test set-up shared by every tier.

The engine is read when the tables are first imported, so the environment is fixed here, before
any import of marketplace: the default engine is a throwaway SQLite file, and the PostgreSQL
and Redis URLs given by CI are kept aside for the variants that use them.
"""

from __future__ import annotations

import os
import tempfile

PG_URL = os.environ.pop("DATABASE_URL", "") or "postgresql://postgres@127.0.0.1:5432/test"
REDIS_URL = os.environ.pop("REDIS_URL", "") or "redis://127.0.0.1:6379/0"
_TMP = tempfile.mkdtemp(prefix="lianxin-test-")
os.environ["LIANXIN_SQLITE_PATH"] = os.path.join(_TMP, "import-default.sqlite")
os.environ["PICCOLO_CONF"] = "marketplace.piccolo_conf"
os.environ["LIANXIN_ENV_FILE"] = ""  # a developer's .env must not reach the tests

pytest_plugins = ["tests.fixtures"]

import logging  # noqa: E402

logging.getLogger("httpx").setLevel(logging.WARNING)
