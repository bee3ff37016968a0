"""The coordinator's matching form in Chromium: a refused run keeps the chosen scope and
options, and says why beside the scope, in the page's language."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.factories import make_person, make_world
from tests.fixtures import settings_for
from tests.integration.test_dispatch_live import served
from tests.web.test_browser import browser, phone, shot  # noqa: F401  (the fixture)


async def _busy(world, person: str, kind: str, scope_id: int) -> int:
    """A run of this scope still running: a second is refused (run_busy)."""
    from marketplace.dispatch.tables import MatchingRun

    run = MatchingRun(
        scope_kind=kind,
        scope_id=scope_id,
        active_scope=f"{kind}:{scope_id}",
        requested_by=world.people[person],
        state="running",
        created_at=datetime.now(UTC),
    )
    await run.save()
    return run.id


async def test_a_refused_run_keeps_the_scope_and_says_why_beside_it(browser):  # noqa: F811
    world = await make_world(volunteers=0)
    c1 = world.communities[0]
    await make_person(
        world,
        "both",
        roles=[("coordinator", c1, None), ("coordinator", None, world.sub_district)],
        community=c1,
        compound=world.compounds[0],
    )
    busy = await _busy(world, "both", "sub_district", world.sub_district)
    async with served(settings_for("memory")) as base:
        coord = await phone(browser, base, world.phones["both"])
        await coord.goto("/matching")
        options = await coord.locator("select[name=scope] option").all_inner_texts()
        assert "八大湖街道" in options and not any("sub-district" in o for o in options)
        await coord.select_option("select[name=scope]", f"sub_district:{world.sub_district}")
        await coord.uncheck("input[name=continuity]")
        await coord.check("input[name=fairness]")
        await coord.click("#run-matching")
        await coord.wait_for_selector("#error-scope")
        said = await coord.inner_text("#error-scope")
        assert f"第 {busy} 次匹配" in said, said
        assert await coord.input_value("select[name=scope]") == f"sub_district:{world.sub_district}"
        assert not await coord.is_checked("input[name=continuity]")
        assert await coord.is_checked("input[name=fairness]")
        assert await coord.locator(f"a[href='/matching/{busy}']").count() >= 1
        await shot(coord, "15-matching-refused")
