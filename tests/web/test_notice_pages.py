"""The inbox page (issue 23): notices in the page's language, unread count in the menu, opening a
notice marks it read and goes to its wish; confirmation before giving back a task."""

from __future__ import annotations

from tests.factories import as_, make_world, wish_in_state
from tests.web.helpers import page_login, post_form


async def signed_in(running, world, key):
    client = running.client()
    r = await page_login(client, world.phones[key])
    assert r.status_code == 303, r.text[:500]
    return client


async def test_inbox_counts_unread_and_opens_the_wish(running):
    world = await make_world()
    wid = await wish_in_state(running, world, "claimed")
    resident = await signed_in(running, world, "resident")
    page = await resident.get("/inbox")
    assert page.status_code == 200
    assert "2 条未读" in page.text  # published, claimed
    assert "由 林vol0（个人志愿者）认领" in page.text and "UTC" not in page.text
    start = page.text.index('href="/inbox/') + len('href="/inbox/')
    notice_id = page.text[start : page.text.index('"', start)]
    r = await resident.get(f"/inbox/{notice_id}")
    assert r.status_code in (302, 303) and r.headers["location"] == f"/wishes/{wid}"
    wish = await resident.get(f"/wishes/{wid}")
    assert "1 条未读" in wish.text and "访问码" in wish.text
    r = await post_form(resident, "/inbox", "/inbox/read-all")
    assert r.status_code == 303
    after = (await resident.get("/inbox")).text
    assert 'data-unread="0" hidden' in after and "● 未读" not in after


async def test_giving_back_a_task_asks_first(running):
    world = await make_world()
    await wish_in_state(running, world, "claimed")
    vol = await as_(running, world, "vol0")
    task_id = (await vol.get("/api/v1/me/claims?active=true")).json()[0]["task"]["id"]
    page_client = await signed_in(running, world, "vol0")
    asked = await post_form(page_client, "/my-tasks", f"/my-tasks/{task_id}/release")
    assert asked.status_code == 200 and "确定要退回任务“帮孩子辅导数学作业”吗？" in asked.text
    assert (await vol.get("/api/v1/me/claims?active=true")).json() != []
    r = await post_form(
        page_client, "/my-tasks", f"/my-tasks/{task_id}/release", {"confirmed": "yes"}
    )
    assert r.status_code == 303
    assert (await vol.get("/api/v1/me/claims?active=true")).json() == []


async def test_text_messages_without_a_phone_are_refused_beside_the_box(running):
    from marketplace.accounts.tables import Person

    world = await make_world(volunteers=0)
    resident = await signed_in(running, world, "resident")
    api = await as_(running, world, "resident")
    page = await resident.get("/inbox")  # the form as it was, then the number is gone
    await Person.update({Person.phone: None}).where(Person.id == world.people["resident"])
    r = await api.put("/api/v1/me/notifications/preferences", json={"by_sms": True})
    assert r.status_code == 400 and r.json()["code"] == "notice_sms_no_phone"
    assert r.json()["field"] == "by_sms"
    from tests.web.helpers import beside, token

    r = await resident.post(
        "/inbox/preferences", data={"by_sms": "on", "_csrf_token": token(page.text)}
    )
    assert r.status_code == 400 and 'class="flash' not in r.text
    assert beside(r.text, "您的账户没有登记手机号，暂时无法发短信。", "by_sms")
    r = await api.put("/api/v1/me/notifications/preferences", json={"by_sms": False})
    assert r.status_code == 200 and r.json()["by_sms"] is False
