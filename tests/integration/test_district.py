"""The district data set (`demo --size district`), loaded small on both engines: the feed sees
its tasks through the spatial index, nearest first, and its volunteers sign in and claim."""

from __future__ import annotations

from marketplace.accounts.tables import Person, VolunteerProfile
from marketplace.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from marketplace.district import COMMUNITIES, load_district, volunteer_phone
from marketplace.geo import haversine_m
from marketplace.tasks.tables import Task
from marketplace.wishes.tables import Wish

TASKS, VOLUNTEERS = 300, 40
CENTRE = {"lat": 36.062, "lng": 120.379}


async def _signed_in(running, phone: str):
    client = running.client()
    r = await client.post("/api/v1/auth/login", json={"phone": phone, "password": DEMO_PASSWORD})
    assert r.status_code == 200, r.text
    return client


async def test_a_small_district_loads_and_the_feed_sees_it(running):
    assert await load_district(tasks=TASKS, volunteers=VOLUNTEERS) is True
    assert await load_district(tasks=TASKS, volunteers=VOLUNTEERS) is False

    # the demo's own rows, then the district's: every district task open with its public point
    district = await Task.select().where(Task.source_id > 150).output(load_json=True)
    assert len(district) == TASKS
    assert all(t["status"] == "open" and t["public_lat"] is not None for t in district)
    assert await Wish.count().where(Wish.status == "published") >= TASKS
    assert await VolunteerProfile.count() == 200 + VOLUNTEERS
    assert await Person.count().where(Person.phone == volunteer_phone(VOLUNTEERS - 1)) == 1

    # the demo volunteer (a sub-district role) sees the district's tasks, nearest first
    demo = await _signed_in(running, DEMO_ACCOUNTS["volunteer"][0])
    r = await demo.get("/api/v1/tasks", params={**CENTRE, "radius_m": 50_000, "limit": 200})
    assert r.status_code == 200, r.text
    feed = r.json()
    assert len(feed) == 200
    ids = {t["id"] for t in district}
    assert any(t["id"] in ids for t in feed)
    far = [haversine_m(CENTRE["lat"], CENTRE["lng"], t["lat"], t["lng"]) for t in feed]
    assert far == sorted(far)
    communities = {t["community"] for t in district}
    assert len(communities) > COMMUNITIES // 2  # spread over the district, not one place

    # a district volunteer signs in with the demo password and claims a task of their community
    vol = await _signed_in(running, volunteer_phone(0))
    me = (await vol.get("/api/v1/me")).json()
    home = (
        await Person.select(Person.community, Person.lat, Person.lng)
        .where(Person.phone == volunteer_phone(0))
        .first()
    )
    mine = [t for t in district if t["community"] == home["community"]]
    assert me["roles"], me
    r = await vol.get(
        "/api/v1/tasks", params={"lat": home["lat"], "lng": home["lng"], "radius_m": 50_000}
    )
    assert r.status_code == 200
    seen = {t["id"] for t in r.json()}
    assert seen and seen <= {t["id"] for t in mine}
    first = r.json()[0]["id"]
    assert (await vol.post(f"/api/v1/tasks/{first}/claim")).status_code == 200
