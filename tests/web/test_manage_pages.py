"""Coordinators certify partners, draft projects (also from a cluster), stock the store and hand
items over in the browser's forms; volunteers keep their profile."""

from __future__ import annotations

from tests.factories import WISH, as_, make_world, wish_in_state
from tests.web.helpers import beside, page_login, post_form


async def test_coordinator_manages_partners_projects_and_store(running):
    world = await make_world()
    vol = await as_(running, world, "vol1")
    unit = (
        await vol.post(
            "/api/v1/partners",
            json={
                "name": "海之韵物业",
                "kind": "property_service",
                "sub_district_id": world.sub_district,
                "contact_name": "王经理",
                "contact_phone": "13912345678",
                "communities": [world.communities[0]],
            },
        )
    ).json()
    resident = await as_(running, world, "resident")
    for i in range(5):
        await resident.post(
            "/api/v1/wishes", json={**WISH, "category": "repairs", "title": f"修灯{i}"}
        )
    coord = running.client()
    await page_login(coord, world.phones["coord"])
    page = await coord.get("/manage")
    assert "海之韵物业" in page.text and "待认证" in page.text and "转为项目" in page.text
    r = await post_form(coord, "/manage", f"/manage/partners/{unit['id']}/certify")
    assert r.status_code == 303 and "已认证" in (await coord.get("/manage")).text
    suspend = f"/manage/partners/{unit['id']}/suspend"
    r = await post_form(coord, "/manage", suspend, {"reason": "  "})
    assert r.status_code == 400 and beside(r.text, "暂停需要说明理由。", "reason")  # on its card
    assert r.text.index(f'id="unit-{unit["id"]}"') < r.text.index("暂停需要说明理由。")

    form = {
        "title": "楼道照明改造",
        "community_id": str(world.communities[0]),
        "role0": "电工",
        "people0": "2",
        "hours0": "4",
        "skills0": "electrician",
    }
    assert (await post_form(coord, "/manage", "/manage/projects", form)).status_code == 303
    projects = await coord.get("/projects")
    assert "楼道照明改造" in projects.text and "电工: 0/2" in projects.text

    cluster_page = await coord.get("/manage")
    ids = [x.split('"')[0] for x in cluster_page.text.split('name="wish_id" value="')[1:]]
    data = {"community_id": str(world.communities[0]), "category": "repairs"}
    html = cluster_page.text
    from tests.web.helpers import token

    r = await coord.post(
        "/manage/clusters", data={**data, "wish_id": ids, "_csrf_token": token(html)}
    )
    assert r.status_code == 303
    assert "常态化项目" in (await coord.get("/projects")).text
    r = await coord.post(  # the same cluster again (a second tab): said where the list is
        "/manage/clusters", data={**data, "wish_id": ids, "_csrf_token": token(html)}
    )
    assert r.status_code == 400 and 'class="flash' not in r.text
    said = r.text.index("其中一些心愿已经属于某个项目。")
    assert r.text.index("同类心愿：转为常态化项目") < said < r.text.index("新建项目")

    item = {
        "community_id": str(world.communities[0]),
        "name": "洗衣液",
        "price": "10",
        "stock": "3",
    }
    assert (await post_form(coord, "/manage", "/manage/store", item)).status_code == 303
    await wish_in_state(running, world, "confirmed", claimer="vol0")  # earns 30 points
    v0 = await as_(running, world, "vol0")
    store = (
        await v0.get("/api/v1/points/store", params={"community_id": world.communities[0]})
    ).json()
    assert (await v0.post(f"/api/v1/points/store/{store[0]['id']}/redeem")).status_code == 200
    page = await coord.get("/manage")
    rid = page.text.split("/manage/redemptions/")[1].split("/")[0]
    assert (
        await post_form(coord, "/manage", f"/manage/redemptions/{rid}/hand-over")
    ).status_code == 303
    assert "/manage/redemptions/" not in (await coord.get("/manage")).text


async def test_volunteer_profile_form(running):
    world = await make_world()
    vol = running.client()
    await page_login(vol, world.phones["vol0"])
    assert "我的资料" in (await vol.get("/profile")).text
    form = {
        "skills": "errands",
        "home_lat": "36.07",
        "home_lng": "120.38",
        "weekly_hours": "5",
        "weekly_tasks": "2",
        "max_distance_m": "2500",
    }
    assert (await post_form(vol, "/profile", "/profile", form)).status_code == 303
    me = (await vol.get("/api/v1/me")).json()["volunteer"]
    assert me["skills"] == ["errands"] and me["max_distance_m"] == 2500
    bad = {**form, "max_distance_m": "99999999", "weekly_hours": "９９", "skills": "repairs"}
    r = await post_form(vol, "/profile", "/profile", bad)
    assert r.status_code == 400  # both problems at once, each beside its field, the form kept
    assert beside(r.text, "50000", "max_distance_m") and beside(
        r.text, "每周时长应在 0 到 80 之间", "weekly_hours"
    )
    assert 'value="99999999"' in r.text and 'value="repairs" checked' in r.text
    assert (await vol.get("/api/v1/me")).json()["volunteer"]["max_distance_m"] == 2500


async def test_project_evaluation_and_hours_confirmation_pages(running):
    world = await make_world()
    coord_api = await as_(running, world, "coord")
    body = {
        "title": "社区花园",
        "scope_kind": "community",
        "scope_id": world.communities[0],
        "community_id": world.communities[0],
        "duty_type": "environment",
        "slots": [{"role": "园艺", "people": 1, "hours": 3}],
    }
    pid = (await coord_api.post("/api/v1/projects", json=body)).json()["id"]
    task = (await coord_api.post(f"/api/v1/projects/{pid}/publish")).json()["slots"][0]["task_ids"][
        0
    ]
    vol = await as_(running, world, "vol0")
    await vol.post(f"/api/v1/tasks/{task}/claim")
    await vol.post(f"/api/v1/tasks/{task}/fulfil", json={"hours": 3})
    coord = running.client()
    await page_login(coord, world.phones["coord"])
    page = await coord.get("/projects")
    assert "确认时长" in page.text
    claim_id = page.text.split('name="claim_id" value="')[1].split('"')[0]
    await post_form(coord, "/projects", f"/projects/{pid}/confirm", {"claim_id": claim_id})
    assert (await vol.get("/api/v1/points/me")).json()["balance"] == 30
    for action in ("start", "complete"):
        await post_form(coord, "/projects", f"/projects/{pid}/{action}")
    r = await post_form(coord, "/projects", f"/projects/{pid}/evaluate", {"evaluation": "很好"})
    assert r.status_code == 400 and beside(r.text, "请选择评分。", "rating")  # in place
    assert 'name="evaluation" value="很好"' in r.text and 'class="flash' not in r.text
    r = await post_form(
        coord, "/projects", f"/projects/{pid}/evaluate", {"rating": "4", "evaluation": "好"}
    )
    assert r.status_code == 303
    await post_form(coord, "/projects", f"/projects/{pid}/announce")
    assert "社区花园" in (await coord.get("/board")).text
    inbox = running.client()
    await page_login(inbox, world.phones["vol0"])
    assert "消息" in (await inbox.get("/inbox")).text


async def test_a_refused_store_item_says_every_problem_and_keeps_the_form(running):
    world = await make_world(volunteers=0)
    coord = running.client()
    await page_login(coord, world.phones["coord"])
    item = {"community_id": str(world.communities[0]), "name": " ", "price": "０", "stock": "３"}
    r = await post_form(coord, "/manage", "/manage/store", item)
    assert r.status_code == 400
    assert beside(r.text, "请填写名称。", "name") and beside(r.text, "积分价格应在", "price")
    assert 'name="stock" inputmode="numeric" value="３"' in r.text
    item = {**item, "name": "洗衣液", "price": "１０"}
    assert (await post_form(coord, "/manage", "/manage/store", item)).status_code == 303
