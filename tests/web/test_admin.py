"""Piccolo Admin at /admin/: its own login; the raw tables only behind it."""

from __future__ import annotations

from marketplace.admin.tables import AdminUser


async def test_admin_needs_its_login(running):
    client = running.client()
    page = await client.get("/admin/")
    assert page.status_code == 200 and "<html" in page.text.lower()
    assert (await client.get("/admin/api/tables/")).status_code in (401, 403)
    await AdminUser.create_user(
        username="13900000006", password="admin-password-1", admin=True, active=True
    )
    csrf = client.cookies.get("csrftoken")
    assert csrf, "Piccolo Admin sets its own CSRF cookie"
    r = await client.post(
        "/admin/public/login/",
        json={"username": "13900000006", "password": "admin-password-1"},
        headers={"X-CSRFToken": csrf},
    )
    assert r.status_code in (200, 303), r.text
    tables = await client.get("/admin/api/tables/")
    assert tables.status_code == 200 and "wish" in tables.text
