"""Browser test of the sign-up (注册) at phone width: a new person asks for a code, types it,
chooses community and compound, and lands signed in as a resident. The code is read as the
console SMS backend sends it (to the server log)."""

from __future__ import annotations

import re

from tests.factories import make_world
from tests.fixtures import settings_for
from tests.integration.test_dispatch_live import served
from tests.web.test_browser import browser, shot  # noqa: F401  (the fixture)


async def test_a_new_resident_signs_up_with_a_code(browser, monkeypatch):  # noqa: F811
    from marketplace.accounts.tables import Person, RoleGrant
    from marketplace.sms.sender import ConsoleSender

    texts: list[str] = []
    real_send = ConsoleSender.send

    async def send(self, *, phone, template, params):
        texts.append(f"{phone}: 验证码是{params['code']}")
        await real_send(self, phone=phone, template=template, params=params)

    monkeypatch.setattr(ConsoleSender, "send", send)

    world = await make_world(volunteers=0)
    async with served(settings_for("memory")) as base:
        context = await browser.new_context(
            viewport={"width": 375, "height": 812}, base_url=base, locale="zh-CN"
        )
        page = await context.new_page()
        await page.goto("/login")
        await page.click("text=验证码登录")
        await page.fill("input[name=phone]", "139 1234 5678")
        await page.click("text=获取验证码")
        await page.wait_for_selector("input[name=code]")
        code = re.search(r"13912345678: 验证码是(\d{6})", "\n".join(texts)).group(1)
        await shot(page, "20-sign-in-with-a-code")
        await page.fill("input[name=code]", code)
        await page.click("form.form button")
        await page.wait_for_selector("text=这个号码还没有账号")
        await page.fill("input[name=name]", "王芳")
        await page.select_option("select[name=compound_id]", str(world.compounds[1]))
        await shot(page, "21-sign-up")
        await page.click("form[action='/signup'] button")
        await page.wait_for_url(f"{base}/")
        await page.wait_for_selector("text=欢迎！您已注册成功。")
        await shot(page, "22-signed-up")
        await context.close()
    person = await Person.select().where(Person.phone == "13912345678").first()
    assert person["name"] == "王芳" and person["compound"] == world.compounds[1]
    grants = await RoleGrant.select().where(RoleGrant.person == person["id"])
    assert [(g["role"], g["community"]) for g in grants] == [("resident", world.communities[1])]
