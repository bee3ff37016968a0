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
        assert r.status_code == 401 and r.json()["code"] == "accounts_login_failed"
        assert r.json()["message"] == "手机号或密码不正确。"
    r = await client.post(
        "/api/v1/auth/login",
        json=_login_body(world, "coord"),
        headers={"accept-language": "en"},
    )
    assert r.status_code == 429 and "Too many" in r.json()["message"]
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
    assert r.status_code == 401 and r.json()["code"] == "accounts_login_failed"


async def test_a_signed_in_password_change_ends_the_other_sessions(app_on_store):
    world = await make_world()
    here = app_on_store.client()
    there = app_on_store.client()
    for client in (here, there):
        assert (
            await client.post("/api/v1/auth/login", json=_login_body(world, "resident"))
        ).status_code == 200

    wrong = await here.put(
        "/api/v1/me/password",
        json={"current_password": "not-it-at-all", "new_password": "蓝天白云-2026"},
    )
    assert wrong.status_code == 400 and wrong.json()["field"] == "current_password"
    weak = await here.put(
        "/api/v1/me/password", json={"current_password": PASSWORD, "new_password": "short"}
    )
    assert weak.status_code == 400 and weak.json()["field"] == "new_password"
    assert (await there.get("/api/v1/me")).status_code == 200, "refusals change nothing"

    changed = await here.put(
        "/api/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "蓝天白云-2026"},
    )
    assert changed.status_code == 200 and changed.json()["code"] == "accounts_password_changed"
    assert (await here.get("/api/v1/me")).status_code == 200, "this session goes on"
    assert (await there.get("/api/v1/me")).status_code == 401, "the other one ends"
    old = await app_on_store.client().post(
        "/api/v1/auth/login", json=_login_body(world, "resident")
    )
    assert old.status_code == 401
    new = await app_on_store.client().post(
        "/api/v1/auth/login", json=_login_body(world, "resident", "蓝天白云-2026")
    )
    assert new.status_code == 200
