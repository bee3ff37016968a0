"""`python -m marketplace.cli create-admin`: the first administrator of an empty installation
signs in with a code and holds the admin role everywhere."""

from __future__ import annotations

import pytest

from marketplace.accounts.rules import Actor, Role, RoleScope
from marketplace.cli import create_admin, main


async def test_first_admin_of_an_empty_installation_signs_in_by_code(running, capsys):
    from marketplace.accounts.tables import Person
    from marketplace.errors import Conflict

    assert await Person.count() == 0
    await create_admin(phone="138 0000 9999", name="张敏")
    out = capsys.readouterr().out
    assert "13800009999" in out and "/login" in out

    client = running.client()
    r = await client.post("/api/v1/auth/codes", json={"phone": "13800009999"})
    assert r.status_code == 202
    code = running.app.state["sms_sender"].sent[-1][2]["code"]
    r = await client.post("/api/v1/auth/code-login", json={"phone": "13800009999", "code": code})
    assert r.status_code == 200, r.text
    assert [g["role"] for g in r.json()["roles"]] == ["admin"]

    with pytest.raises(Conflict, match="already has an administrator"):
        await create_admin(phone="13800009998", name="李")
    assert await Person.count() == 1


def test_an_unscoped_admin_grant_covers_every_community():
    admin = Actor(person_id=1, name="张敏", roles=(RoleScope(Role.ADMIN),))
    assert admin.coordinates(7, 3)
    coordinator = Actor(person_id=2, name="李", roles=(RoleScope(Role.COORDINATOR),))
    assert not coordinator.coordinates(7, 3)


def test_create_admin_needs_phone_and_name():
    with pytest.raises(SystemExit):
        main(["create-admin", "--phone", "13800009999"])
