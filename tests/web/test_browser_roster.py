"""Browser test of the roster import (名册导入): a coordinator at phone width uploads an .xlsx,
reads the dry run's report in Chinese, then imports only the correct rows."""

from __future__ import annotations

from openpyxl import Workbook

from marketplace.accounts.tables import Person
from marketplace.rosters.rules import COLUMNS, RosterKind
from tests.factories import make_world
from tests.fixtures import settings_for
from tests.integration.test_dispatch_live import served
from tests.web.test_browser import browser, phone, shot  # noqa: F401  (the fixture)


def _file(tmp_path) -> str:
    wb = Workbook()
    ws = wb.active
    ws.append(list(COLUMNS[RosterKind.VOLUNTEERS]))
    ws.append(
        ["陈党员", "13800006001", "小区1", "", "", "", "在职党员", "第一党支部", "学业辅导", 4]
    )
    ws.append(["刘志愿", "13800006002", "小区1", "", "", "", "志愿者", "", "陪伴", 2])
    ws.append(["错号码", "1380000", "小区1", "", "", "", "志愿者", "", "", ""])
    ws.append(["无支部", "13800006004", "小区1", "", "", "", "报到党员", "", "", ""])
    path = tmp_path / "志愿者名册.xlsx"
    wb.save(path)
    return str(path)


async def test_coordinator_checks_then_imports_a_roster(browser, tmp_path):  # noqa: F811
    world = await make_world(volunteers=0)
    path = _file(tmp_path)
    async with served(settings_for("memory")) as base:
        coord = await phone(browser, base, world.phones["coord"])
        await coord.click("text=导入名册")
        await coord.wait_for_selector("h1:has-text('导入名册')")
        await coord.select_option("select[name=kind]", "volunteers")
        await coord.set_input_files("input[name=file]", path)
        await shot(coord, "20-roster-upload")
        await coord.click("#roster-form button")
        report = coord.locator("#roster-report")
        await report.wait_for()
        text = await report.inner_text()
        assert "共 4 行，2 行正确，2 行有问题" in text
        assert "第4行「手机号」" in text and "第5行「所在党支部」" in text
        assert "没有导入任何内容" in text
        await shot(coord, "21-roster-dry-run")
        assert not await Person.exists().where(Person.phone == "13800006001")

        await coord.set_input_files("input[name=file]", path)
        await coord.check("input[value=valid_only]")
        await coord.click("#roster-form button")
        await coord.wait_for_selector("text=已导入：新增 2 人")
        await shot(coord, "22-roster-imported")
        assert await Person.exists().where(Person.phone == "13800006001")
        assert not await Person.exists().where(Person.phone == "13800006004")
