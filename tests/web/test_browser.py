"""Browser tests in headless Chromium (Debian's, driven by Python's playwright), at phone width.

Screenshots of each main page go to screenshots/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

import pytest

from tests.factories import PASSWORD, make_world
from tests.fixtures import settings_for
from tests.integration.test_dispatch_live import served

CHROMIUM = os.environ.get("LIANXIN_CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _executable() -> str | None:
    return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")


def _why_not() -> str | None:
    if _executable() is None:
        return (
            "Chromium is not installed (make browsers installs it as root with Debian's packages)"
        )
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        return "Python's playwright is not installed"
    return None


@pytest.fixture
async def browser(clean):
    if clean != "sqlite":
        pytest.skip(
            "browser tests run once, on SQLite (the pages call the same services on both engines)"
        )
    if reason := _why_not():
        pytest.skip(reason)
    from playwright.async_api import async_playwright

    SHOTS.mkdir(exist_ok=True)
    async with async_playwright() as p:
        b = await p.chromium.launch(
            executable_path=_executable(),
            args=ARGS,
        )
        yield b
        await b.close()


async def phone(browser, base: str, number: str):
    """A new phone-sized browser signed in as the person with this number."""
    context = await browser.new_context(
        viewport={"width": 375, "height": 812}, base_url=base, locale="zh-CN"
    )
    page = await context.new_page()
    await page.goto("/login")
    await page.fill("input[name=phone]", number)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("form.form button")
    await page.wait_for_url(f"{base}/")
    return page


async def shot(page, name: str) -> None:
    await page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{name} overflows a 375 px screen ({width} px)"


async def test_wish_loop_with_two_volunteers_racing(browser):
    world = await make_world(volunteers=2)
    async with served(settings_for("memory")) as base:
        resident = await phone(browser, base, world.phones["resident"])
        await shot(resident, "01-resident-home")
        await resident.goto("/wishes/new")
        await resident.check("input[value=companionship]")
        await resident.fill("input[name=title]", "周末陪我下棋")
        await resident.fill("input[name=hours]", "2")
        await shot(resident, "02-make-a-wish")
        await resident.click("text=提交心愿")
        await resident.wait_for_selector("text=您的心愿已提交")
        wish_url = resident.url
        await resident.goto("/wishes/new")  # a second wish: what the loser is offered instead
        await resident.check("input[value=errands]")
        await resident.fill("input[name=title]", "帮我取快递")
        await resident.click("text=提交心愿")
        await resident.wait_for_selector("text=您的心愿已提交")

        coord = await phone(browser, base, world.phones["coord"])
        await coord.goto("/review")
        await shot(coord, "03-review-queue")
        for _ in range(2):
            await coord.click("form[action$='/publish'] button")
            await coord.wait_for_selector("text=完成")

        v0 = await phone(browser, base, world.phones["vol0"])
        v1 = await phone(browser, base, world.phones["vol1"])
        for v in (v0, v1):
            await v.goto("/tasks")
        await shot(v0, "04-tasks-near-me")
        card = await v0.locator("li.card", has_text="周末陪我下棋").get_attribute("id")
        button = f"#{card} .claim-area button"
        await asyncio.gather(v0.click(button), v1.click(button))
        results = []
        for v in (v0, v1):
            await v.wait_for_selector(".claim-won, .claim-lost")
            results.append(await v.locator(".claim-won").count())
        assert sorted(results) == [0, 1], results
        winner, loser = (v0, v1) if results[0] else (v1, v0)
        assert "已被他人认领" in await loser.inner_text(".claim-lost")
        assert "帮我取快递" in await loser.inner_text(f"#{card}")  # the next nearest, offered
        await shot(loser, "05-claim-lost")

        await winner.goto("/my-tasks")
        await shot(winner, "06-my-tasks")
        await winner.fill("input[name=note]", "陪老人下了两盘棋")
        await winner.click("text=完成——标记圆梦")
        await winner.wait_for_selector("text=完成。")

        await resident.goto(wish_url)
        await resident.check("input[name=rating][value='5']")
        await shot(resident, "07-confirm-and-rate")
        await resident.click("form[action$='/confirm'] button")
        await resident.wait_for_selector("text=已确认")
        await shot(resident, "08-timeline")

        await resident.goto("/text-size")  # the larger-text switch, on the same phone
        await resident.goto("/wishes/new")
        assert await resident.evaluate("getComputedStyle(document.body).fontSize") == "22px"
        await shot(resident, "11-make-a-wish-larger-text")
        await resident.goto("/lang/en")  # the English switch
        await resident.goto(wish_url)
        assert "Status: Confirmed" in await resident.inner_text("main")  # the English labels
        await shot(resident, "14-timeline-english-larger-text")
        await coord.goto("/review")
        await coord.click("form[action$='/announce'] button")
        await coord.goto("/board")
        await shot(coord, "12-public-board")
        assert "林**" in await coord.inner_text("main")
        assert "林resident" not in await coord.inner_text("main")


async def test_coordinator_runs_a_matching_and_dispatches_it(browser):
    world = await make_world(volunteers=3)
    async with served(settings_for("memory")) as base:
        coord = await phone(browser, base, world.phones["coord"])
        await coord.set_viewport_size({"width": 1280, "height": 900})  # the coordinator's desk
        resident = await phone(browser, base, world.phones["resident"])
        for i in range(3):
            await resident.goto("/wishes/new")
            await resident.fill("input[name=title]", f"修理门锁 {i}")
            await resident.check("input[value=repairs]")
            await resident.click("text=提交心愿")
            await resident.wait_for_selector("text=您的心愿已提交")
        await coord.goto("/review")
        for _ in range(3):
            await coord.click("form[action$='/publish'] button")
            await coord.wait_for_load_state()
        await coord.goto("/matching")
        await coord.click("#run-matching")
        await coord.wait_for_selector("progress")
        seen = await coord.eval_on_selector("progress", "p => p.value")
        assert 0 <= seen <= 1
        await coord.wait_for_selector("#dispatch", timeout=60_000)
        await shot_desk(coord, "09-proposal")
        assert await coord.locator("input[name=assignment]").count() == 3
        await coord.click("#dispatch")
        await coord.wait_for_selector("text=已派单")
        vol = await phone(browser, base, world.phones["vol0"])
        await vol.goto("/my-tasks")
        await shot(vol, "10-dispatched-task")
        await coord.goto("/dashboard")
        await coord.wait_for_selector("#weekly canvas")
        await shot_desk(coord, "13-dashboard")


async def shot_desk(page, name: str) -> None:
    await page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
