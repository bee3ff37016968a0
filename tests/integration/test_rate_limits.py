"""Rate limits per signed-in person, per address only for anonymous requests (issue 22)."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import REDIS_URL
from tests.factories import as_, make_world
from tests.fixtures import redis_reason, settings_for, start_app


@pytest.mark.settings(rate_limit_person_per_minute=4, rate_limit_anonymous_per_minute=3)
async def test_people_behind_one_address_each_have_their_own_budget(running):
    world = await make_world()
    a = await as_(running, world, "vol0")
    b = await as_(running, world, "vol1")
    answers = [await a.get("/api/v1/me") for _ in range(5)]
    assert [r.status_code for r in answers] == [200] * 4 + [429]
    refused = answers[-1]
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.json()["code"] == "too_many_requests"
    rb = await b.get("/api/v1/me")
    assert rb.status_code == 200, (rb.text, rb.headers)  # same address, another person

    anonymous = running.client()
    codes = [(await anonymous.get("/api/v1/org/config")).status_code for _ in range(4)]
    assert codes[-1] == 429 and codes.count(429) >= 1


def _request(peer: str, forwarded: str | None):
    from litestar import Request

    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    scope = {
        "type": "http",
        "client": (peer, 1234),
        "headers": headers,
        "path": "/",
        "query_string": b"",
    }
    return Request(scope)


def test_x_forwarded_for_counts_only_from_trusted_proxies():
    from marketplace.limits import client_address

    trusted = ("10.0.0.0/8",)
    assert client_address(_request("203.0.113.9", "1.2.3.4"), trusted) == "203.0.113.9"
    assert client_address(_request("10.0.0.2", "1.2.3.4"), trusted) == "1.2.3.4"
    # a client-supplied hop before the real one is ignored: the first untrusted from the right
    assert client_address(_request("10.0.0.2", "6.6.6.6, 1.2.3.4, 10.0.0.7"), trusted) == "1.2.3.4"
    assert client_address(_request("10.0.0.2", None), ()) == "10.0.0.2"


async def test_two_processes_share_one_budget_on_redis(clean):
    """With REDIS_URL every app process counts against the same per-person budget."""
    if reason := await redis_reason():
        pytest.skip(reason)
    settings = settings_for(
        "redis",
        redis_namespace=f"lianxin-test-{uuid.uuid4().hex[:8]}",
        rate_limit_person_per_minute=3,
    )
    first, second = await start_app(settings), await start_app(settings)
    try:
        world = await make_world()
        a = await as_(first, world, "vol0")
        b = second.client()
        b.cookies = a.cookies  # the same session, seen by the other process
        codes = [(await c.get("/api/v1/me")).status_code for c in (a, b, a, b)]
        assert codes == [200, 200, 200, 429]
    finally:
        await first.stop()
        await second.stop()


async def test_a_window_count_on_redis_expires_after_its_window():
    """The window's first request arms the key's expiry and the later ones keep it: no count
    outlives its window by more than a second."""
    if reason := await redis_reason():
        pytest.skip(reason)
    from redis.asyncio import Redis

    from marketplace.limits import WINDOW_S, RedisCounter

    redis = Redis.from_url(REDIS_URL)
    namespace = f"lianxin-test-{uuid.uuid4().hex[:8]}"
    try:
        counter = RedisCounter(redis, namespace)
        assert [await counter.hit("person:7", 1000) for _ in range(3)] == [1, 2, 3]
        assert await counter.hit("person:7", 1001) == 1  # a new window counts from one
        for window in (1000, 1001):
            ttl = await redis.ttl(f"{namespace}:rate:person:7:{window}")
            assert 0 < ttl <= WINDOW_S + 1
    finally:
        await redis.delete(*[k async for k in redis.scan_iter(f"{namespace}:*")])
        await redis.aclose()
