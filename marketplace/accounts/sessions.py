"""Server-side sessions on a store (memory, or Redis with REDIS_URL), rotated at sign-in, carrying
the person's credentials epoch (a password change or a closed account ends every session)."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.middleware.session.server_side import (
    ServerSideSessionBackend,
    ServerSideSessionConfig,
)
from litestar.stores.base import Store
from litestar.types import Empty, Message
from litestar.utils.dataclass import extract_dataclass_items

_ROTATE = "lianxin_rotated_session_id"
_LOADED = "lianxin_session_as_loaded"
# A session's last use is written at most this often: a request that changes nothing else
# writes nothing back (one Redis round trip less on most requests), and the idle limit is
# kept to within this many seconds.
SEEN_EVERY_S = 60
SESSION_COOKIE = "lianxin_session"


class RotatingSessionBackend(ServerSideSessionBackend):
    """Uses a fresh session id when the handler asked for one (at login: no session fixation)."""

    def get_session_id(self, connection: ASGIConnection) -> str:
        fresh = connection.scope.get("state", {}).get(_ROTATE)
        return fresh or super().get_session_id(connection)

    async def load_from_connection(self, connection: ASGIConnection) -> dict[str, Any]:
        data = await super().load_from_connection(connection)
        connection.scope.setdefault("state", {})[_LOADED] = dict(data)
        return data

    def _unchanged(self, scope_session: Any, connection: ASGIConnection) -> bool:
        """The session as it was loaded, under the same id: nothing to write or to set."""
        state = connection.scope.get("state", {})
        return (
            _ROTATE not in state
            and bool(connection.cookies.get(self.config.key))
            and scope_session == state.get(_LOADED)
        )

    async def store_in_message(
        self, scope_session: Any, message: Message, connection: ASGIConnection
    ) -> None:
        """As Litestar's, but an anonymous visit gets no session at all, and an ended
        session's cookie is really deleted (Max-Age=0: the default kept `Max-Age` a week beside
        `expires=0`, and browsers obey Max-Age)."""
        if scope_session is not Empty:
            if not scope_session and not connection.cookies.get(self.config.key):
                return  # nobody signed in and nothing to keep: no session, no cookie
            if scope_session and self._unchanged(scope_session, connection):
                return
            await super().store_in_message(scope_session, message, connection)
            return
        await self.delete(
            self.get_session_id(connection),
            store=self.config.get_store_from_app(connection.scope["app"]),
        )
        params = dict(
            extract_dataclass_items(self.config, exclude_none=True, include=Cookie.__dict__.keys())
        )
        params.update(max_age=0, expires=0)
        cookie = Cookie(value="", key=self.config.key, **params)
        MutableScopeHeaders.from_message(message).add("Set-Cookie", cookie.to_header(header=""))


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
    now = int(time.time())
    return {"person_id": person_id, "epoch": epoch, "signed_in_at": now, "seen_at": now}


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


def live_person(connection: ASGIConnection, settings: Any) -> tuple[int, int] | None:
    """(person id, epoch) while the session lives: ended after `session_idle_seconds` unused or
    `session_max_age_seconds` after sign-in, whatever the cookie says. A live session's last use
    is renewed; a dead one is cleared (its cookie deleted)."""
    session = connection.scope.get("session")
    signed_in = session_person(session if isinstance(session, dict) else None)
    if signed_in is None:
        return None
    assert isinstance(session, dict)
    now = int(time.time())
    started, seen = session.get("signed_in_at"), session.get("seen_at")
    if (
        not isinstance(started, int)
        or not isinstance(seen, int)
        or now - started > settings.session_max_age_seconds
        or now - seen > settings.session_idle_seconds
    ):
        connection.clear_session()
        return None
    if now - seen >= SEEN_EVERY_S:
        session["seen_at"] = now
    return signed_in


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
