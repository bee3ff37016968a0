"""Lianxin 连心: the web service and the domain."""

import os

# Piccolo finds its configuration (the engine) through this module path.
os.environ.setdefault("PICCOLO_CONF", "marketplace.piccolo_conf")
