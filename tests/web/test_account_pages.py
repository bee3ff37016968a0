"""The account pages: the password page, my data (see, correct, close) through forms with CSRF."""

from __future__ import annotations

from tests.factories import make_world
from tests.web.helpers import beside, page_login, post_form


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
    from datetime import UTC, datetime

    from marketplace.points.tables import PointsEntry

    pid = world.people["resident"]
    await PointsEntry(person=pid, delta=30, reason="service", at=datetime.now(UTC)).save()
    r = await post_form(client, "/my-data", "/my-data/close")
    said = "注销账号会清空您的积分（30分），请勾选确认后再提交。"
    assert r.status_code == 409 and beside(r.text, said, "confirm")  # beside the box
    assert r.text.index('id="close-form"') < r.text.index(said) and 'class="flash' not in r.text
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


async def test_the_password_page_says_every_problem_at_once_and_keeps_the_code(running):
    from tests.web.helpers import beside, token
    from tests.web.test_chinese_pages import english_words

    world = await make_world(volunteers=0)
    phone = world.phones["resident"]
    client = running.client()
    r = await post_form(client, "/password", "/login/code/send", {"phone": "123"})
    assert r.status_code == 400 and 'id="error-phone"' in r.text and 'value="123"' in r.text
    r = await post_form(
        client, "/password", "/login/code/send", {"phone": phone, "purpose": "password"}
    )
    assert r.status_code == 200 and 'name="code"' in r.text
    sent = running.app.state["sms_sender"].sent[-1][2]["code"]
    # no code and a password too short: both refusals, each beside its own field
    r = await client.post(
        "/password",
        data={"phone": phone, "code": "", "password": "1", "_csrf_token": token(r.text)},
    )
    assert r.status_code == 400
    assert beside(r.text, "请填写验证码。", "code")
    assert beside(r.text, "密码至少要8个字符", "password")
    assert not english_words(r.text)
    # a code typed and the password refused: the code stays, the password never comes back
    r = await client.post(
        "/password",
        data={"phone": phone, "code": sent, "password": phone, "_csrf_token": token(r.text)},
    )
    assert r.status_code == 400 and beside(r.text, "密码不能是手机号", "password")
    assert f'value="{sent}"' in r.text and f'value="{phone}" ' not in r.text.split("password")[-1]
    r = await client.post(
        "/password",
        data={
            "phone": phone,
            "code": sent,
            "password": "海风吹过-2026",
            "_csrf_token": token(r.text),
        },
    )
    assert r.status_code == 303  # the code was not spent by the refused tries


async def test_my_password_says_both_problems_at_once(running):
    from tests.web.helpers import beside

    world = await make_world(volunteers=0)
    client = running.client()
    await page_login(client, world.phones["resident"])
    r = await post_form(
        client, "/my-data", "/my-data/password", {"current_password": "", "new_password": "1"}
    )
    assert r.status_code == 400
    assert beside(r.text, "请填写当前密码。", "current_password")
    assert beside(r.text, "密码至少要8个字符", "new_password")


async def test_a_refused_correction_keeps_what_was_typed_beside_its_field(running):
    from tests.web.helpers import beside

    world = await make_world(volunteers=0)
    client = running.client()
    await page_login(client, world.phones["resident"])
    r = await post_form(client, "/my-data", "/my-data", {"name": "  ", "address": "新路2号"})
    assert r.status_code == 400 and beside(r.text, "请填写姓名。", "name")
    assert 'value="新路2号"' in r.text
