"""Piccolo Admin for coordinators at /admin/: the raw tables, behind Piccolo's own admin login.

Secret columns (password hashes) never leave the server (Piccolo's API omits `secret=True`
columns); every write through the admin is audited (who, which table and row, which columns);
with LIANXIN_HTTPS=1 it runs in production mode (Secure cookies, strict CSRF checks).
"""

from __future__ import annotations

from typing import Any

from litestar import asgi
from litestar.types import Receive, Scope, Send

from marketplace.admin.tables import AdminSession, AdminUser
from marketplace.settings import Settings


def _admin_username(request: Any) -> str | None:
    user = getattr(request, "user", None)
    inner = getattr(user, "user", None)
    return getattr(inner, "username", None) or getattr(user, "display_name", None)


def _shown(table: Any, values: dict) -> dict:
    """The written values for the audit, with secret columns masked."""
    secret = {c._meta.name for c in table._meta.secret_columns}
    out = {}
    for key, value in values.items():
        name = getattr(getattr(key, "_meta", None), "name", key)
        out[str(name)] = "***" if name in secret else (value if _plain(value) else str(value))
    return out


def _plain(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool, list, dict))


async def audit_admin_write(
    *, request: Any, table: Any, action: str, row_id: Any, values: dict
) -> None:
    """One audit entry per admin write; the admin account is named, and linked to the person
    with the same phone when there is one."""
    from marketplace.accounts.tables import Person
    from marketplace.audit import service as audit

    username = _admin_username(request)
    person = (
        await Person.select(Person.id).where(Person.phone == username).first() if username else None
    )
    try:
        object_id = int(row_id)
    except (TypeError, ValueError):
        object_id = 0
    await audit.record(
        actor_id=person["id"] if person else None,
        action=f"admin.{action}",
        object_type=table._meta.tablename[:40],
        object_id=object_id,
        admin_user=username,
        values=_shown(table, values),
    )


def _hooks(table: Any) -> list:
    from piccolo_api.crud.hooks import Hook, HookType

    async def on_save(row: Any, request: Any) -> Any:
        values = {c._meta.name: getattr(row, c._meta.name, None) for c in table._meta.columns}
        values.pop("id", None)
        await audit_admin_write(
            request=request, table=table, action="create", row_id=None, values=values
        )
        return row

    async def on_patch(row_id: Any, values: dict, request: Any) -> dict:
        await audit_admin_write(
            request=request, table=table, action="update", row_id=row_id, values=values
        )
        return values

    async def on_delete(row_id: Any, request: Any) -> None:
        await audit_admin_write(
            request=request, table=table, action="delete", row_id=row_id, values={}
        )

    return [
        Hook(hook_type=HookType.pre_save, callable=on_save),
        Hook(hook_type=HookType.pre_patch, callable=on_patch),
        Hook(hook_type=HookType.pre_delete, callable=on_delete),
    ]


def admin_handler(settings: Settings | None = None):
    """The admin app mounted at /admin (link to /admin/ with the slash)."""
    from piccolo_admin.endpoints import TableConfig, create_admin

    from marketplace.piccolo_app import APP_CONFIG

    tables = [t for t in APP_CONFIG.table_classes if t not in (AdminUser, AdminSession)]
    app = create_admin(
        tables=[TableConfig(table, hooks=_hooks(table)) for table in tables],
        auth_table=AdminUser,
        session_table=AdminSession,
        site_name="连心 Lianxin",
        production=bool(settings and settings.https),
    )

    @asgi("/admin", is_mount=True, copy_scope=True)
    async def admin(scope: Scope, receive: Receive, send: Send) -> None:
        await app(scope, receive, send)

    return admin
