"""Issue 21 items 6, 10, 11 and 12: what every response carries, cookies and sessions, CSRF
tied to the session, JSON-only bodies, and bad input that never answers 500."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from tests.factories import PASSWORD, as_, make_world
from tests.fixtures import settings_for, start_app
from tests.web.helpers import page_login, token

TEMPLATES = Path(__file__).resolve().parents[2] / "marketplace" / "web" / "templates"


def _csp(response) -> dict[str, str]:
    policy = response.headers.get("content-security-policy", "")
    return {d.split()[0]: d for d in (p.strip() for p in policy.split(";")) if d}


async def test_public_cacheable_answers_never_set_cookies(running):
    """Item 6: the board is cacheable by shared caches, so it must not carry the session."""
    world = await make_world()
    resident = await as_(running, world, "resident")
    r = await resident.get("/api/v1/announcements")
    assert r.status_code == 200 and "public" in r.headers["cache-control"]
    assert "set-cookie" not in r.headers
    assert (await resident.get("/api/v1/me")).status_code == 200  # the session still lives


async def test_security_headers_on_every_response(running):
    """Item 10: API, page, error, asset and unknown path alike."""
    world = await make_world()
    resident = await as_(running, world, "resident")
    paths = [
        "/api/v1/me",
        "/wishes",
        "/login",
        "/api/v1/wishes/999999",
        "/nope",
        "/static/app/app.css",
    ]
    for path in paths:
        r = await resident.get(path)
        assert r.headers.get("x-content-type-options") == "nosniff", path
        assert r.headers.get("x-frame-options") == "DENY", path
        assert r.headers.get("referrer-policy") in ("same-origin", "no-referrer"), path
        csp = _csp(r)
        assert csp.get("frame-ancestors") == "frame-ancestors 'none'", path
        assert "'unsafe-inline'" not in csp.get("script-src", "unsafe"), path
        assert csp.get("default-src") == "default-src 'self'", path


async def test_pages_with_personal_data_are_not_stored(running):
    """Item 10: pages showing a person's wishes, tasks or residents are Cache-Control no-store."""
    world = await make_world()
    client = running.client()
    await page_login(client, world.phones["grid"])
    for path in ("/grid", "/inbox", "/"):
        r = await client.get(path)
        assert r.status_code == 200 and "no-store" in r.headers.get("cache-control", ""), path


def test_pages_have_no_inline_script():
    """Item 10: the CSP forbids inline script, so no template may carry one (JSON data blocks
    are data, not script)."""
    offenders = []
    for template in TEMPLATES.glob("*.html"):
        html = template.read_text()
        for tag in re.findall(r"<script\b[^>]*>", html):
            if "src=" not in tag and "application/json" not in tag:
                offenders.append(f"{template.name}: {tag}")
        offenders += [f"{template.name}: {m}" for m in re.findall(r"\son[a-z]+\s*=", html)]
        offenders += [f"{template.name}: javascript:" for _ in re.findall("javascript:", html)]
        offenders += [f"{template.name}: {m}" for m in re.findall(r"hx-on[:\w-]*=", html)]
    assert offenders == []


async def test_cookies_are_secure_over_https(clean):
    """Item 11: with LIANXIN_HTTPS the session and CSRF cookies are Secure."""
    world = await make_world()
    app = await start_app(settings_for("memory", https=True))
    try:
        client = app.client()
        form = await client.get("/login")
        assert "secure" in form.headers["set-cookie"].lower()
        r = await client.post(
            "/api/v1/auth/login", json={"phone": world.phones["resident"], "password": PASSWORD}
        )
        session = [c for c in r.headers.get_list("set-cookie") if c.startswith("lianxin_session=")]
        assert session and "secure" in session[0].lower()
    finally:
        await app.stop()


class _Clock:
    """Stands in for the time module inside marketplace.accounts.sessions."""

    def __init__(self) -> None:
        self.offset = 0.0

    def time(self) -> float:
        return time.time() + self.offset


async def test_sessions_end_when_idle_and_after_their_lifetime(running, monkeypatch):
    """Item 11: an idle session dies after session_idle_seconds, a busy one after
    session_max_age_seconds from sign-in, whatever the cookie says."""
    from marketplace.accounts import sessions

    clock = _Clock()
    monkeypatch.setattr(sessions, "time", clock)
    world = await make_world()
    settings = running.app.state.settings
    client = await as_(running, world, "resident")
    clock.offset = settings.session_idle_seconds - 60
    assert (await client.get("/api/v1/me")).status_code == 200
    clock.offset += settings.session_idle_seconds + 1
    assert (await client.get("/api/v1/me")).status_code == 401
    assert (await client.get("/wishes")).status_code in (302, 303)  # the pages agree

    busy = await as_(running, world, "grid")
    signed_in = clock.offset  # the lifetime counts from this sign-in
    step = settings.session_idle_seconds // 2
    while (
        clock.offset - signed_in
        < 2 * settings.session_idle_seconds + settings.session_max_age_seconds
    ):
        clock.offset += step
        if (await busy.get("/api/v1/me")).status_code == 401:
            break
    lived = clock.offset - signed_in
    assert settings.session_max_age_seconds <= lived <= settings.session_max_age_seconds + step


async def test_logout_deletes_the_cookie(running):
    """Item 11: the cookie is deleted (Max-Age=0), not left a week with a null value."""
    world = await make_world()
    client = await as_(running, world, "resident")
    r = await client.post("/api/v1/auth/logout")
    cookie = next(c for c in r.headers.get_list("set-cookie") if c.startswith("lianxin_session="))
    assert "max-age=0" in cookie.lower()
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_csrf_tokens_are_tied_to_the_session(running):
    """Item 11: a token (and its cookie) taken from one session is refused in another."""
    world = await make_world()
    mallory, victim = running.client(), running.client()
    await page_login(mallory, world.phones["other_resident"])
    await page_login(victim, world.phones["resident"])
    stolen = token((await mallory.get("/wishes/new")).text)
    victim.cookies.set("lianxin_csrf", mallory.cookies.get("lianxin_csrf"))
    r = await victim.post("/logout", data={"_csrf_token": stolen})
    assert r.status_code == 403
    victim.cookies.delete("lianxin_csrf")
    own = token((await victim.get("/wishes/new")).text)
    assert (await victim.post("/logout", data={"_csrf_token": own})).status_code in (302, 303)


def test_production_refuses_the_development_secret(monkeypatch):
    """Item 11: LIANXIN_ENV=production without a real LIANXIN_SECRET does not start."""
    from marketplace.app import create_app
    from marketplace.settings import InsecureConfiguration, Settings

    monkeypatch.setenv("LIANXIN_ENV", "production")
    monkeypatch.delenv("LIANXIN_SECRET", raising=False)
    with pytest.raises(InsecureConfiguration):
        create_app(Settings.from_env())
    monkeypatch.setenv("LIANXIN_SECRET", "short")
    with pytest.raises(InsecureConfiguration):
        Settings.from_env().check()
    monkeypatch.setenv("LIANXIN_SECRET", "x" * 40)
    Settings.from_env().check()
    monkeypatch.delenv("LIANXIN_ENV")
    monkeypatch.delenv("LIANXIN_SECRET")
    Settings.from_env().check()  # development (make run, make test, the demo) needs nothing


async def test_api_bodies_only_as_json(running):
    """Item 11: a JSON body sent as text/plain or a form (what a cross-site form can send) is
    refused with 415."""
    world = await make_world()
    resident = await as_(running, world, "resident")
    body = '{"title": "x", "category": "tutoring"}'
    for content_type in ("text/plain", "application/x-www-form-urlencoded"):
        r = await resident.post(
            "/api/v1/wishes", content=body, headers={"content-type": content_type}
        )
        assert r.status_code == 415 and r.json()["code"] == "security_json_only", content_type
    r = await resident.post("/api/v1/auth/logout")  # no body at all is fine
    assert r.status_code == 200


async def test_bad_input_never_answers_500(running):
    """Item 12: JSON nested 50,000 deep, and an offset of 1e20, are 400s naming the problem."""
    world = await make_world()
    resident = await as_(running, world, "resident")
    deep = "[" * 50_000 + "]" * 50_000
    r = await resident.post(
        "/api/v1/wishes", content=deep, headers={"content-type": "application/json"}
    )
    assert r.status_code == 400 and r.json()["code"] == "security_too_deep"
    r = await resident.get("/api/v1/wishes", params={"offset": 10**20})
    assert r.status_code == 400 and r.json()["field"] == "offset"
