"""Request rate limits that fit real users (issue 22).

Signed-in API requests are counted per person, so a community centre or a carrier's NAT full
of volunteers does not share one budget; anonymous requests are counted per client address.
The client address is the peer's, or the first untrusted hop of X-Forwarded-For when the peer
is one of the trusted proxies (LIANXIN_TRUSTED_PROXIES). Every number comes from Settings.

Counting is a fixed one-minute window: one Redis command per request (INCR; the window's first
request also sets its expiry; Litestar's RateLimitMiddleware reads and then writes, two trips
and a JSON codec), or a dict in memory for the embedded default.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Iterable
from functools import lru_cache
from typing import Any, Protocol

from litestar.exceptions import TooManyRequestsException
from litestar.types import ASGIApp, Receive, Scope, Send
from redis.asyncio import Redis

from marketplace.accounts.rules import Actor
from marketplace.settings import Settings

EXCLUDE = ("/static", "/admin", "/healthz", "/favicon.ico")
WINDOW_S = 60


class Counter(Protocol):
    async def hit(self, key: str, window: int) -> int:
        """Count one request for `key` in the window numbered `window`; the count so far."""
        ...


class MemoryCounter:
    """One process's counts: the current window's only (older ones are dropped as it turns)."""

    def __init__(self) -> None:
        self._window = -1
        self._counts: dict[str, int] = {}

    async def hit(self, key: str, window: int) -> int:
        if window != self._window:
            self._window, self._counts = window, {}
        count = self._counts.get(key, 0) + 1
        self._counts[key] = count
        return count


class RedisCounter:
    """Counts shared by every app process, one round trip each."""

    def __init__(self, redis: Redis, namespace: str) -> None:
        self._redis = redis
        self._prefix = f"{namespace}:rate:"

    async def hit(self, key: str, window: int) -> int:
        name = f"{self._prefix}{key}:{window}"
        count = int(await self._redis.incr(name))
        if count == 1:  # the window's first request arms its expiry; the others send one command
            await self._redis.expire(name, WINDOW_S + 1)
        return count


@lru_cache(maxsize=32)
def _networks(trusted: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(ipaddress.ip_network(t, strict=False) for t in trusted)


def _is_trusted(address: str, networks: Iterable[Any]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in n for n in networks)


def address_of(peer: str, forwarded: str, trusted: tuple[str, ...]) -> str:
    """The client's address: X-Forwarded-For is honoured only from a trusted proxy, walking it
    from the right past the trusted hops."""
    networks = _networks(trusted)
    if not networks or not _is_trusted(peer, networks):
        return peer
    hops = [h.strip() for h in forwarded.split(",") if h.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, networks):
            return hop
    return hops[0] if hops else peer


def client_address(request: Any, trusted: tuple[str, ...]) -> str:
    peer = request.client.host if request.client else "unknown"
    return address_of(peer, request.headers.get("x-forwarded-for", ""), trusted)


def _forwarded(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"x-forwarded-for":
            return value.decode("latin-1")
    return ""


def _identity(scope: Scope, settings: Settings) -> tuple[str, int]:
    """Who is counted and their budget a minute: the signed-in person, else the address."""
    user: Any = scope.get("user")
    if isinstance(user, Actor):
        return f"person:{user.person_id}", settings.rate_limit_person_per_minute
    client = scope.get("client")
    peer = client[0] if client else "unknown"
    forwarded = _forwarded(scope) if settings.trusted_proxies else ""
    address = address_of(peer, forwarded, settings.trusted_proxies)
    return f"address:{address}", settings.rate_limit_anonymous_per_minute


def rate_limit_middleware(counter: Counter, settings: Settings):
    """A pure ASGI middleware (it runs inside the session and auth middlewares, which put the
    person in the scope); a request past its budget is refused with 429 and Retry-After."""

    def wrap(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http" or scope["path"].startswith(EXCLUDE):
                await app(scope, receive, send)
                return
            key, limit = _identity(scope, settings)
            now = time.time()
            window = int(now // WINDOW_S)
            if await counter.hit(key, window) > limit:
                wait = max(1, int((window + 1) * WINDOW_S - now))
                raise TooManyRequestsException(
                    headers={"Retry-After": str(wait), "RateLimit-Limit": str(limit)}
                )
            await app(scope, receive, send)

        return middleware

    return wrap


def counter_for(redis: Redis | None, settings: Settings) -> Counter:
    if redis is None:
        return MemoryCounter()
    return RedisCounter(redis, settings.redis_namespace)
