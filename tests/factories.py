"""Small factories: an organisation tree with one person per role, and wishes in any state."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache

import httpx

PASSWORD = "lianxin-test-pw"
_phones = itertools.count(13800000000)
_wishes = itertools.count(1)


@lru_cache
def password_hash() -> str:
    from marketplace.accounts.rules import hash_password

    return hash_password(PASSWORD)


@dataclass
class World:
    sub_district: int
    communities: list[int]
    compounds: list[int]
    grids: list[int]
    people: dict[str, int] = field(default_factory=dict)
    phones: dict[str, str] = field(default_factory=dict)
    clients: dict[str, httpx.AsyncClient] = field(default_factory=dict)


async def make_person(
    world: World,
    key: str,
    *,
    roles: list[tuple[str, int | None, int | None]],
    community: int,
    compound: int,
    name: str | None = None,
    volunteer: dict | None = None,
) -> int:
    from marketplace.accounts.tables import Person, RoleGrant, VolunteerProfile
    from marketplace.org.tables import Compound

    c = await Compound.select(Compound.lat, Compound.lng).where(Compound.id == compound).first()
    phone = str(next(_phones))
    person = Person(
        name=name or f"林{key}",
        phone=phone,
        password_hash=password_hash(),
        community=community,
        compound=compound,
        address=f"{key}路1号3单元502",
        lat=c["lat"] + 0.0003,
        lng=c["lng"] + 0.0003,
        created_at=datetime.now(UTC),
    )
    await person.save()
    for role, comm, sub in roles:
        await RoleGrant(person=person.id, role=role, community=comm, sub_district=sub).save()
    if volunteer is not None:
        await VolunteerProfile(
            person=person.id,
            kind=volunteer.get("kind", "party_resident"),
            skills=volunteer.get("skills", []),
            home_lat=c["lat"],
            home_lng=c["lng"],
            weekly_hours=volunteer.get("weekly_hours", 6.0),
            weekly_tasks=volunteer.get("weekly_tasks", 3),
            max_distance_m=volunteer.get("max_distance_m", 3000),
        ).save()
    world.people[key] = person.id
    world.phones[key] = phone
    return person.id


async def make_world(volunteers: int = 2) -> World:
    """Two communities of one sub-district; one person per role (roles in community 1)."""
    from marketplace.org.tables import Community, Compound, Grid, SubDistrict

    sub = SubDistrict(name="八大湖街道", lat=36.07, lng=120.38)
    await sub.save()
    comms, comps, grids = [], [], []
    for i in range(2):
        comm = Community(name=f"社区{i + 1}", sub_district=sub.id, lat=36.07 + i * 0.02, lng=120.38)
        await comm.save()
        comp = Compound(name=f"小区{i + 1}", community=comm.id, lat=36.07 + i * 0.02, lng=120.381)
        await comp.save()
        grid = Grid(name=f"网格{i + 1}", compound=comp.id, lat=comp.lat, lng=comp.lng)
        await grid.save()
        comms.append(comm.id)
        comps.append(comp.id)
        grids.append(grid.id)
    w = World(sub.id, comms, comps, grids)
    c1, c2 = comms
    await make_person(
        w, "resident", roles=[("resident", c1, None)], community=c1, compound=comps[0]
    )
    await make_person(
        w, "other_resident", roles=[("resident", c1, None)], community=c1, compound=comps[0]
    )
    await make_person(w, "grid", roles=[("grid_worker", c1, None)], community=c1, compound=comps[0])
    await make_person(
        w, "coord", roles=[("coordinator", c1, None)], community=c1, compound=comps[0]
    )
    await make_person(
        w, "coord2", roles=[("coordinator", c2, None)], community=c2, compound=comps[1]
    )
    await make_person(
        w, "subcoord", roles=[("coordinator", None, sub.id)], community=c1, compound=comps[0]
    )
    for i in range(volunteers):
        await make_person(
            w,
            f"vol{i}",
            roles=[("volunteer", c1, None)],
            community=c1,
            compound=comps[0],
            volunteer={"skills": ["tutoring", "repairs"]},
        )
    return w


async def login(client: httpx.AsyncClient, world: World, key: str) -> httpx.AsyncClient:
    r = await client.post(
        "/api/v1/auth/login", json={"phone": world.phones[key], "password": PASSWORD}
    )
    assert r.status_code == 200, r.text
    return client


async def as_(running, world: World, key: str) -> httpx.AsyncClient:
    """A signed-in client for this person, made once per world (logins are slow by design)."""
    if key not in world.clients:
        world.clients[key] = await login(running.client(), world, key)
    return world.clients[key]


WISH = {
    "title": "帮孩子辅导数学作业",
    "category": "tutoring",
    "description": "女儿上初二，数学跟不上，希望每周有人辅导一次。",
    "hours": 2.0,
    "skills": ["tutoring"],
    "priority_groups": ["low_income", "child"],
    "priority_consent": True,
}


async def wish_in_state(
    running, world: World, state: str, claimer: str = "vol0", **overrides
) -> int:
    """Walk a new wish through the API to `state`; returns its id."""
    resident = await as_(running, world, "resident")
    coord = await as_(running, world, "coord")
    vol = await as_(running, world, claimer)
    # each wish a different one: a second identical wish within a day is refused
    unique = {"description": f"{WISH['description']}（{next(_wishes)}）"}
    r = await resident.post("/api/v1/wishes", json={**WISH, **unique, **overrides})
    assert r.status_code == 201, r.text
    wish = r.json()
    wid = wish["id"]
    steps = {
        "published": [(coord, f"/api/v1/wishes/{wid}/publish", None)],
        "rejected": [(coord, f"/api/v1/wishes/{wid}/reject", {"reason": "不符合条件"})],
        "cancelled": [(resident, f"/api/v1/wishes/{wid}/cancel", None)],
    }
    order = ["submitted", "published", "claimed", "fulfilled", "confirmed", "announced"]
    if state in ("rejected", "cancelled"):
        for c, url, body in steps[state]:
            assert (await c.post(url, json=body)).status_code == 200
        return wid
    for step in order[1 : order.index(state) + 1]:
        if step == "published":
            r = await coord.post(f"/api/v1/wishes/{wid}/publish")
        elif step == "claimed":
            task_id = (await resident.get(f"/api/v1/wishes/{wid}")).json()["task_id"]
            r = await vol.post(f"/api/v1/tasks/{task_id}/claim")
        elif step == "fulfilled":
            task_id = (await resident.get(f"/api/v1/wishes/{wid}")).json()["task_id"]
            r = await vol.post(
                f"/api/v1/tasks/{task_id}/fulfil", json={"hours": 2, "note": "辅导完成"}
            )
        elif step == "confirmed":
            r = await resident.post(
                f"/api/v1/wishes/{wid}/confirm", json={"rating": 5, "comment": "谢谢"}
            )
        else:
            r = await coord.post(f"/api/v1/wishes/{wid}/announce")
        assert r.status_code == 200, (step, r.text)
    return wid


# 幸福合伙人 partners, 机会清单 projects and 雷锋超市 points (issue 4)


def partner_body(world: World, **overrides) -> dict:
    """A partner unit's registration (组织备案) serving community 1."""
    return {
        "name": "青岛大学志愿服务队",
        "kind": "university_or_school",
        "sub_district_id": world.sub_district,
        "contact_name": "李老师",
        "contact_phone": "13912345678",
        "services": ["tutoring"],
        "skills": ["tutoring", "electrician"],
        "communities": [world.communities[0]],
        "people": 4,
        "weekly_hours": 12,
        **overrides,
    }


def project_body(world: World, **overrides) -> dict:
    """A project for community 1 with two slots: 2 electricians for 8 h, 1 tutor for 2 h."""
    return {
        "title": "老旧小区线路改造",
        "scope_kind": "community",
        "scope_id": world.communities[0],
        "community_id": world.communities[0],
        "need": "架空线杂乱",
        "duty_type": "facilities",
        "slots": [
            {"role": "电工 electrician", "people": 2, "hours": 8, "skills": ["electrician"]},
            {"role": "辅导员 tutor", "people": 1, "hours": 2, "skills": ["tutoring"]},
        ],
        **overrides,
    }


async def certified_partner(running, world: World, key: str, **overrides) -> int:
    """`key` registers a unit and community 1's coordinator certifies it; returns its id."""
    r = await (await as_(running, world, key)).post(
        "/api/v1/partners", json=partner_body(world, **overrides)
    )
    assert r.status_code == 201, r.text
    r = await (await as_(running, world, "coord")).post(
        f"/api/v1/partners/{r.json()['id']}/certify"
    )
    assert r.status_code == 200, r.text
    return r.json()["id"]


async def recruiting_project(running, world: World, **overrides) -> dict:
    """A project drafted and published by community 1's coordinator; returns it as read."""
    coord = await as_(running, world, "coord")
    r = await coord.post("/api/v1/projects", json=project_body(world, **overrides))
    assert r.status_code == 201, r.text
    r = await coord.post(f"/api/v1/projects/{r.json()['id']}/publish")
    assert r.status_code == 200, r.text
    return r.json()


async def grant_points(person_id: int, points: int) -> None:
    """Credit points straight into the ledger (as confirmed service would)."""
    from marketplace.points.tables import PointsAccount, PointsEntry

    await PointsAccount.insert(PointsAccount(person=person_id)).on_conflict(action="DO NOTHING")
    await PointsEntry(person=person_id, delta=points, reason="service", at=datetime.now(UTC)).save()


async def join_unit(running, world: World, uid: int, inviter: str, invitee: str) -> dict:
    """`inviter` (a member) invites `invitee` by phone and they accept; returns the unit as read."""
    r = await (await as_(running, world, inviter)).post(
        f"/api/v1/partners/{uid}/members", json={"phone": world.phones[invitee]}
    )
    assert r.status_code == 202, r.text
    guest = await as_(running, world, invitee)
    waiting = (await guest.get("/api/v1/partners/invitations")).json()
    invitation = next(i for i in waiting if i["unit_id"] == uid)
    r = await guest.post(f"/api/v1/partners/invitations/{invitation['id']}/accept")
    assert r.status_code == 200, r.text
    return r.json()
