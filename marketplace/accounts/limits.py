"""Sign-in limits (issue 21 item 2): failures are counted per account (the normalised phone),
per client address and overall, on the app's store (memory, or Redis across processes).

Reaching a limit locks that key for the window; the lock and its release are logged, with
hashed keys (no phone numbers or addresses in logs or store keys).
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass

from litestar.stores.base import Store

from marketplace.errors import TooManyRequests
from marketplace.limits import client_address

log = logging.getLogger("marketplace.accounts.limits")


def _hashed(kind: str, value: str) -> str:
    return f"{kind}:" + hashlib.sha256(f"{kind}|{value}".encode()).hexdigest()[:24]


@dataclass(frozen=True)
class Limit:
    key: str
    limit: int


@dataclass
class SignInLimits:
    """The three limits of one sign-in attempt."""

    store: Store
    window: int
    per_account: int
    per_client: int
    overall: int

    def limits(self, *, phone: str | None, client: str) -> list[Limit]:
        out = [Limit(_hashed("client", client), self.per_client), Limit("all", self.overall)]
        if phone:
            out.insert(0, Limit(_hashed("account", phone), self.per_account))
        return out

    async def check(self, *, phone: str | None, client: str) -> None:
        """Refuse (429) while any of the attempt's keys is locked; log a lock that has run out."""
        now = time.time()
        for item in self.limits(phone=phone, client=client):
            raw = await self.store.get(f"lock:{item.key}")
            if raw is None:
                continue
            if float(raw) > now:
                raise TooManyRequests(
                    "Too many failed logins. Wait a few minutes and try again.",
                    code="accounts_login_locked",
                    minutes=max(1, round((float(raw) - now) / 60)),
                )
            await self._release(item.key, "expired")

    async def failed(self, *, phone: str | None, client: str) -> None:
        """Count a failure on every key; a key that reaches its limit is locked for the window."""
        for item in self.limits(phone=phone, client=client):
            raw = await self.store.get(f"count:{item.key}")
            count = int(raw or 0) + 1
            await self.store.set(f"count:{item.key}", str(count), expires_in=self.window)
            if count >= item.limit and await self.store.get(f"lock:{item.key}") is None:
                until = time.time() + self.window
                # kept past the lock's end so that the next check sees and logs the release
                await self.store.set(f"lock:{item.key}", str(until), expires_in=self.window * 4)
                log.warning(
                    "sign-in locked: %s after %d failures, for %d s", item.key, count, self.window
                )

    async def succeeded(self, *, phone: str) -> None:
        """A correct sign-in clears the account's count (not the client's: an attacker who owns
        one account must not reset their counter with it)."""
        await self.store.delete(f"count:{_hashed('account', phone)}")

    async def _release(self, key: str, why: str) -> None:
        await self.store.delete(f"lock:{key}")
        await self.store.delete(f"count:{key}")
        log.warning("sign-in lock released: %s (%s)", key, why)


def for_request(request, settings) -> SignInLimits:
    return SignInLimits(
        store=request.app.stores.get("login_limits"),
        window=settings.login_window_seconds,
        per_account=settings.login_attempts_per_window,
        per_client=settings.login_failures_per_client,
        overall=settings.login_failures_overall,
    )


def client_of(request) -> str:
    """The client's address as the rate limits see it (X-Forwarded-For from trusted proxies)."""
    return client_address(request, request.app.state.settings.trusted_proxies)
