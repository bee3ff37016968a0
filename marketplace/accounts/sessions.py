"""Server-side sessions on a store (memory, or Redis with REDIS_URL), rotated at login, and the
login rate limit."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import (
    ServerSideSessionBackend,
    ServerSideSessionConfig,
)
from litestar.stores.base import Store

from marketplace.errors import TooManyRequests

_ROTATE = "lianxin_rotated_session_id"
SESSION_COOKIE = "lianxin_session"


class RotatingSessionBackend(ServerSideSessionBackend):
    """Uses a fresh session id when the handler asked for one (at login: no session fixation)."""

    def get_session_id(self, connection: ASGIConnection) -> str:
        fresh = connection.scope.get("state", {}).get(_ROTATE)
        return fresh or super().get_session_id(connection)


@dataclass
class RotatingSessionConfig(ServerSideSessionConfig):
    _backend_class: type[ServerSideSessionBackend] = field(
        default=RotatingSessionBackend, init=False
    )


async def rotate(connection: ASGIConnection, store: Store) -> None:
    """Forget the current session id and have the response set a new one."""
    old = connection.cookies.get(SESSION_COOKIE)
    if old:
        await store.delete(old)
    connection.scope.setdefault("state", {})[_ROTATE] = secrets.token_hex(32)


def _key(phone: str, client: str) -> str:
    # No personal data in keys either: the phone number is hashed.
    return "login:" + hashlib.sha256(f"{phone}|{client}".encode()).hexdigest()[:32]


async def check_login_rate(
    store: Store, *, phone: str, client: str, limit: int, window: int
) -> None:
    """At most `limit` failed attempts per phone and client address in `window` seconds."""
    raw = await store.get(_key(phone, client))
    if raw is not None and int(raw) >= limit:
        raise TooManyRequests(
            "Too many failed logins. Wait a few minutes and try again.",
            code="auth_too_many_logins",
        )


async def count_failed_login(store: Store, *, phone: str, client: str, window: int) -> None:
    key = _key(phone, client)
    raw = await store.get(key)
    await store.set(key, str(int(raw or 0) + 1), expires_in=window)


async def forget_failed_logins(store: Store, *, phone: str, client: str) -> None:
    await store.delete(_key(phone, client))


def session_payload(person_id: int) -> dict[str, Any]:
    return {"person_id": person_id}


async def sign_in(request: Any, *, phone: str, password: str, settings: Any) -> int:
    """The whole sign-in, for the API and the pages alike: rate limit, check the password,
    renew the session id, remember the person. Returns the person's id."""
    from marketplace.accounts import service
    from marketplace.errors import NotAuthenticated

    store = request.app.stores.get("sessions")
    limits = request.app.stores.get("login_limits")
    client = request.client.host if request.client else "?"
    window = settings.login_window_seconds
    await check_login_rate(
        limits, phone=phone, client=client, limit=settings.login_attempts_per_window, window=window
    )
    try:
        person_id = await service.authenticate(phone=phone, password=password)
    except NotAuthenticated:
        await count_failed_login(limits, phone=phone, client=client, window=window)
        raise
    await forget_failed_logins(limits, phone=phone, client=client)
    await rotate(request, store)
    request.set_session(session_payload(person_id))
    return person_id
