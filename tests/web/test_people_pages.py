"""Pages of issue 20 (zh-CN first, CSRF): applying to volunteer and being certified, role
grants, the profile's home picker (no typed coordinates), compounds and buildings, roster import
by upload, and the grid page offering an existing resident instead of a second one."""

from __future__ import annotations

import io

from openpyxl import Workbook

from marketplace.accounts.tables import Person, RoleGrant, VolunteerProfile
from marketplace.org.tables import Building
from marketplace.rosters.rules import COLUMNS, RosterKind
from tests.factories import make_world
from tests.web.helpers import beside, page_login, post_form, token


async def signed_in(running, world, key):
    client = running.client()
    r = await page_login(client, world.phones[key])
    assert r.status_code == 303, r.text[:500]
    return client


async def test_apply_then_certified_on_the_people_page(running):
    world = await make_world(volunteers=0)
    resident = await signed_in(running, world, "resident")
    home = await resident.get("/")
    assert "申请当志愿者" in home.text
    page = await resident.get("/volunteer/apply")
    assert page.status_code == 200 and "在职党员" in page.text and "所在党支部" in page.text
    assert 'name="home_lat"' not in page.text and 'name="lat"' not in page.text
    r = await post_form(
        resident,
        "/volunteer/apply",
        "/volunteer/apply",
        {"kind": "party_in_service", "skills": "tutoring", "weekly_hours": "3"},
    )
    assert r.status_code == 400 and "党员请填写所在党支部" in r.text
    r = await post_form(
        resident,
        "/volunteer/apply",
        "/volunteer/apply",
        {
            "kind": "party_in_service",
            "party_branch": "市教育局第一党支部",
            "skills": "tutoring",
            "weekly_hours": "3",
            "compound_id": str(world.compounds[0]),
        },
    )
    assert r.status_code == 303
    assert "待审核" in (await resident.get("/volunteer/apply")).text

    coord = await signed_in(running, world, "coord")
    people = await coord.get("/people")
    assert people.status_code == 200 and "林resident" in people.text and "待审核" in people.text
    app_id = people.text.split('id="application-')[1].split('"')[0]
    r = await post_form(coord, "/people", f"/people/applications/{app_id}/certify")
    assert r.status_code == 303
    assert "已认证" in (await coord.get("/people")).text
    r = await post_form(coord, "/people", f"/people/applications/{app_id}/suspend", {"reason": " "})
    assert r.status_code == 400 and beside(r.text, "请填写原因。", "reason")  # on its card
    assert 'class="flash' not in r.text and "已认证" in r.text
    assert await RoleGrant.exists().where(
        (RoleGrant.person == world.people["resident"]) & (RoleGrant.role == "volunteer")
    )
    r = await post_form(
        coord,
        "/people",
        "/people/grants",
        {
            "phone": world.phones["other_resident"],
            "role": "grid_worker",
            "scope": f"c:{world.communities[0]}",
            "title": "楼栋长",
        },
    )
    assert r.status_code == 303
    page = await coord.get("/people")
    assert "楼栋长" in page.text and "林other_resident" in page.text
    # a refusal is said in Chinese
    r = await post_form(
        coord,
        "/people",
        "/people/grants",
        {
            "phone": "13000000000",
            "role": "coordinator",
            "scope": f"c:{world.communities[0]}",
            "title": "副书记",
        },
    )
    assert r.status_code == 400 and beside(r.text, "没有用这个手机号注册的人", "phone")
    assert 'value="13000000000"' in r.text and 'value="副书记"' in r.text  # the form is kept
    assert f'value="c:{world.communities[0]}" selected' in r.text
    assert 'value="coordinator" selected' in r.text


async def test_profile_home_is_picked_never_typed(running):
    world = await make_world(volunteers=1)
    b = Building(name="7号楼", compound=world.compounds[0], lat=36.0755, lng=120.3855)
    await b.save()
    vol = await signed_in(running, world, "vol0")
    page = await vol.get("/profile")
    assert page.status_code == 200 and "使用我的位置" in page.text and "7号楼" in page.text
    assert 'name="home_lat"' not in page.text and "/static/app/home.js" in page.text
    assert "<script>" not in page.text  # no inline script
    form = {
        "skills": "tutoring",
        "weekly_hours": "5",
        "weekly_tasks": "2",
        "max_distance_m": "2000",
    }
    r = await post_form(vol, "/profile", "/profile", {**form, "building_id": str(b.id)})
    assert r.status_code == 303
    p = (
        await VolunteerProfile.select()
        .where(VolunteerProfile.person == world.people["vol0"])
        .first()
    )
    assert (p["home_lat"], p["home_building"], p["weekly_hours"]) == (36.0755, b.id, 5)
    r = await post_form(vol, "/profile", "/profile", {**form, "lat": "36.09", "lng": "120.40"})
    p = (
        await VolunteerProfile.select()
        .where(VolunteerProfile.person == world.people["vol0"])
        .first()
    )
    assert (p["home_lat"], p["home_compound"]) == (36.09, None)
    assert "您的住址位置来自您的定位" in (await vol.get("/profile")).text
    js = await vol.get("/static/app/home.js")
    assert js.status_code == 200 and "geolocation" in js.text


def _roster(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(COLUMNS[RosterKind.RESIDENTS]))
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


async def test_roster_upload_page_reports_in_chinese_then_imports(running):
    world = await make_world(volunteers=0)
    coord = await signed_in(running, world, "coord")
    page = await coord.get("/rosters")
    assert page.status_code == 200 and "居民名册" in page.text
    assert "/api/v1/rosters/residents/template" in page.text
    content = _roster(
        [
            ("王芳", "13800007001", "小区1", "", "", "", "", ""),
            ("李强", "123", "小区1", "", "", "", "", ""),
        ]
    )

    async def upload(mode):
        html = (await coord.get("/rosters")).text
        return await coord.post(
            "/rosters",
            data={
                "kind": "residents",
                "community_id": str(world.communities[0]),
                "mode": mode,
                "_csrf_token": token(html),
            },
            files={"file": ("名册.xlsx", content, "application/octet-stream")},
        )

    r = await upload("dry_run")
    assert r.status_code == 200 and "共 2 行，1 行正确，1 行有问题" in r.text
    assert "第3行「手机号」" in r.text and "没有导入任何内容" in r.text
    assert not await Person.exists().where(Person.phone == "13800007001")
    r = await upload("valid_only")
    assert "已导入：新增 1 人" in r.text
    assert await Person.exists().where(Person.phone == "13800007001")
    r = await coord.post("/rosters", data={"kind": "residents"}, files={"file": ("x", b"x")})
    assert r.status_code == 403  # no CSRF token
    html = (await coord.get("/rosters")).text
    chosen = {"community_id": str(world.communities[0]), "_csrf_token": token(html)}
    r = await coord.post(  # not a workbook: said beside the file, the choices kept
        "/rosters",
        data={**chosen, "kind": "volunteers", "mode": "valid_only"},
        files={"file": ("名册.txt", b"not a workbook", "text/plain")},
    )
    assert r.status_code == 400 and beside(r.text, "无法读取这个文件", "file")
    assert (
        '<option value="volunteers" selected>' in r.text and 'value="valid_only" checked' in r.text
    )
    r = await coord.post("/rosters", data={**chosen, "kind": "", "mode": "all"})
    assert r.status_code == 400 and 'class="flash' not in r.text  # every problem at once
    assert beside(r.text, "请选择类型。", "kind") and beside(r.text, "请选择文件。", "file")
    r = await coord.post(
        "/places-import",
        data={**chosen, "mode": "import", "_csrf_token": token(html)},
        files={"file": ("places.xlsx", b"not a workbook", "application/octet-stream")},
    )
    assert r.status_code == 400 and beside(r.text, "无法读取这个文件", "file")
    assert 'value="import" checked' in r.text

    places = await coord.get("/places")
    assert places.status_code == 200 and "小区1" in places.text
    r = await post_form(
        coord,
        "/places",
        "/places/building",
        {"parent_id": str(world.compounds[0]), "name": "9号楼", "lat": "36.07", "lng": "120.38"},
    )
    assert r.status_code == 303 and "9号楼" in (await coord.get("/places")).text
    bad = {"parent_id": str(world.compounds[0]), "name": "10号楼", "lat": "９１", "lng": ""}
    r = await post_form(coord, "/places", "/places/building", bad)
    assert r.status_code == 400  # both coordinates said at once, the name kept
    assert 'id="error-lat"' in r.text and 'id="error-lng"' in r.text and 'value="10号楼"' in r.text


async def test_grid_page_offers_the_existing_resident(running):
    world = await make_world(volunteers=0)
    b = Building(name="3号楼", compound=world.compounds[0], lat=36.0701, lng=120.3812)
    await b.save()
    grid = await signed_in(running, world, "grid")
    form = {
        "name": "赵大爷",
        "compound_id": str(world.compounds[0]),
        "building_id": str(b.id),
        "unit": "2",
        "room": "301",
    }
    r = await post_form(grid, "/grid", "/grid/residents", form)
    assert r.status_code == 303
    zhao = await Person.select().where(Person.name == "赵大爷").first()
    assert zhao["address"] == "3号楼2单元301" and zhao["lat"] == 36.0701
    r = await post_form(grid, "/grid", "/grid/residents", form)
    assert r.status_code == 409 and "这位居民已经登记过了" in r.text
    assert f"/wishes/new?resident_id={zhao['id']}" in r.text
    assert await Person.count().where(Person.name == "赵大爷") == 1
    r = await post_form(
        grid,
        "/grid",
        "/grid/residents",
        {"name": "新人", "compound_id": str(world.compounds[0]), "phone": world.phones["resident"]},
    )
    assert r.status_code == 409 and "林resident" in r.text
