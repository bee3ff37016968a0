"""A person's own data (PIPL) over HTTP on both engines: see, correct, download, withdraw
priority-group consent (audited), close the account (erased, points forfeited once confirmed)."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.factories import PASSWORD, as_, make_world, wish_in_state


async def test_see_correct_download_withdraw_and_close(running):
    from marketplace.accounts.tables import Person
    from marketplace.audit.tables import AuditEntry
    from marketplace.points.tables import PointsEntry
    from marketplace.wishes.tables import Wish

    world = await make_world(volunteers=1)
    wid = await wish_in_state(running, world, "submitted")
    me = await as_(running, world, "resident")
    data = (await me.get("/api/v1/me/data")).json()
    assert data["person"]["phone"] == world.phones["resident"]
    assert "password_hash" not in data["person"] and data["has_password"]
    assert data["wishes"][0]["priority_groups"] == ["low_income", "child"]

    r = await me.get("/api/v1/me/data/download")
    assert "attachment" in r.headers["content-disposition"]
    assert r.headers["cache-control"] == "no-store"
    r = await me.put("/api/v1/me/data", json={"name": "林改", "address": "新地址1号"})
    assert r.json()["person"]["name"] == "林改"

    r = await me.post("/api/v1/me/data/withdraw-priority-consent")
    assert r.status_code == 200
    wish = await Wish.select().where(Wish.id == wid).output(load_json=True).first()
    assert wish["priority_groups"] == [] and not wish["priority_consent"]
    entry = (
        await AuditEntry.select().where(AuditEntry.object_id == wid).output(load_json=True).first()
    )
    assert entry["action"] == "wish.priority_consent_withdrawn"
    assert entry["detail"]["recorded_by"] == world.people["resident"]

    pid = world.people["resident"]
    await PointsEntry(person=pid, delta=30, reason="service", at=datetime.now(UTC)).save()
    r = await me.post("/api/v1/me/data/close", json={})
    assert r.status_code == 409 and r.json()["code"] == "accounts_close_not_confirmed"
    assert "30" in r.json()["message"]
    r = await me.post("/api/v1/me/data/close", json={"confirm_forfeit": True})
    assert r.status_code == 200
    person = await Person.select().where(Person.id == pid).first()
    assert person["phone"] is None and person["name"] == "已注销" and person["address"] == ""
    assert person["closed_at"] is not None
    assert sum(p["delta"] for p in await PointsEntry.select().where(PointsEntry.person == pid)) == 0
    assert await Wish.exists().where(Wish.id == wid), "history is kept"
    assert (await me.get("/api/v1/me")).status_code == 401
    r = await running.client().post(
        "/api/v1/auth/login", json={"phone": world.phones["resident"], "password": PASSWORD}
    )
    assert r.status_code == 401


async def test_viewing_a_residents_full_contact_is_audited(running):
    from marketplace.audit.tables import AuditEntry

    world = await make_world(volunteers=1)
    wid = await wish_in_state(running, world, "claimed")
    coord = await as_(running, world, "coord")
    assert (await coord.get(f"/api/v1/wishes/{wid}")).json()["masked"] is False
    resident = await as_(running, world, "resident")
    await resident.get(f"/api/v1/wishes/{wid}")  # the resident's own: not recorded
    vol = await as_(running, world, "vol0")
    task_id = (await resident.get(f"/api/v1/wishes/{wid}")).json()["task_id"]
    assert (await vol.get(f"/api/v1/tasks/{task_id}")).json()["contact"] is not None
    rows = (
        await AuditEntry.select()
        .where(AuditEntry.action == "contact.viewed")
        .output(load_json=True)
    )
    # the claim's answer shows the contact too: the assignee may appear more than once
    seen = {(r["actor"], r["object_type"], r["object_id"]) for r in rows}
    assert seen == {(world.people["coord"], "wish", wid), (world.people["vol0"], "wish", wid)}
    assert all(r["at"] is not None for r in rows)


async def test_my_data_downloads_as_a_workbook_in_my_language(running):
    import io

    from openpyxl import load_workbook

    world = await make_world(volunteers=1)
    await wish_in_state(running, world, "submitted")
    me = await as_(running, world, "resident")
    await me.put("/api/v1/me/data", json={"address": '=HYPERLINK("http://x")'})
    r = await me.get("/api/v1/me/data/workbook")
    assert r.status_code == 200 and r.headers["content-type"].startswith(
        "application/vnd.openxmlformats"
    )
    assert r.headers["cache-control"] == "no-store"
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["个人信息", "志愿者资料", "岗位", "我的心愿", "服务记录", "积分"]
    me_rows = {row[0]: row[1] for row in wb["个人信息"].iter_rows(min_row=2, values_only=True)}
    assert me_rows["手机号"] == world.phones["resident"]
    assert me_rows["地址"].startswith("'="), "a formula is written as text"
    assert "password_hash" not in me_rows
    wishes = list(wb["我的心愿"].iter_rows(values_only=True))
    assert "标题" in wishes[0] and len(wishes) == 2
    en = await me.get("/api/v1/me/data/workbook", headers={"accept-language": "en"})
    assert load_workbook(io.BytesIO(en.content)).sheetnames[0] == "Me"
