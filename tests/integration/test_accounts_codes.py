"""One-time codes (验证码) over HTTP on both engines: sign-up, sign-in by code, passwords set by
code, and the limits on sending and trying codes (issue 20, accounts)."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD, make_world

NEW_PHONE = "13912340001"


def sent(running) -> list[tuple[str, str, dict]]:
    return running.app.state["sms_sender"].sent


def last_code(running, phone: str = NEW_PHONE) -> str:
    return next(p["code"] for to, _, p in reversed(sent(running)) if to == phone)


async def ask(client, phone: str, purpose: str = "sign_in"):
    return await client.post("/api/v1/auth/codes", json={"phone": phone, "purpose": purpose})


async def test_a_new_person_signs_up_with_a_code_and_signs_in_with_the_next(running):
    world = await make_world(volunteers=0)
    client = running.client()
    # typed as people type it: country code, spaces, dashes, full-width digits
    r = await ask(client, "+86 139-1234-０００１")
    assert r.status_code == 202, r.text
    code = last_code(running)
    assert len(code) == 6 and code.isdigit()

    r = await client.post("/api/v1/auth/code-login", json={"phone": NEW_PHONE, "code": code})
    assert r.status_code == 404 and r.json()["code"] == "accounts_not_registered"
    body = {"phone": NEW_PHONE, "code": code, "name": "王芳", "compound_id": world.compounds[1]}
    r = await client.post("/api/v1/auth/sign-up", json=body)
    assert r.status_code == 201, r.text
    me = (await client.get("/api/v1/me")).json()
    assert me["name"] == "王芳" and me["phone"] == NEW_PHONE
    assert me["community_id"] == world.communities[1]
    assert [(g["role"], g["community_id"]) for g in me["roles"]] == [
        ("resident", world.communities[1])
    ]
    # the code worked once
    again = running.client()
    r = await again.post("/api/v1/auth/code-login", json={"phone": NEW_PHONE, "code": code})
    assert r.status_code == 400 and r.json()["code"] == "accounts_code_invalid"


@pytest.mark.settings(code_resend_seconds=0)
async def test_code_sign_in_of_a_registered_person(running):
    world = await make_world(volunteers=0)
    client = running.client()
    phone = world.phones["resident"]
    assert (await ask(client, f"{phone[:3]} {phone[3:7]} {phone[7:]}")).status_code == 202
    r = await client.post(
        "/api/v1/auth/code-login", json={"phone": phone, "code": last_code(running, phone)}
    )
    assert r.status_code == 200 and r.json()["id"] == world.people["resident"]
    assert (await client.get("/api/v1/me")).json()["id"] == world.people["resident"]


async def test_codes_are_stored_hashed_and_the_answer_does_not_tell_who_is_registered(running):
    from marketplace.accounts.tables import LoginCode

    world = await make_world(volunteers=0)
    client = running.client()
    known = await ask(client, world.phones["resident"])
    unknown = await ask(client, NEW_PHONE)
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    rows = await LoginCode.select()
    codes = {last_code(running, world.phones["resident"]), last_code(running)}
    assert len(rows) == 2
    for row in rows:
        assert len(row["code_hash"]) == 64 and row["code_hash"] not in codes
        assert all(c not in row["code_hash"] for c in codes)


async def test_five_tries_then_the_code_is_dead(running):
    await make_world(volunteers=0)
    client = running.client()
    await ask(client, NEW_PHONE)
    code = last_code(running)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        r = await client.post("/api/v1/auth/code-login", json={"phone": NEW_PHONE, "code": wrong})
        assert r.status_code == 400 and r.json()["code"] == "accounts_code_invalid"
        assert r.json()["field"] == "code"
    r = await client.post("/api/v1/auth/code-login", json={"phone": NEW_PHONE, "code": code})
    assert r.status_code == 400 and r.json()["code"] == "accounts_code_too_many_tries"


@pytest.mark.settings(code_ttl_seconds=0)
async def test_an_expired_code_is_refused(running):
    world = await make_world(volunteers=0)
    client = running.client()
    phone = world.phones["resident"]
    await ask(client, phone)
    r = await client.post(
        "/api/v1/auth/code-login", json={"phone": phone, "code": last_code(running, phone)}
    )
    assert r.status_code == 400 and r.json()["code"] == "accounts_code_invalid"


async def test_one_code_a_minute_per_phone_however_it_is_spelled(running):
    await make_world(volunteers=0)
    client = running.client()
    assert (await ask(client, NEW_PHONE)).status_code == 202
    r = await ask(client, "+86" + NEW_PHONE)
    assert r.status_code == 429 and r.json()["code"] == "accounts_code_too_soon"
    assert r.json()["field"] == "phone"
    assert len(sent(running)) == 1


@pytest.mark.settings(code_resend_seconds=0, codes_per_client_per_hour=100)
async def test_ten_codes_a_day_per_phone(running):
    await make_world(volunteers=0)
    client = running.client()
    for _ in range(10):
        assert (await ask(client, NEW_PHONE)).status_code == 202
    r = await ask(client, NEW_PHONE)
    assert r.status_code == 429 and r.json()["code"] == "accounts_code_daily_limit"


@pytest.mark.settings(codes_per_client_per_hour=3)
async def test_one_client_cannot_ask_codes_for_many_phones(running):
    await make_world(volunteers=0)
    client = running.client()
    for i in range(3):
        assert (await ask(client, f"1391234{i:04d}")).status_code == 202
    r = await ask(client, "13912349999")
    assert r.status_code == 429 and r.json()["code"] == "accounts_code_client_limit"


@pytest.mark.settings(code_resend_seconds=0)
async def test_password_set_by_code_ends_other_sessions(running):
    world = await make_world(volunteers=0)
    phone = world.phones["resident"]
    elsewhere = running.client()
    r = await elsewhere.post("/api/v1/auth/login", json={"phone": phone, "password": PASSWORD})
    assert r.status_code == 200
    assert (await elsewhere.get("/api/v1/me")).status_code == 200

    client = running.client()
    await ask(client, phone, "password")
    code = last_code(running, phone)
    for bad, why in [
        ("short7!", "accounts_password_too_short"),
        ("12345678", "accounts_password_common"),
        ("Password", "accounts_password_common"),
        (f"a{phone}", "accounts_password_is_phone"),
    ]:
        body = {"phone": phone, "code": code, "password": bad}
        r = await client.post("/api/v1/auth/password", json=body)
        assert r.status_code == 400 and r.json()["code"] == why, bad
        assert r.json()["field"] == "password"
    body = {"phone": phone, "code": code, "password": "青岛八大湖 2026 春天"}
    r = await client.post("/api/v1/auth/password", json=body)
    assert r.status_code == 200, r.text
    assert (await client.get("/api/v1/me")).status_code == 200
    assert (await elsewhere.get("/api/v1/me")).status_code == 401, "old session must end"
    old = await running.client().post(
        "/api/v1/auth/login", json={"phone": phone, "password": PASSWORD}
    )
    assert old.status_code == 401
    new = await running.client().post(
        "/api/v1/auth/login", json={"phone": phone, "password": "青岛八大湖 2026 春天"}
    )
    assert new.status_code == 200


async def test_a_code_for_signing_in_cannot_set_a_password(running):
    world = await make_world(volunteers=0)
    phone = world.phones["resident"]
    client = running.client()
    await ask(client, phone, "sign_in")
    body = {"phone": phone, "code": last_code(running, phone), "password": "a-long-fine-pass"}
    r = await client.post("/api/v1/auth/password", json=body)
    assert r.status_code == 400 and r.json()["code"] == "accounts_code_invalid"


async def test_sign_up_needs_a_real_compound_and_a_name(running):
    await make_world(volunteers=0)
    client = running.client()
    await ask(client, NEW_PHONE)
    body = {"phone": NEW_PHONE, "code": last_code(running), "name": "王芳", "compound_id": 99999}
    r = await client.post("/api/v1/auth/sign-up", json=body)
    assert r.status_code == 400
    r = await client.post("/api/v1/auth/sign-up", json={**body, "name": ""})
    assert r.status_code == 400 and r.json()["field"] == "name"
