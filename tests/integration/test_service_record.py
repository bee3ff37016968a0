"""The service record over HTTP: services confirmed by the resident or a coordinator, totals by
month, the CSV a coordinator exports for a certificate (opened back and checked), weekly
commitments, and the access rules of every service-record endpoint."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import as_, make_world, recruiting_project, wish_in_state


async def _slot_service(running, world, key: str, hours: float) -> int:
    """A slot task of a new project claimed, fulfilled and confirmed by the coordinator."""
    coord, vol = await as_(running, world, "coord"), await as_(running, world, key)
    project = await recruiting_project(
        running, world, title="楼道清洁日", slots=[{"role": "清洁", "people": 1, "hours": hours}]
    )
    task_id = project["slots"][0]["task_ids"][0]
    assert (await vol.post(f"/api/v1/tasks/{task_id}/claim")).status_code == 200
    r = await vol.post(f"/api/v1/tasks/{task_id}/fulfil", json={"hours": hours})
    assert r.status_code == 200
    claims = (await vol.get("/api/v1/me/claims")).json()
    claim = next(c for c in claims if c["task"]["id"] == task_id)
    r = await coord.post(
        f"/api/v1/projects/{project['id']}/confirm-service", json={"claim_ids": [claim["id"]]}
    )
    assert r.status_code == 200, r.text
    return claim["id"]


async def test_record_by_month_and_the_coordinators_csv(running):
    from marketplace.tasks.tables import Claim

    world = await make_world()
    await wish_in_state(running, world, "confirmed", claimer="vol0")  # the resident confirms, 2 h
    slot_claim = await _slot_service(running, world, "vol0", 3.5)
    await wish_in_state(running, world, "fulfilled", claimer="vol0")  # not yet confirmed, 2 h
    last_month = datetime.now(UTC).replace(day=1) - timedelta(days=3)
    await Claim.update({Claim.ended_at: last_month}).where(Claim.id == slot_claim)

    coord = await as_(running, world, "coord")
    url = f"/api/v1/service-record/people/{world.people['vol0']}"
    record = (await coord.get(url)).json()
    assert (record["total_hours"], record["confirmed_hours"]) == (7.5, 5.5)
    this, previous = datetime.now(UTC).strftime("%Y-%m"), last_month.strftime("%Y-%m")
    months = [
        (m["month"], m["services"], m["hours"], m["confirmed_hours"]) for m in record["months"]
    ]
    assert months == [(this, 2, 4, 2), (previous, 1, 3.5, 3.5)]
    by_source = {s["source"]: s for s in record["services"] if s["confirmed"]}
    assert by_source["wish"]["confirmed_by"] == "林**" == by_source["slot"]["confirmed_by"]
    vol0 = await as_(running, world, "vol0")
    assert (await vol0.get("/api/v1/service-record/me")).json() == record

    r = await coord.get(f"{url}/csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "charset=utf-8" in r.headers["content-type"]
    assert r.headers["cache-control"] == "no-store"
    assert r.headers["content-disposition"].startswith("attachment;")
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    header, services = rows[0], rows[1:4]
    assert header[:4] == ["日期 date", "任务 task", "时长 hours", "已确认 confirmed"]
    assert len(header) == 6 and all(len(row) == 6 for row in services)
    assert sorted((s[1], s[2], s[3]) for s in services) == [
        ("帮孩子辅导数学作业", "2", "否 no"),
        ("帮孩子辅导数学作业", "2", "是 yes"),
        ("楼道清洁日 · 清洁", "3.5", "是 yes"),
    ]
    slot_row = next(s for s in services if s[1].startswith("楼道"))
    assert slot_row[0] == last_month.date().isoformat() and slot_row[5] == "林**"
    assert rows[4] == []
    assert rows[5][0] == "月份 month" and rows[6] == [this, "2", "4", "2"]
    assert rows[7] == [previous, "1", "3.5", "3.5"]
    assert rows[-1] == ["合计 total", "3", "7.5", "5.5"]


async def test_commitments_set_by_the_coordinator_and_who_is_below_them(running):
    world = await make_world()
    coord, coord2 = await as_(running, world, "coord"), await as_(running, world, "coord2")
    vol0 = await as_(running, world, "vol0")

    def url(key: str) -> str:
        return f"/api/v1/service-record/people/{world.people[key]}/commitment"

    grid_head = {"hours": 12, "visits": 3}
    assert (await coord2.put(url("vol0"), json=grid_head)).status_code == 404
    assert (await vol0.put(url("vol0"), json=grid_head)).status_code == 404
    assert (await coord.put(url("resident"), json=grid_head)).status_code == 404
    r = await coord.put(url("grid"), json=grid_head)
    assert r.status_code == 409 and r.json()["code"] == "record_no_profile"
    assert (await coord.put(url("vol0"), json={"hours": 100, "visits": 3})).status_code == 400
    assert (await coord.put(url("vol0"), json=grid_head)).status_code == 200

    await wish_in_state(running, world, "fulfilled", claimer="vol0")
    below = (await coord.get("/api/v1/service-record/below-commitment")).json()
    assert [(b["person_id"], b["committed_hours"], b["hours_this_week"]) for b in below] == [
        (world.people["vol0"], 12, 2)
    ]
    assert (await coord.put(url("vol0"), json={"hours": 2, "visits": 1})).status_code == 200
    assert (await coord.get("/api/v1/service-record/below-commitment")).json() == []
    assert (await coord2.get("/api/v1/service-record/below-commitment")).json() == []


@pytest.mark.parametrize("who", ["anonymous", "other_coordinator", "other_volunteer"])
async def test_every_service_record_endpoint_refuses_outsiders(running, who):
    world = await make_world()
    key = {"other_coordinator": "coord2", "other_volunteer": "vol1"}.get(who)
    client = await as_(running, world, key) if key else running.client()
    person = world.people["vol0"]
    hidden = 401 if who == "anonymous" else 404
    for method, url, body in [
        ("GET", f"/api/v1/service-record/people/{person}", None),
        ("GET", f"/api/v1/service-record/people/{person}/csv", None),
        ("PUT", f"/api/v1/service-record/people/{person}/commitment", {"hours": 1, "visits": 1}),
    ]:
        assert (await client.request(method, url, json=body)).status_code == hidden, url
    coordinator_only = 401 if who == "anonymous" else (200 if key == "coord2" else 403)
    for url in ("/api/v1/service-record/below-commitment", "/api/v1/service-record/responsibility"):
        assert (await client.get(url)).status_code == coordinator_only, url
    mine = 401 if who == "anonymous" else 200
    for url in ("/api/v1/service-record/me", "/api/v1/service-record/me.csv"):
        assert (await client.get(url)).status_code == mine, url


async def test_a_sub_district_wide_volunteer_is_first_class_for_every_coordinator(running):
    """The demo volunteer serves the whole sub-district: each community's coordinators (and the
    sub-district's) keep their commitment, record, certificate and below-commitment line."""
    from tests.factories import make_person

    world = await make_world(volunteers=0)
    await make_person(
        world,
        "wide",
        roles=[("volunteer", None, world.sub_district)],
        community=world.communities[0],
        compound=world.compounds[0],
        volunteer={"skills": ["tutoring"]},
    )
    person = world.people["wide"]
    for key in ("coord", "coord2", "subcoord"):
        coord = await as_(running, world, key)
        r = await coord.get(f"/api/v1/service-record/people/{person}")
        assert r.status_code == 200, (key, r.text)
        assert (await coord.get(f"/api/v1/service-record/people/{person}/csv")).status_code == 200
        url = f"/api/v1/service-record/people/{person}/commitment"
        assert (await coord.put(url, json={"hours": 3, "visits": 1})).status_code == 200
        below = (await coord.get("/api/v1/service-record/below-commitment")).json()
        assert [b["person_id"] for b in below] == [person], key
