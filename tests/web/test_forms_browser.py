"""Forms acting on one item, in Chromium at phone width: a refusal comes back in place, beside
its field, with what was typed still in the field (the wish's reopen reason, the review's reject
reason)."""

from __future__ import annotations

from tests.factories import WISH, as_, make_world, wish_in_state
from tests.fixtures import settings_for
from tests.integration.test_dispatch_live import served
from tests.web.test_browser import browser, phone, shot  # noqa: F401  (the fixture)


async def test_a_refused_reason_stays_typed_beside_its_field(browser, running):  # noqa: F811
    world = await make_world(volunteers=1)
    met = await wish_in_state(running, world, "fulfilled")
    await (await as_(running, world, "resident")).post(
        "/api/v1/wishes", json={**WISH, "title": "请帮忙修门锁"}
    )
    async with served(settings_for("memory")) as base:
        resident = await phone(browser, base, world.phones["resident"])
        await resident.goto(f"/wishes/{met}")
        long = "志愿者没有来，" * 300  # more than the 2000 characters a reason may have
        await resident.fill("#reopen-form input[name=reason]", long)
        await resident.click("#reopen-form button")
        await resident.wait_for_selector("#error-reason")
        assert "理由最多 2000 个字" in await resident.inner_text("#error-reason")
        assert await resident.input_value("#reopen-form input[name=reason]") == long
        assert await resident.locator(".flash").count() == 0
        await shot(resident, "30-reopen-refused")

        coord = await phone(browser, base, world.phones["coord"])
        await coord.goto("/review")
        card = coord.locator("li.card", has_text="请帮忙修门锁")
        await card.locator("select[name=code]").select_option("cash")
        await card.locator("input[name=reason]").fill("   ")  # only spaces
        await card.locator("form.form button").click()
        await coord.wait_for_selector("#error-reason")
        card = coord.locator("li.card", has_text="请帮忙修门锁")
        assert "请填写理由" in await card.locator("#error-reason").inner_text()
        assert await card.locator("select[name=code]").input_value() == "cash"
        await shot(coord, "31-reject-refused")
