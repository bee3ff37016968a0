"""Piccolo configuration: the engine comes from DATABASE_URL (a SQLite file by default)."""

from __future__ import annotations

from piccolo.conf.apps import AppRegistry
from piccolo.engine.base import Engine

from marketplace.db import make_engine
from marketplace.settings import get_settings

DB: Engine = make_engine(get_settings())

APP_REGISTRY = AppRegistry(apps=["marketplace.piccolo_app"])
