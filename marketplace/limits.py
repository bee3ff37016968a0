"""Request rate limits that fit real users (issue 22).

Signed-in API requests are counted per person, so a community centre or a carrier's NAT full
of volunteers does not share one budget; anonymous requests are counted per client address.
The client address is the peer's, or the first untrusted hop of X-Forwarded-For when the peer
is one of the trusted proxies (LIANXIN_TRUSTED_PROXIES). Every number comes from Settings.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from litestar import Request
from litestar.middleware.rate_limit import RateLimitConfig

from marketplace.accounts.rules import Actor
from marketplace.settings import Settings

EXCLUDE = ["/static", "/admin", "/healthz", "/favicon.ico"]


def client_address(request: Request, trusted: tuple[str, ...]) -> str:
    """The client's address: X-Forwarded-For is honoured only from a trusted proxy, walking it
    from the right past the trusted hops."""
    peer = request.client.host if request.client else "unknown"
    networks = [ipaddress.ip_network(t, strict=False) for t in trusted]

    def is_trusted(address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in n for n in networks)

    if not is_trusted(peer):
        return peer
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not is_trusted(hop):
            return hop
    return hops[0] if hops else peer


def _person(request: Request) -> int | None:
    user: Any = request.scope.get("user")
    return user.person_id if isinstance(user, Actor) else None


def _identifier(trusted: tuple[str, ...]):
    def identify(request: Request) -> str:
        person = _person(request)
        if person is not None:
            return f"person:{person}"
        return f"address:{client_address(request, trusted)}"

    return identify


def rate_limits(settings: Settings) -> list:
    """Two limits: signed-in requests per person, anonymous ones per address."""

    async def signed_in(request: Request) -> bool:
        return _person(request) is not None

    async def anonymous(request: Request) -> bool:
        return _person(request) is None

    return [
        RateLimitConfig(
            rate_limit=("minute", settings.rate_limit_person_per_minute),
            store="rate_limit",
            exclude=EXCLUDE,
            check_throttle_handler=signed_in,
            identifier_for_request=_identifier(settings.trusted_proxies),
        ).middleware,
        RateLimitConfig(
            rate_limit=("minute", settings.rate_limit_anonymous_per_minute),
            store="rate_limit",
            exclude=EXCLUDE,
            check_throttle_handler=anonymous,
            identifier_for_request=_identifier(settings.trusted_proxies),
        ).middleware,
    ]
