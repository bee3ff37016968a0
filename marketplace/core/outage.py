"""A dependency (PostgreSQL, Redis) that is down or frozen answers 503 with Retry-After, fast.

The exception handler in app.py maps the errors below to 503. A timeout (a frozen server) also
opens a short breaker: for `BREAK_S` seconds requests answer 503 at once instead of each waiting
for its own timeout, then the next request probes again. Nothing is cached beyond that, so the
service recovers without a restart as soon as the server answers.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import asyncpg.exceptions as pg
import redis.exceptions as rx
from litestar.types import (
    ASGIApp,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
    Message,
    Receive,
    Scope,
    Send,
)

BREAK_S = 2.0

# Raised when a server cannot be reached, refuses, is shutting down, or does not answer in time.
UNAVAILABLE: tuple[type[BaseException], ...] = (
    rx.ConnectionError,  # includes a full pool that waited its timeout out
    rx.TimeoutError,
    pg.PostgresConnectionError,
    pg.OperatorInterventionError,  # admin shutdown, crash shutdown, cannot connect now
    pg.TooManyConnectionsError,
    ConnectionError,  # refused, reset
    TimeoutError,  # connect, acquire or statement timeout (asyncio.TimeoutError is this)
)
_TIMEOUTS = (rx.TimeoutError, TimeoutError)


def is_unavailable(exc: BaseException) -> bool:
    """Whether exc means a dependency is down rather than a bug or a refusal."""
    if isinstance(exc, UNAVAILABLE):
        return True
    # asyncpg reports a connection dropped under a query as an InterfaceError "connection is closed"
    return isinstance(exc, pg.InterfaceError) and "closed" in str(exc)


@dataclass
class Breaker:
    """Opens for BREAK_S after a timeout that nothing else got past: a request that waited out
    its timeout while others were answered met a busy server (or a busy event loop), not a
    frozen one, and keeps the service open. While open, requests answer 503 without waiting."""

    open_until: float = 0.0
    last_dependency: str = ""
    last_answer: float = 0.0  # when a response last began below 500

    def trip(self, exc: BaseException, since: float = 0.0) -> None:
        """`since`: when the failed request began (nothing answered since then: frozen)."""
        self.last_dependency = "redis" if isinstance(exc, rx.RedisError) else "database"
        if isinstance(exc, _TIMEOUTS) and self.last_answer <= since:
            self.open_until = time.monotonic() + BREAK_S

    def is_open(self) -> bool:
        return time.monotonic() < self.open_until


BEGAN = "lianxin_began"  # the request's start (monotonic), in the scope's state


def breaker_middleware(breaker: Breaker, retry_after_s: int, exclude: tuple[str, ...]):
    """ASGI middleware answering 503 while the breaker is open (health checks still probe), and
    noting when responses below 500 begin (the breaker's evidence that nothing is frozen)."""

    def wrap(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http" or scope["path"].startswith(exclude):
                await app(scope, receive, send)
                return
            if breaker.is_open():
                from marketplace import messages

                headers = dict(scope.get("headers") or [])
                lang = messages.language(
                    headers.get(b"accept-language", b"").decode("latin-1") or None
                )
                await send_unavailable(
                    send, messages.render("unavailable", lang, {}), retry_after_s
                )
                return
            scope.setdefault("state", {})[BEGAN] = time.monotonic()  # type: ignore[typeddict-item]

            async def noting(message: Message) -> None:
                if message["type"] == "http.response.start" and message["status"] < 500:
                    breaker.last_answer = time.monotonic()
                await send(message)

            await app(scope, receive, noting)

        return middleware

    return wrap


async def send_unavailable(send: Send, message: str, retry_after_s: int) -> None:
    """The API's error body with status 503, straight to the ASGI send."""
    import msgspec

    body = msgspec.json.encode(
        {
            "status_code": 503,
            "code": "unavailable",
            "message": message,
            "field": None,
            "errors": [],
        }
    )
    start: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": 503,
        "headers": [
            (b"content-type", b"application/json"),
            (b"retry-after", str(retry_after_s).encode()),
            (b"content-length", str(len(body)).encode()),
        ],
    }
    await send(start)
    end: HTTPResponseBodyEvent = {"type": "http.response.body", "body": body, "more_body": False}
    await send(end)
