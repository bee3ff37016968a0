"""Sessions on the memory store and on Redis: rotated at login, dead after logout, rate-limited."""

from __future__ import annotations

import uuid

import pytest

from marketplace.accounts.sessions import SESSION_COOKIE
from tests.factories import PASSWORD, make_world
from tests.fixtures import redis_reason, settings_for, start_app


@pytest.fixture(params=["memory", "redis"])
async def app_on_store(request, clean):
    if request.param == "redis" and (reason := await redis_reason()):
        pytest.skip(reason)
    namespace = f"lianxin-test-{uuid.uuid4().hex[:8]}"
    running = await start_app(settings_for(request.param, redis_namespace=namespace))
    yield running
    await running.stop()


def _login_body(world, key, password=PASSWORD):
    return {"phone": world.phones[key], "password": password}


async def test_session_rotates_and_dies_at_logout(app_on_store):
    world = await make_world()
    client = app_on_store.client()
    assert (await client.get("/api/v1/me")).status_code == 401
    assert (
        await client.post("/api/v1/auth/login", json=_login_body(world, "resident"))
    ).status_code == 200
    first = client.cookies[SESSION_COOKIE]
    assert (await client.get("/api/v1/me")).json()["id"] == world.people["resident"]

    assert (
        await client.post("/api/v1/auth/login", json=_login_body(world, "resident"))
    ).status_code == 200
    second = client.cookies[SESSION_COOKIE]
    assert second != first, "the session id must change at login"
    stale = app_on_store.client()
    stale.cookies.set(SESSION_COOKIE, first)
    assert (await stale.get("/api/v1/me")).status_code == 401

    thief = app_on_store.client()
    thief.cookies.set(SESSION_COOKIE, second)
    assert (await thief.get("/api/v1/me")).status_code == 200
    assert (await client.post("/api/v1/auth/logout")).status_code == 200
    assert (await thief.get("/api/v1/me")).status_code == 401
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_login_is_rate_limited(app_on_store):
    world = await make_world()
    client = app_on_store.client()
    for _ in range(10):
        r = await client.post(
            "/api/v1/auth/login", json=_login_body(world, "coord", "wrong-password")
        )
        assert r.status_code == 401 and r.json()["message"] == "手机号或密码不对。"
    r = await client.post("/api/v1/auth/login", json=_login_body(world, "coord"))
    assert r.status_code == 429 and r.json()["code"] == "auth_too_many_logins"
    # another account from the same place is not locked out
    assert (
        await client.post("/api/v1/auth/login", json=_login_body(world, "grid"))
    ).status_code == 200


async def test_unknown_phone_looks_like_a_wrong_password(app_on_store):
    await make_world()
    client = app_on_store.client()
    r = await client.post(
        "/api/v1/auth/login", json={"phone": "13999999999", "password": "whatever1"}
    )
    assert r.status_code == 401 and r.json()["message"] == "手机号或密码不对。"
