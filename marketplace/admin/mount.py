"""Piccolo Admin for coordinators at /admin/: the raw tables, behind Piccolo's own admin login."""

from __future__ import annotations

from litestar import asgi
from litestar.types import Receive, Scope, Send

from marketplace.admin.tables import AdminSession, AdminUser


def admin_handler():
    """The admin app mounted at /admin (link to /admin/ with the slash)."""
    from piccolo_admin.endpoints import create_admin

    from marketplace.piccolo_app import APP_CONFIG

    tables = [t for t in APP_CONFIG.table_classes if t not in (AdminUser, AdminSession)]
    app = create_admin(
        tables=tables,
        auth_table=AdminUser,
        session_table=AdminSession,
        site_name="连心 Lianxin",
        production=False,
    )

    @asgi("/admin", is_mount=True, copy_scope=True)
    async def admin(scope: Scope, receive: Receive, send: Send) -> None:
        await app(scope, receive, send)

    return admin
