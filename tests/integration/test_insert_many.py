"""Plain rows inserted in few statements: every row lands, in one transaction."""

from __future__ import annotations

import pytest

from marketplace import db
from marketplace.org.tables import SubDistrict


async def test_rows_land_across_statements(clean, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "MAX_PARAMS", 7)  # two rows of three columns per statement
    rows = [(f"街道{i}", 36.0 + i / 100, 120.0) for i in range(5)]
    await db.insert_many(SubDistrict, ("name", "lat", "lng"), rows)
    await db.insert_many(SubDistrict, ("name", "lat", "lng"), [])
    got = await SubDistrict.select(SubDistrict.name, SubDistrict.lat).order_by(SubDistrict.lat)
    assert [(r["name"], r["lat"]) for r in got] == [(n, lat) for n, lat, _ in rows]


async def test_a_failed_statement_leaves_no_rows(clean, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db, "MAX_PARAMS", 3)  # one row per statement
    rows = [("甲", 36.0, 120.0), ("乙", 36.1, 120.0), ("丙", None, 120.0)]  # lat is NOT NULL
    with pytest.raises(Exception):  # noqa: B017 (each engine raises its own error type)
        async with db.atomic():
            await db.insert_many(SubDistrict, ("name", "lat", "lng"), rows)
    assert await SubDistrict.count() == 0


async def test_rows_as_dicts_return_what_was_asked(clean, monkeypatch: pytest.MonkeyPatch) -> None:
    from marketplace.accounts.tables import Person
    from marketplace.notifications.tables import Notification

    monkeypatch.setattr(db, "MAX_PARAMS", 10)  # two rows of four columns per statement
    person = await db.insert(Person, name="林阿姨", phone="13800000001")
    rows = [
        {"person": person, "kind": "wish", "code": "wish_claimed", "params": {"n": i}}
        for i in range(5)
    ]
    saved = await db.insert_rows(Notification, rows, returning=("id", "person"))
    assert len({r["id"] for r in saved}) == 5 and {r["person"] for r in saved} == {person}
    stored = await Notification.select(Notification.params).output(load_json=True)
    assert sorted(r["params"]["n"] for r in stored) == list(range(5))
    assert await db.insert_rows(Notification, []) == []
