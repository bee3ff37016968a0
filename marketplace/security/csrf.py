"""CSRF tokens tied to the session: Litestar's double-submit cookie, with the HMAC keyed by the
app's secret *and* the session id.

A token minted for one session (or for nobody, before login) does not validate for another: a
token leaked from one session, or planted in a victim's browser before they sign in, is useless,
and signing in (which renews the session id) renews the token on the next page.
"""

from __future__ import annotations

import secrets
from secrets import compare_digest
from typing import Any

from litestar.enums import RequestEncodingType, ScopeType
from litestar.exceptions import PermissionDeniedException
from litestar.middleware._utils import should_bypass_middleware
from litestar.middleware.csrf import (
    CSRF_SECRET_BYTES,
    CSRF_SECRET_LENGTH,
    CSRFMiddleware,
    generate_csrf_hash,
)
from litestar.types import Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

from marketplace.accounts.sessions import SESSION_COOKIE


def _session_key(secret: str, request: Any) -> str:
    session_id = request.cookies.get(SESSION_COOKIE) or ""
    return f"{secret}|{'' if session_id == 'null' else session_id}"


def mint(key: str) -> str:
    """A fresh token for this session key."""
    token = secrets.token_hex(CSRF_SECRET_BYTES)
    return token + generate_csrf_hash(token=token, secret=key)


def valid(token: str | None, key: str) -> bool:
    """True when the token was minted for this session key."""
    if not token or len(token) <= CSRF_SECRET_LENGTH:
        return False
    head, digest = token[:CSRF_SECRET_LENGTH], token[CSRF_SECRET_LENGTH:]
    return compare_digest(digest, generate_csrf_hash(token=head, secret=key))


class SessionCSRFMiddleware(CSRFMiddleware):
    """Forms and htmx posts carry a token that must match the cookie and the current session."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or should_bypass_middleware(
            scope=scope,
            scopes=self.scopes,
            exclude_opt_key=self.config.exclude_from_csrf_key,
            exclude_path_pattern=self.exclude,
        ):
            await self.app(scope, receive, send)
            return
        request = scope["litestar_app"].request_class(scope=scope, receive=receive)
        key = _session_key(self.config.secret, request)
        cookie = request.cookies.get(self.config.cookie_name)
        state = ScopeState.from_scope(scope)
        if request.method in self.config.safe_methods:
            fresh = None if valid(cookie, key) else mint(key)
            state.csrf_token = fresh or cookie
            wrapped = self.create_send_wrapper(send=send, csrf_cookie=None, token=fresh)
            await self.app(scope, receive, wrapped if fresh else send)
            return
        sent = request.headers.get(self.config.header_name)
        if not sent and request.content_type[0] in (
            RequestEncodingType.URL_ENCODED,
            RequestEncodingType.MULTI_PART,
        ):
            sent = (await request.form()).get("_csrf_token")
        if not (sent and cookie and compare_digest(sent, cookie) and valid(sent, key)):
            raise PermissionDeniedException("CSRF token verification failed")
        state.csrf_token = sent
        await self.app(scope, receive, send)
