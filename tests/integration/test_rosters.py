"""Roster import over HTTP: the template, a dry run that reports every bad row in Chinese and
writes nothing, all-or-nothing and valid-only imports, idempotence, invitations."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

from marketplace.accounts.tables import Person, RoleGrant, VolunteerProfile
from marketplace.notifications.tables import Notification
from marketplace.org.tables import Building, Compound, Residence
from marketplace.rosters.rules import COLUMNS, RosterKind
from marketplace.rosters.tables import PriorityRecord
from marketplace.volunteers.tables import VolunteerApplication
from tests.factories import as_, make_world


def xlsx(kind: RosterKind, rows: list[tuple]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(COLUMNS[kind]))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


async def upload(client, kind: str, community: int, content: bytes, mode: str):
    return await client.post(
        f"/api/v1/rosters/{kind}/import?community_id={community}&mode={mode}",
        files={"data": ("名册.xlsx", content, "application/octet-stream")},
    )


async def _building(world) -> None:
    await Building(name="3号楼", compound=world.compounds[0], lat=36.0701, lng=120.3812).save()


async def test_template_has_chinese_headers_and_an_example(running):
    world = await make_world(volunteers=0)
    coord = await as_(running, world, "coord")
    r = await coord.get("/api/v1/rosters/volunteers/template")
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("姓名", "手机号", "小区") and "所在党支部" in rows[0]
    assert len(rows) == 2 and rows[1][0] == "林秀兰"
    assert (await coord.get("/api/v1/rosters/nobody/template")).status_code == 400


async def test_dry_run_reports_every_bad_row_and_writes_nothing(running):
    world = await make_world(volunteers=0)
    await _building(world)
    coord = await as_(running, world, "coord")
    people = await Person.count()
    rows = [
        ("王芳", "138 0000 9001", "小区1", "3号楼", "2", "301", "空巢老人", "是"),
        ("李强", "12345", "小区1", "3号楼", "2", "302", "", ""),
        ("赵六", "13800009003", "没有的小区", "", "", "", "", ""),
        ("钱七", "13800009004", "小区1", "9号楼", "1", "101", "", ""),
        ("王芳二", "+86 138-0000-9001", "小区1", "3号楼", "2", "303", "", ""),
        ("孙八", "13800009006", "小区1", "3号楼", "1", "101", "低保户", "否"),
        ("周九", "", "小区1", "3号楼", "1", "102", "", ""),
        ("吴十", "", "小区1", "", "", "", "", ""),
    ]
    r = await upload(
        coord, "residents", world.communities[0], xlsx(RosterKind.RESIDENTS, rows), "dry_run"
    )
    assert r.status_code == 200, r.text
    rep = r.json()
    assert (rep["rows"], rep["valid"], rep["committed"]) == (8, 2, False)
    got = {(e["row"], e["code"]) for e in rep["errors"]}
    assert got == {
        (3, "roster_bad_phone"),
        (4, "roster_unknown_compound"),
        (5, "roster_unknown_building"),
        (6, "roster_duplicate"),
        (7, "roster_missing_consent"),
        (9, "roster_phoneless_needs_address"),
    }
    messages = {e["row"]: e["message"] for e in rep["errors"]}
    assert messages[3].startswith("第3行「手机号」") and "12345" in messages[3]
    assert "没有的小区" in messages[4] and "第2行" in messages[6] and "同意" in messages[7]
    assert await Person.count() == people

    r = await upload(
        coord, "residents", world.communities[0], xlsx(RosterKind.RESIDENTS, rows), "all"
    )
    assert r.json()["committed"] is False and await Person.count() == people

    r = await upload(
        coord, "residents", world.communities[0], xlsx(RosterKind.RESIDENTS, rows), "valid_only"
    )
    rep = r.json()
    assert rep["committed"] and (rep["created"], rep["invited"]) == (2, 1)
    assert await Person.count() == people + 2
    wang = await Person.select().where(Person.phone == "13800009001").first()
    assert wang["address"] == "3号楼2单元301" and wang["lat"] == 36.0701
    assert await Residence.exists().where(Residence.person == wang["id"])
    record = await PriorityRecord.select().where(PriorityRecord.person == wang["id"]).first()
    assert record["recorded_by"] == world.people["coord"]
    invites = await Notification.select().where(Notification.kind == "roster.invited")
    assert [n["person"] for n in invites] == [wang["id"]] and "社区1" in invites[0]["title"]

    again = (
        await upload(
            coord, "residents", world.communities[0], xlsx(RosterKind.RESIDENTS, rows), "valid_only"
        )
    ).json()
    assert (again["created"], again["roles_added"], again["unchanged"]) == (0, 0, 2)
    assert again["committed"] is False
    assert await Person.count() == people + 2
    assert await Notification.count() == 1


async def test_volunteer_roster_certifies_party_members_of_the_community(running):
    world = await make_world(volunteers=0)
    coord, coord2 = [await as_(running, world, k) for k in ("coord", "coord2")]
    rows = [
        (
            "陈党员",
            "13800009101",
            "小区1",
            "",
            "",
            "",
            "在职党员",
            "市教育局第一党支部",
            "学业辅导、维修",
            6,
        ),
        ("刘能人", "13800009102", "小区1", "", "", "", "治理能人", "", "电工", ""),
        ("无支部", "13800009103", "小区1", "", "", "", "报到党员", "", "", ""),
        ("怪技能", "13800009104", "小区1", "", "", "", "志愿者", "", "飞行", ""),
        ("已有人", world.phones["resident"], "小区1", "", "", "", "志愿者", "", "陪伴", 3),
    ]
    content = xlsx(RosterKind.VOLUNTEERS, rows)
    r = await upload(coord2, "volunteers", world.communities[0], content, "dry_run")
    assert r.status_code == 403
    r = await upload(coord, "volunteers", world.communities[0], content, "valid_only")
    rep = r.json()
    assert {e["code"] for e in rep["errors"]} == {"roster_branch_needed", "roster_bad_skill"}
    assert (rep["created"], rep["roles_added"]) == (2, 1)
    chen = await Person.select().where(Person.phone == "13800009101").first()
    app = (
        await VolunteerApplication.select().where(VolunteerApplication.person == chen["id"]).first()
    )
    assert app["status"] == "certified" and app["party_branch"] == "市教育局第一党支部"
    assert app["decided_by"] == world.people["coord"]
    profile = (
        await VolunteerProfile.select()
        .where(VolunteerProfile.person == chen["id"])
        .output(load_json=True)
        .first()
    )
    assert profile["skills"] == ["repairs", "tutoring"] and profile["weekly_hours"] == 6
    roles = {g["role"] for g in await RoleGrant.select().where(RoleGrant.person == chen["id"])}
    assert roles == {"resident", "volunteer"}
    assert await RoleGrant.exists().where(
        (RoleGrant.person == world.people["resident"]) & (RoleGrant.role == "volunteer")
    )
    again = (await upload(coord, "volunteers", world.communities[0], content, "valid_only")).json()
    assert (again["created"], again["roles_added"], again["unchanged"]) == (0, 0, 3)


async def test_grid_worker_roster_and_bad_files(running):
    world = await make_world(volunteers=0)
    coord = await as_(running, world, "coord")
    rows = [
        ("郑网格", "13800009201", "小区1", "", "", "", "网格1", "网格长"),
        ("错网格", "13800009202", "小区1", "", "", "", "网格9", ""),
    ]
    rep = (
        await upload(
            coord, "grid_workers", world.communities[0], xlsx(RosterKind.GRID_WORKERS, rows), "all"
        )
    ).json()
    assert [e["code"] for e in rep["errors"]] == ["roster_unknown_grid"] and not rep["committed"]
    rep = (
        await upload(
            coord,
            "grid_workers",
            world.communities[0],
            xlsx(RosterKind.GRID_WORKERS, rows[:1]),
            "all",
        )
    ).json()
    assert rep["committed"] and rep["created"] == 1
    grant = (
        await RoleGrant.select()
        .where(RoleGrant.role == "grid_worker")
        .order_by(RoleGrant.id, ascending=False)
        .first()
    )
    assert grant["title"] == "网格长"
    r = await upload(coord, "grid_workers", world.communities[0], b"not a workbook", "dry_run")
    assert r.status_code == 400 and r.json()["field"] == "file"
    wrong = xlsx(RosterKind.RESIDENTS, [])
    r = await upload(coord, "grid_workers", world.communities[0], wrong, "dry_run")
    assert r.status_code == 400 and "网格" in r.json()["message"]
    r = await upload(coord, "grid_workers", world.communities[0], wrong, "everything")
    assert r.status_code == 400


async def test_compounds_and_buildings_import(running):
    world = await make_world(volunteers=0)
    coord, coord2 = [await as_(running, world, k) for k in ("coord", "coord2")]
    wb = Workbook()
    ws = wb.active
    ws.append(["小区", "楼栋", "纬度", "经度"])
    ws.append(["新小区", "", 36.071, 120.382])
    ws.append(["新小区", "1号楼", 36.0711, 120.3821])
    ws.append(["小区1", "5号楼", 36.0702, 120.3811])
    buf = io.BytesIO()
    wb.save(buf)
    url = f"/api/v1/org/communities/{world.communities[0]}/places-import"
    files = {"data": ("places.xlsx", buf.getvalue(), "application/octet-stream")}
    assert (await coord2.post(url, files=files)).status_code == 403
    rep = (await coord.post(url, files=files)).json()
    assert (rep["compounds_added"], rep["buildings_added"], rep["dry_run"]) == (1, 2, True)
    before = await Compound.count()
    rep = (await coord.post(url + "?dry_run=false", files=files)).json()
    assert rep["dry_run"] is False and await Compound.count() == before + 1
    assert await Building.count() == 2
    rep = (await coord.post(url + "?dry_run=false", files=files)).json()
    assert (rep["compounds_added"], rep["buildings_added"]) == (0, 0)
    assert await Building.count() == 2


async def test_a_form_without_a_file_is_refused_naming_the_file(running):
    """It was a 500 (found by tests/security/test_schemathesis.py)."""
    world = await make_world(volunteers=0)
    coord = await as_(running, world, "coord")
    urls = [
        f"/api/v1/rosters/residents/import?community_id={world.communities[0]}",
        f"/api/v1/org/communities/{world.communities[0]}/places-import",
    ]
    for url in urls:
        r = await coord.post(url, files={"note": (None, "no file here")})
        assert r.status_code == 400, (url, r.text)
        body = r.json()
        assert (body["code"], body["field"]) == ("upload_missing", "file")
        assert body["message"] == "请选择要上传的文件。"
