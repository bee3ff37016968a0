"""Residents follow, cancel and reopen their wishes; grid workers find or add a resident and post
for them; the switches (English, larger text), the volunteer's map and times in Beijing time."""

from __future__ import annotations

from datetime import UTC, datetime

from marketplace.web import local_time
from tests.factories import make_world, wish_in_state
from tests.web.helpers import beside, page_login, post_form, token


async def signed_in(running, world, key):
    client = running.client()
    r = await page_login(client, world.phones[key])
    assert r.status_code == 303, r.text[:500]
    return client


def test_times_are_shown_in_beijing_time():
    assert local_time(datetime(2026, 11, 24, 20, 30, tzinfo=UTC)) == "11-25 04:30"
    assert local_time(datetime(2026, 11, 24, 20, 30), "%Y-%m-%d") == "2026-11-25"  # naive = UTC
    assert local_time(None) == ""


async def test_resident_cancels_reopens_and_sees_the_timeline(running):
    world = await make_world()
    fresh = await wish_in_state(running, world, "published", title="换灯泡")
    met = await wish_in_state(running, world, "fulfilled")
    resident = await signed_in(running, world, "resident")
    mine = await resident.get("/wishes")
    assert mine.status_code == 200 and "换灯泡" in mine.text and "已圆梦" in mine.text
    page = await resident.get(f"/wishes/{met}")
    # the timeline masks names; the resident's "who is coming" names the volunteer (issue 23)
    assert "已认领" in page.text and "林**" in page.text
    assert "谁会上门" in page.text and "林vol0（个人志愿者）" in page.text
    assert "您的心愿实现了吗" in page.text and "UTC" not in page.text

    r = await post_form(resident, f"/wishes/{met}", f"/wishes/{met}/reopen", {"reason": "没来"})
    assert r.status_code == 303
    page = await resident.get(f"/wishes/{met}")
    assert "状态: <strong>已发布</strong>" in page.text and "没来" in page.text

    asked = await post_form(resident, f"/wishes/{fresh}", f"/wishes/{fresh}/cancel")
    assert asked.status_code == 200 and "确定要撤回心愿“换灯泡”吗？" in asked.text
    assert "已取消" not in (await resident.get(f"/wishes/{fresh}")).text  # nothing happened yet
    r = await post_form(
        resident, f"/wishes/{fresh}", f"/wishes/{fresh}/cancel", {"confirmed": "yes"}
    )
    assert r.status_code == 303
    page = await resident.get(f"/wishes/{fresh}")
    assert "已取消" in page.text and "取消这个心愿" not in page.text
    r = await post_form(
        resident, f"/wishes/{fresh}", f"/wishes/{fresh}/cancel", {"confirmed": "yes"}
    )
    again = await resident.get(r.headers["location"])
    assert "这个心愿已取消，不能取消。" in again.text  # the true state in words, not a 409


async def test_grid_worker_finds_or_adds_a_resident_and_posts_for_them(running):
    world = await make_world()
    grid = await signed_in(running, world, "grid")
    found = await post_form(grid, "/grid", "/grid/search", {"q": "林resident"})
    link = f"/wishes/new?resident_id={world.people['resident']}"
    assert found.status_code == 200 and link in found.text
    bad = {"name": "王奶奶", "compound_id": str(world.compounds[0]), "phone": "123"}
    r = await post_form(grid, "/grid", "/grid/residents", bad)
    assert r.status_code == 400 and beside(r.text, "请输入11位手机号码", "phone")
    assert 'value="王奶奶"' in r.text  # what was typed is kept
    good = {"name": "王奶奶", "compound_id": str(world.compounds[0]), "address": "1号楼"}
    r = await post_form(grid, "/grid", "/grid/residents", good)
    form_url = r.headers["location"]
    assert form_url.startswith("/wishes/new?resident_id=")
    form = await grid.get(form_url)
    assert "代 王奶奶 发布" in form.text
    data = {
        "resident_id": form_url.rsplit("=", 1)[1],
        "category": "errands",
        "title": "帮忙取药",
        "hours": "1",
        "_csrf_token": token(form.text),
    }
    r = await grid.post("/wishes/new", data=data)
    assert r.status_code == 303, r.text[:800]
    page = await grid.get(r.headers["location"])
    assert "帮忙取药" in page.text and "王奶奶" in page.text


async def test_switches_english_and_larger_text(running):
    world = await make_world()
    client = running.client()
    r = await client.get("/text-size", headers={"referer": "/login"})
    assert r.headers["location"] == "/login"
    page = await client.get("/login")
    assert 'class="big"' in page.text and "标准字号" in page.text
    await client.get("/lang/en")
    r = await page_login(client, world.phones["resident"], "wrong-password")
    assert "Wrong phone number or password." in r.text and 'lang="en"' in r.text
    await client.get("/lang/xx")  # an unknown language changes nothing
    assert 'lang="en"' in (await client.get("/login")).text


async def test_volunteer_map_says_how_far_it_reaches(running):
    world = await make_world()
    await wish_in_state(running, world, "published", skills=["tutoring", "computer"])
    vol = await signed_in(running, world, "vol0")
    page = await vol.get("/tasks")
    assert "地图宽约" in page.text and "电脑、学业辅导" in page.text
    assert 'pin-home"></span>家' in page.text


async def test_a_resident_search_with_no_match_says_so(running):
    from tests.web.test_chinese_pages import _client, english_words

    world = await make_world()
    grid = await _client(running, world, "grid")
    r = await post_form(grid, "/grid", "/grid/search", {"q": "王不存在"})
    assert r.status_code == 200 and "没有找到“王不存在”" in r.text and not english_words(r.text)


async def test_confirm_and_reopen_come_back_in_place_with_what_was_typed(running):
    world = await make_world()
    met = await wish_in_state(running, world, "fulfilled")
    resident = await signed_in(running, world, "resident")
    page = f"/wishes/{met}"
    r = await post_form(resident, page, f"{page}/confirm", {"comment": "谢谢小陈"})
    assert r.status_code == 400 and beside(r.text, "请选择评分。", "rating")
    assert 'value="谢谢小陈"' in r.text and 'class="flash' not in r.text  # kept, nothing at the top
    long = "他没来" * 700
    r = await post_form(resident, page, f"{page}/reopen", {"reason": long})
    assert r.status_code == 400 and beside(r.text, "理由最多 2000 个字。", "reason")
    assert f'value="{long}"' in r.text and "状态: <strong>已圆梦</strong>" in r.text
    r = await post_form(resident, page, f"{page}/confirm", {"rating": "5", "comment": "谢谢"})
    assert r.status_code == 303
    assert "已确认" in (await resident.get(page)).text


async def test_a_repeated_wish_is_refused_beside_the_title_with_a_link_to_the_first(running):
    world = await make_world(volunteers=0)
    grid = await signed_in(running, world, "grid")
    resident_id = world.people["resident"]
    form_url = f"/wishes/new?resident_id={resident_id}"
    wish = {"resident_id": str(resident_id), "category": "errands", "title": "帮忙取药"}
    r = await post_form(grid, form_url, "/wishes/new", {**wish, "description": "每周二"})
    assert r.status_code == 303
    first = int(r.headers["location"].rsplit("/", 1)[1])
    page = await grid.get(r.headers["location"])  # wording that fits who acted
    assert "已为林resident提交心愿，社区审核后会通知您和林resident。" in page.text
    r = await post_form(grid, form_url, "/wishes/new", {**wish, "description": "每周二"})
    said = f"一天内已经提交过相同的心愿（第 {first} 号），不用重复提交。"
    assert r.status_code == 400 and beside(r.text, said, "title")
    assert f'<a class="button secondary" href="/wishes/{first}">查看已提交的心愿</a>' in r.text
    # what was typed is kept, and the form still posts for the same resident
    assert 'value="帮忙取药"' in r.text and ">每周二</textarea>" in r.text
    assert f'name="resident_id" value="{resident_id}"' in r.text and "代 林resident 发布" in r.text

    resident = await signed_in(running, world, "resident")
    r = await post_form(resident, "/wishes/new", "/wishes/new", {**wish, "title": "修水龙头"})
    page = await resident.get(r.headers["location"])
    assert "您的心愿已提交，社区审核后会通知您。" in page.text and "已为" not in page.text
