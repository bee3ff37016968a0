"""Rate limits per signed-in person, per address only for anonymous requests (issue 22)."""

from __future__ import annotations

import pytest

from tests.factories import as_, make_world


@pytest.mark.settings(rate_limit_person_per_minute=4, rate_limit_anonymous_per_minute=3)
async def test_people_behind_one_address_each_have_their_own_budget(running):
    world = await make_world()
    a = await as_(running, world, "vol0")
    b = await as_(running, world, "vol1")
    codes_a = [(await a.get("/api/v1/me")).status_code for _ in range(5)]
    assert codes_a == [200] * 4 + [429]
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
