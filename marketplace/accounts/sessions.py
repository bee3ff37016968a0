"""Server-side sessions on a store (memory, or Redis with REDIS_URL), rotated at sign-in, carrying
the person's credentials epoch (a password change or a closed account ends every session)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import (
    ServerSideSessionBackend,
    ServerSideSessionConfig,
)
from litestar.stores.base import Store

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


def session_payload(person_id: int, epoch: int = 0) -> dict[str, Any]:
    """What a session holds: the person and the credentials epoch it was made under."""
    return {"person_id": person_id, "epoch": epoch}


def session_person(session: dict | None) -> tuple[int, int] | None:
    """(person id, epoch) from a session, or None when nobody is signed in."""
    person_id = (session or {}).get("person_id")
    if not isinstance(person_id, int):
        return None
    epoch = (session or {}).get("epoch", 0)
    return person_id, epoch if isinstance(epoch, int) else -1


async def start_session(request: Any, *, person_id: int, epoch: int) -> None:
    """Renew the session id (no fixation) and remember the person."""
    await rotate(request, request.app.stores.get("sessions"))
    request.set_session(session_payload(person_id, epoch))


async def sign_in(request: Any, *, phone: str, password: str, settings: Any) -> int:
    """The whole password sign-in, for the API and the pages alike: normalise the phone, check
    the limits (account, client, overall), check the password in constant time, renew the
    session id, remember the person. Returns the person's id."""
    from marketplace.accounts import limits, service
    from marketplace.accounts.rules import normalise_phone
    from marketplace.errors import InvalidInput, NotAuthenticated

    try:
        normalised: str | None = normalise_phone(phone)
    except InvalidInput:
        normalised = None
    guard = limits.for_request(request, settings)
    client = limits.client_of(request)
    await guard.check(phone=normalised, client=client)
    try:
        person_id, epoch = await service.authenticate(phone=normalised, password=password)
    except NotAuthenticated:
        await guard.failed(phone=normalised, client=client)
        raise
    assert normalised is not None
    await guard.succeeded(phone=normalised)
    await start_session(request, person_id=person_id, epoch=epoch)
    return person_id
