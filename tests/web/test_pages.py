"""Pages for each role through the rendered HTML, on each engine: the right content, masked
fields absent, server-side errors beside the field, the lost-claim message in words."""

from __future__ import annotations

import pytest

from tests.factories import WISH, as_, make_world, wish_in_state
from tests.web.helpers import beside, page_login, post_form, token


async def signed_in(running, world, key):
    client = running.client()
    r = await page_login(client, world.phones[key])
    assert r.status_code == 303, r.text[:500]
    return client


async def test_anonymous_sees_the_board_and_is_sent_to_sign_in(running):
    world = await make_world()
    await wish_in_state(running, world, "announced")
    client = running.client()
    home = await client.get("/")
    assert home.status_code == 200 and "连心" in home.text and "最新公示" in home.text
    assert "林**" in home.text and "林resident" not in home.text
    for page in ("/wishes", "/tasks", "/review", "/matching"):
        r = await client.get(page)
        assert r.status_code in (302, 303) and r.headers["location"] == "/login"
    r = await page_login(client, world.phones["resident"], "wrong-password")
    assert r.status_code == 401 and "手机号或密码不正确" in r.text


async def test_resident_makes_a_wish_with_errors_beside_the_fields(running):
    world = await make_world()
    resident = await signed_in(running, world, "resident")
    form = await resident.get("/wishes/new")
    assert form.status_code == 200 and "学业辅导" in form.text and "陪同就医" in form.text
    base = {
        "category": "tutoring",
        "title": "辅导作业",
        "hours": "2",
        "_csrf_token": token(form.text),
    }
    r = await resident.post("/wishes/new", data={**base, "hours": "很多"})
    assert r.status_code == 400 and beside(r.text, "时长（小时）：请填写数字。", "hours")
    r = await resident.post("/wishes/new", data={**base, "title": ""})
    assert r.status_code == 400 and beside(r.text, "请填写标题。", "title")
    r = await resident.post("/wishes/new", data={**base, "priority_groups": "child"})
    assert r.status_code == 400 and beside(r.text, "请勾选下面的“我同意”", "priority_consent")
    assert "Expected `" not in r.text and "priority_consent: true" not in r.text  # plain words
    r = await resident.post(
        "/wishes/new", data={**base, "priority_groups": "child", "priority_consent": "on"}
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/wishes/")
    page = await resident.get(r.headers["location"])
    assert "您的心愿已提交" in page.text and "已提交" in page.text and "取消这个心愿" in page.text
    r = await resident.post(
        "/wishes/new", data={k: v for k, v in base.items() if k != "_csrf_token"}
    )
    assert r.status_code == 403  # no CSRF token


async def test_volunteer_sees_masked_tasks_and_the_lost_race_in_words(running):
    world = await make_world(volunteers=2)
    await wish_in_state(running, world, "published")
    await wish_in_state(running, world, "published", title="第二个心愿")
    v0 = await signed_in(running, world, "vol0")
    v1 = await signed_in(running, world, "vol1")
    page = await v0.get("/tasks")
    assert page.status_code == 200 and "帮孩子辅导数学作业" in page.text and "<svg" in page.text
    assert (
        "林resident" not in page.text
        and "路1号3单元502" not in page.text
        and world.phones["resident"] not in page.text
    )
    first = page.text.split('id="task-')[1].split('"')[0]
    headers = {"x-csrftoken": token(page.text), "HX-Request": "true"}
    won = await v0.post(f"/tasks/{first}/claim", headers=headers)
    assert "认领成功" in won.text
    other = await v1.get("/tasks")
    lost = await v1.post(
        f"/tasks/{first}/claim", headers={"x-csrftoken": token(other.text), "HX-Request": "true"}
    )
    assert (
        "已被他人认领" in lost.text
        and "离您最近的下一个" in lost.text
        and "第二个心愿" in lost.text
    )
    mine = await v0.get("/my-tasks")
    assert "路1号3单元502" in mine.text  # the assignee sees the address
    r = await post_form(
        v0, "/my-tasks", f"/my-tasks/{first}/fulfil", {"hours": "2", "note": "完成"}
    )
    assert r.status_code == 303
    assert "历史" in (await v0.get("/my-tasks")).text


async def test_coordinator_reviews_publishes_and_sees_the_dashboard(running):
    world = await make_world()
    resident = await as_(running, world, "resident")
    await resident.post("/api/v1/wishes", json={**WISH, "description": "请给我转账现金"})
    coord = await signed_in(running, world, "coord")
    review = await coord.get("/review")
    assert review.status_code == 200 and "负面清单" in review.text and "现金请求" in review.text
    wid = review.text.split('id="wish-')[1].split('"')[0]
    r = await post_form(coord, "/review", f"/review/{wid}/publish")
    assert r.status_code == 303
    assert "这个心愿涉及负面清单" in (await coord.get("/review")).text  # the refusal, in words
    r = await post_form(coord, "/review", f"/review/{wid}/reject", {"code": "cash", "reason": " "})
    assert r.status_code == 400 and beside(r.text, "请填写理由。", "reason")  # in place
    assert '<option value="cash" selected>' in r.text and 'class="flash' not in r.text
    r = await post_form(
        coord, "/review", f"/review/{wid}/reject", {"code": "cash", "reason": "不属于微心愿"}
    )
    assert r.status_code == 303
    assert "暂无待审核" in (await coord.get("/review")).text
    dash = await coord.get("/dashboard")
    assert dash.status_code == 200 and "/static/vendor/echarts/echarts.min.js" in dash.text
    assert (await coord.get("/static/vendor/echarts/echarts.min.js")).status_code == 200
    assert (await coord.get("/static/vendor/htmx/htmx.min.js")).status_code == 200
    assert "运行最优匹配" in (await coord.get("/matching")).text


async def test_grid_worker_confirms_for_a_resident_and_english_switch(running):
    world = await make_world()
    wid = await wish_in_state(running, world, "fulfilled")
    grid = await signed_in(running, world, "grid")
    page = await grid.get("/grid")
    assert "待回访" in page.text and f"/wishes/{wid}" in page.text
    detail = await grid.get(f"/wishes/{wid}")
    assert "林**" in detail.text and "路1号3单元502" not in detail.text
    r = await post_form(
        grid, f"/wishes/{wid}", f"/wishes/{wid}/confirm", {"rating": "5", "comment": "电话回访"}
    )
    assert r.status_code == 303
    r = await grid.get("/lang/en", headers={"referer": "/grid"})
    english = await grid.get("/grid")
    assert "Post a wish for a resident" in english.text and "待回访" not in english.text


@pytest.mark.parametrize(
    "page", ["/record", "/store", "/partners", "/projects", "/board", "/stale"]
)
async def test_other_pages_render(running, page):
    world = await make_world()
    key = "coord" if page == "/stale" else "vol0"
    client = await signed_in(running, world, key)
    r = await client.get(page)
    assert r.status_code == 200 and "<main>" in r.text


async def test_errors_on_pages_are_pages(running):
    world = await make_world()
    wid = await wish_in_state(running, world, "submitted")
    other = await signed_in(running, world, "other_resident")
    r = await other.get(f"/wishes/{wid}")
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]
    assert "找不到，或者您无权查看" in r.text and "帮孩子辅导数学作业" not in r.text
    api = await other.get(f"/api/v1/wishes/{wid}")
    assert api.status_code == 404 and api.json()["code"] == "wish_not_found"
