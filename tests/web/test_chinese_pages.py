"""Chinese first: every page, rendered in zh-CN (the default) for each role, shows no English
words beyond a short allow-list; the forms' refusals are Chinese too."""

from __future__ import annotations

import html
import re

from tests.factories import as_, make_world, recruiting_project, wish_in_state
from tests.web.helpers import beside, page_login, post_form

# words a Chinese reader meets as they are: the product's Latin name, units, file formats
ALLOWED = {"Lianxin", "English", "km", "CSV", "Excel", "xlsx", "JSON", "ECharts", "SVG", "OK"}
# the test people are named 林resident, 林vol0... and live on resident路: their names and
# addresses are data, not the page's words (taken out by their shape, so that a role's code
# such as "resident" shown raw is still caught)
PEOPLE = re.compile(r"林[A-Za-z_]+\d*|[A-Za-z_]+\d*路")

# every page each role can see ({wish}, {run} are filled in by walked_pages)
PAGES = {
    "resident": [
        "/",
        "/board",
        "/wishes",
        "/wishes/new",
        "/wishes/{submitted}",
        "/wishes/{fulfilled}",
        "/inbox",
        "/my-data",
        "/volunteer/apply",
        "/projects",
        "/partners",
    ],
    "grid": ["/grid", "/wishes/new", "/inbox", "/my-data"],
    "vol0": [
        "/tasks",
        "/my-tasks",
        "/record",
        "/store",
        "/profile",
        "/partners",
        "/projects",
        "/inbox",
        "/my-data",
    ],
    "coord": [
        "/review",
        "/matching",
        "/matching/{run}",
        "/matching/{run}/progress",
        "/stale",
        "/projects",
        "/dashboard",
        "/manage",
        "/people",
        "/rosters",
        "/places",
        "/grid",
        "/wishes/{submitted}",
        "/inbox",
        "/my-data",
    ],
    "subcoord": ["/review", "/matching", "/people", "/dashboard", "/stale"],
    None: ["/", "/board", "/login", "/login/code", "/password"],
}
# GET routes that are not pages a person reads: switches and redirects
NOT_PAGES = {"/lang/{code:str}", "/text-size", "/signup", "/inbox/{notification_id:int}"}


async def walked_pages(running) -> tuple:
    """A world with a wish in several states, a recruiting project and a matching run, and
    every page of PAGES with its ids filled in."""
    from tests.integration.test_dispatch import wait_run

    world = await make_world()
    ids = {s: await wish_in_state(running, world, s) for s in ("submitted", "fulfilled")}
    await wish_in_state(running, world, "announced")
    await wish_in_state(running, world, "published")
    slots = [{"role": "电工", "people": 2, "hours": 8, "skills": ["electrician"]}]
    await recruiting_project(running, world, slots=slots)
    coord = await as_(running, world, "coord")
    r = await coord.post(
        "/api/v1/matching-runs", json={"scope_kind": "community", "scope_id": world.communities[0]}
    )
    ids["run"] = (await wait_run(coord, r.json()["id"]))["id"]
    return world, {k: [p.format(**ids) for p in v] for k, v in PAGES.items()}


def test_every_page_route_is_walked_for_some_role():
    """A new page cannot be left out of the zh-CN and en walks."""
    from marketplace.web import routes

    walked = {re.sub(r"\{\w+\}", "{id}", p) for paths in PAGES.values() for p in paths}
    pages = {
        re.sub(r"\{\w+:\w+\}", "{id}", path)
        for handler in routes()
        if hasattr(handler, "http_methods") and "GET" in (handler.http_methods or [])
        for path in handler.paths
        if path not in NOT_PAGES and not path.startswith("/static")
    }
    assert pages - walked == set()


def english_words(page: str) -> set[str]:
    """Latin words a person reads on the page: text and the labels of controls, not markup,
    scripts, styles or attribute values a person does not read."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    readable = re.findall(r'(?:placeholder|aria-label|title|alt)="([^"]*)"', body)
    text = re.sub(r"<[^>]+>", " ", body)
    readable_text = PEOPLE.sub(" ", html.unescape(" ".join([text, *readable])))
    return set(re.findall(r"[A-Za-z]{2,}", readable_text)) - ALLOWED


async def _client(running, world, key):
    client = running.client()
    if key is not None:
        r = await page_login(client, world.phones[key])
        assert r.status_code == 303
    return client


async def test_every_page_for_every_role_is_chinese(running):
    world, pages = await walked_pages(running)
    found = {}
    for key, paths in pages.items():
        client = await _client(running, world, key)
        for path in paths:
            r = await client.get(path)
            assert r.status_code == 200, (key, path, r.status_code)
            words = english_words(r.text)
            if words:
                found[(key, path)] = sorted(words)
    assert not found, "\n".join(f"{k}: {v}" for k, v in found.items())


async def test_form_refusals_are_chinese_beside_their_fields_and_keep_what_was_typed(running):
    world = await make_world()
    resident = await _client(running, world, "resident")
    data = {"title": "   ", "hours": "２５０", "description": "帮我修水龙头", "category": ""}
    r = await post_form(resident, "/wishes/new", "/wishes/new", data)
    assert r.status_code == 400
    assert "请填写标题。" in r.text and "请选择帮助类别。" in r.text
    assert "时长（小时）应大于 0，且不超过 200。" in r.text  # full-width digits were read
    assert "帮我修水龙头" in r.text  # what was typed stays
    assert not english_words(r.text)
    r = await post_form(
        resident,
        "/wishes/new",
        "/wishes/new",
        {**data, "title": "修水龙头", "hours": "１.５", "category": "repairs"},
    )
    assert r.status_code == 303


async def test_nothing_is_chosen_for_the_person(running):
    world = await make_world()
    resident = await _client(running, world, "resident")
    form = (await resident.get("/wishes/new")).text
    assert 'name="category"' in form and "checked" not in re.sub(
        r'<input type="checkbox"[^>]*>', "", form
    )
    wid = await wish_in_state(running, world, "fulfilled")
    page = (await resident.get(f"/wishes/{wid}")).text
    assert 'name="rating"' in page and not re.search(r'name="rating"[^>]*checked', page)


async def test_partner_registration_shows_every_problem_and_keeps_the_form(running):
    world = await make_world()
    vol = await _client(running, world, "vol0")
    data = {
        "name": "  ",
        "kind": "caring_merchant",
        "sub_district_id": str(world.sub_district),
        "contact_name": "王师傅",
        "contact_phone": "13800001111",
        "people": "０",
        "weekly_hours": "４",
    }
    r = await post_form(vol, "/partners", "/partners", data)
    assert r.status_code == 400
    assert beside(r.text, "请填写名称。", "name") and beside(
        r.text, "人数应在 1 到 10000 之间。", "people"
    )
    assert 'value="王师傅"' in r.text and 'value="caring_merchant" selected' in r.text
    data = {**data, "name": "海之韵理发店", "people": "２"}
    r = await post_form(vol, "/partners", "/partners", data)  # no service area chosen
    assert r.status_code == 400 and beside(r.text, "请填写服务范围", "communities")
    r = await post_form(
        vol, "/partners", "/partners", {**data, "communities": str(world.communities[0])}
    )
    assert r.status_code == 303


async def test_a_new_project_keeps_its_slots_and_says_what_is_wrong_beside_each(running):
    world = await make_world()
    coord = await _client(running, world, "coord")
    data = {
        "title": " ",
        "community_id": str(world.communities[0]),
        "need": "楼道灯坏了",
        "role0": "电工",
        "people0": "２",
        "hours0": "０",
        "skills0": "electrician",
    }
    r = await post_form(coord, "/manage", "/manage/projects", data)
    assert r.status_code == 400
    assert beside(r.text, "请填写标题。", "title")
    assert beside(r.text, "时长（小时）应大于 0，且不超过 500。", "hours0")
    assert 'value="电工"' in r.text and 'value="楼道灯坏了"' in r.text
    assert 'value="electrician" checked' in r.text
    assert not english_words(r.text)
    r = await post_form(
        coord, "/manage", "/manage/projects", {**data, "title": "楼道照明", "hours0": "３"}
    )
    assert r.status_code == 303 and r.headers["location"] == "/projects"


async def test_fulfilling_keeps_the_note_and_says_what_is_wrong_beside_each_field(running):
    world = await make_world()
    wid = await wish_in_state(running, world, "claimed")
    vol = await _client(running, world, "vol0")
    page = (await vol.get("/my-tasks")).text
    task_id = page.split('action="/my-tasks/')[1].split("/")[0]
    data = {"hours": "两小时", "note": "陪老人下了两盘棋", "visit_code": "0000"}
    r = await post_form(vol, "/my-tasks", f"/my-tasks/{task_id}/fulfil", data)
    assert r.status_code == 400 and beside(r.text, "时长必须是大于0的数字。", "hours")
    assert 'value="陪老人下了两盘棋"' in r.text and 'value="0000"' in r.text
    r = await post_form(vol, "/my-tasks", f"/my-tasks/{task_id}/fulfil", {**data, "hours": "２"})
    assert r.status_code == 400 and 'id="error-visit_code"' in r.text  # the wrong code, beside it
    assert 'value="陪老人下了两盘棋"' in r.text and not english_words(r.text)
    r = await post_form(
        vol, "/my-tasks", f"/my-tasks/{task_id}/fulfil", {**data, "hours": "２", "visit_code": ""}
    )
    assert r.status_code == 303  # without a code the resident confirms instead
    assert wid


async def test_signing_up_says_every_missing_answer_at_once(running):
    await make_world()
    client = running.client()
    data = {"phone": "13800002222", "code": "123456", "name": " ", "compound_id": ""}
    r = await post_form(client, "/login/code", "/signup", data)
    assert r.status_code == 400
    assert 'id="error-name"' in r.text and 'id="error-compound_id"' in r.text
    assert "请填写姓名。" in r.text and not english_words(r.text)
