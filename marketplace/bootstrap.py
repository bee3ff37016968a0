"""What every process of Lianxin does before it serves: the app (uvicorn) and the job worker
(`make worker`) start here, so they read one configuration and know the same task sources.

The worker once registered the task sources only as a side effect of importing the app, and its
sweep failed with `KeyError: 'wish'`.
"""

from __future__ import annotations

import logging
import os

from marketplace.settings import Settings, get_settings

_LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def register_task_sources() -> None:
    """Each kind of task (a wish's task, an opportunity-list slot) registers its handler with the
    tasks domain when its module is imported; import them all here, once, explicitly."""
    from marketplace.projects import source as slot_source
    from marketplace.wishes import lifecycle as wish_source

    del slot_source, wish_source  # imported for their registration


def configure_logging() -> None:
    """One log format for every process; LIANXIN_LOG_LEVEL (INFO by default)."""
    level = os.environ.get("LIANXIN_LOG_LEVEL", "INFO").upper()
    root = logging.getLogger()
    if not root.handlers:  # keep what a test runner or uvicorn already installed
        logging.basicConfig(level=level, format=_LOG_FORMAT)
    logging.getLogger("marketplace").setLevel(level)


def bootstrap(settings: Settings | None = None) -> Settings:
    """Settings (the environment over the `.env` file), logging and task sources."""
    settings = settings or get_settings()
    configure_logging()
    register_task_sources()
    return settings
