"""Issue 23 in Chromium at 375 px: a notice arrives live in the open inbox with the menu's count,
the resident sees who is coming with the visit code, and cancelling asks first."""

from __future__ import annotations

import httpx

from tests.factories import WISH, make_world
from tests.fixtures import settings_for
from tests.integration.test_dispatch_live import served
from tests.web.test_browser import browser, phone, shot  # noqa: F401  (the fixture)


async def _api(base: str, world, key: str) -> httpx.AsyncClient:
    from tests.factories import PASSWORD

    client = httpx.AsyncClient(base_url=base)
    r = await client.post(
        "/api/v1/auth/login", json={"phone": world.phones[key], "password": PASSWORD}
    )
    assert r.status_code == 200, r.text
    return client


async def test_inbox_live_who_is_coming_and_confirm_before_cancel(browser):  # noqa: F811
    world = await make_world(volunteers=1)
    async with served(settings_for("memory")) as base:
        coord = await _api(base, world, "coord")
        vol = await _api(base, world, "vol0")
        resident = await phone(browser, base, world.phones["resident"])
        await resident.goto("/wishes/new")
        await resident.fill("input[name=title]", WISH["title"])
        await resident.check("input[value=tutoring]")
        await resident.click("text=提交心愿")
        await resident.wait_for_selector("text=您的心愿已提交")
        wid = int(resident.url.rstrip("/").split("/")[-1])
        await resident.goto("/inbox")
        await resident.wait_for_timeout(500)  # the page's stream is subscribed
        assert (await coord.post(f"/api/v1/wishes/{wid}/publish")).status_code == 200
        await resident.wait_for_selector("#notices li.unread >> text=已发布", timeout=15_000)
        await resident.wait_for_selector(".inbox-link .count >> text=1 条未读")
        await shot(resident, "23-inbox-live")
        task_id = (await coord.get(f"/api/v1/wishes/{wid}")).json()["task_id"]
        assert (await vol.post(f"/api/v1/tasks/{task_id}/claim")).status_code == 200
        await resident.goto(f"/wishes/{wid}")
        await resident.wait_for_selector(".visit .code")
        code = await resident.inner_text(".visit .code")
        assert len(code) == 4 and code.isdigit()
        await shot(resident, "23-who-is-coming")
        await resident.goto("/inbox")
        await shot(resident, "23-inbox")
        await coord.aclose()
        await vol.aclose()
        await resident.context.close()  # ends the page's live stream before the server stops
