"""The account pages: the password page, my data (see, correct, close) through forms with CSRF."""

from __future__ import annotations

from tests.factories import make_world
from tests.web.helpers import page_login, post_form


async def test_my_data_page_shows_corrects_and_closes(running):
    from marketplace.accounts.tables import Person

    world = await make_world(volunteers=0)
    client = running.client()
    await page_login(client, world.phones["resident"])
    page = await client.get("/my-data")
    assert page.status_code == 200 and "我的数据" in page.text
    assert world.phones["resident"] in page.text
    await post_form(client, "/my-data", "/my-data", {"name": "林更正", "address": "新路2号"})
    assert "林更正" in (await client.get("/my-data")).text
    r = await post_form(client, "/my-data", "/my-data/close", {"confirm": "on"})
    assert r.status_code in (200, 303)
    person = await Person.select().where(Person.id == world.people["resident"]).first()
    assert person["closed_at"] is not None and person["phone"] is None
    assert (await client.get("/my-data")).status_code in (302, 303)


async def test_password_and_code_pages_render_in_chinese(running):
    client = running.client()
    for path, words in [
        ("/password", "设置或重设密码"),
        ("/login/code", "验证码登录"),
        ("/login", "忘记密码"),
    ]:
        r = await client.get(path)
        assert r.status_code == 200 and words in r.text, path


async def test_my_password_changes_on_the_page_with_errors_beside_their_fields(running):
    from tests.factories import PASSWORD
    from tests.web.helpers import beside

    world = await make_world(volunteers=0)
    client = running.client()
    await page_login(client, world.phones["resident"])
    wrong = await post_form(
        client,
        "/my-data",
        "/my-data/password",
        {"current_password": "不是这个密码", "new_password": "蓝天白云-2026"},
    )
    assert wrong.status_code == 400 and beside(wrong.text, "当前密码不正确", "current_password")
    weak = await post_form(
        client, "/my-data", "/my-data/password", {"current_password": PASSWORD, "new_password": "1"}
    )
    assert weak.status_code == 400 and beside(weak.text, "密码至少要8个字符", "new_password")
    done = await post_form(
        client,
        "/my-data",
        "/my-data/password",
        {"current_password": PASSWORD, "new_password": "蓝天白云-2026"},
    )
    assert done.status_code in (200, 303)
    assert "密码已修改" in (await client.get("/my-data")).text
    other = running.client()
    r = await other.post(
        "/api/v1/auth/login", json={"phone": world.phones["resident"], "password": "蓝天白云-2026"}
    )
    assert r.status_code == 200
