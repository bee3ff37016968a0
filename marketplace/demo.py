"""Demo data: a sub-district of Qingdao Shinan with people in every role and wishes in every state.

`load_demo()` fills an empty database (it does nothing when people exist). Everyone shares one
password hash (argon2 is slow by design); residents without a phone have no login at all.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from faker import Faker

from marketplace.accounts.rules import Role, VolunteerKind, hash_password
from marketplace.accounts.tables import Person, RoleGrant, VolunteerProfile
from marketplace.db import atomic
from marketplace.org.tables import Community, Compound, Grid, SubDistrict
from marketplace.tasks.tables import Claim, Task
from marketplace.wishes.rules import PriorityGroup, WishStatus, priority_level
from marketplace.wishes.tables import Wish, WishEvent

DEMO_PASSWORD = "lianxin2026"
DEMO_ACCOUNTS: dict[str, tuple[str, str]] = {
    "resident": ("13900000001", "林秀兰"),
    "grid_worker": ("13900000002", "王建国"),
    "coordinator": ("13900000003", "张丽华"),
    "subdistrict": ("13900000004", "刘志强"),
    "volunteer": ("13900000005", "陈晓明"),
    "admin": ("13900000006", "赵敏"),
}
CENTRE = (36.0600, 120.3700)  # 市南区
COMMUNITIES = ["江苏路社区", "八大关社区", "湛山社区"]
SKILLS = {
    "tutoring": "tutoring",
    "repairs": "repairs",
    "companionship": "companionship",
    "errands": "errands",
    "medical_escort": "medical_escort",
    "goods": "errands",
    "other": "other",
}
TITLES = {
    "tutoring": ["辅导孩子数学作业", "辅导初中英语", "陪孩子读绘本", "辅导小学语文"],
    "repairs": ["修理漏水的水龙头", "更换楼道灯泡", "修理坏掉的门锁", "疏通下水道"],
    "companionship": ["周末陪老人聊聊天", "陪空巢老人下棋", "陪老人散步晒太阳"],
    "errands": ["帮忙买菜送上楼", "代取快递", "帮忙交水电费"],
    "medical_escort": ["陪老人去医院复查", "陪同去社区医院取药", "陪诊眼科检查"],
    "goods": ["想要一台旧电风扇", "孩子需要一个书包", "冬天需要一床棉被"],
    "other": ["教老人用智能手机", "帮忙写一封感谢信", "帮忙整理阳台杂物"],
}
# Share of wishes in each state, in lifecycle order.
STATES = [
    (WishStatus.SUBMITTED, 20),
    (WishStatus.REJECTED, 6),
    (WishStatus.CANCELLED, 6),
    (WishStatus.PUBLISHED, 40),
    (WishStatus.CLAIMED, 24),
    (WishStatus.FULFILLED, 16),
    (WishStatus.CONFIRMED, 20),
    (WishStatus.ANNOUNCED, 18),
]


def _near(rng: random.Random, point: tuple[float, float], metres: float) -> tuple[float, float]:
    d = metres / 111_000
    return point[0] + rng.uniform(-d, d), point[1] + rng.uniform(-d, d) * 1.24


async def _org(rng: random.Random) -> tuple[int, list[dict]]:
    """The sub-district, 3 communities, 12 compounds with 2 grids each; returns the compounds."""
    sub = (
        await SubDistrict.insert(
            SubDistrict(name="八大湖街道", lat=CENTRE[0], lng=CENTRE[1])
        ).returning(SubDistrict.id)
    )[0]["id"]
    compounds: list[dict] = []
    for i, name in enumerate(COMMUNITIES):
        c_lat, c_lng = CENTRE[0] + 0.012 * (i - 1), CENTRE[1] + 0.01 * (i - 1)
        comm = (
            await Community.insert(
                Community(name=name, sub_district=sub, lat=c_lat, lng=c_lng)
            ).returning(Community.id)
        )[0]["id"]
        for j in range(4):
            lat, lng = _near(rng, (c_lat, c_lng), 900)
            comp = (
                await Compound.insert(
                    Compound(name=f"{name[:-2]}{'东西南北'[j]}苑", community=comm, lat=lat, lng=lng)
                ).returning(Compound.id)
            )[0]["id"]
            grids = await Grid.insert(
                *[Grid(name=f"第{k + 1}网格", compound=comp, lat=lat, lng=lng) for k in range(2)]
            ).returning(Grid.id)
            compounds.append(
                {
                    "id": comp,
                    "community": comm,
                    "lat": lat,
                    "lng": lng,
                    "grids": [g["id"] for g in grids],
                    "sub": sub,
                }
            )
    return sub, compounds


async def _person(
    fake: Faker,
    rng: random.Random,
    comp: dict,
    *,
    phone: str | None,
    pw: str | None,
    name: str | None = None,
) -> dict:
    lat, lng = _near(rng, (comp["lat"], comp["lng"]), 150)
    row = Person(
        name=name or fake.name(),
        phone=phone,
        password_hash=pw,
        community=comp["community"],
        compound=comp["id"],
        grid=rng.choice(comp["grids"]),
        address=f"{fake.street_name()}{rng.randint(1, 200)}号{rng.randint(1, 6)}单元{rng.randint(1, 18)}0{rng.randint(1, 4)}",
        lat=lat,
        lng=lng,
        created_at=datetime.now(UTC) - timedelta(days=90),
    )
    await row.save()
    return {
        "id": row.id,
        "community": comp["community"],
        "compound": comp["id"],
        "grid": row.grid,
        "lat": lat,
        "lng": lng,
        "address": row.address,
    }


async def _people(
    fake: Faker, rng: random.Random, sub: int, compounds: list[dict], pw: str, demo_pw: str
) -> dict:
    phones = iter(range(13800000000, 13899999999, 7919))
    home = compounds[0]
    people: dict = {"residents": [], "volunteers": [], "grid": {}, "coordinators": {}}
    demo = {
        k: await _person(fake, rng, home, phone=p, pw=demo_pw, name=n)
        for k, (p, n) in DEMO_ACCOUNTS.items()
    }
    grants = [
        RoleGrant(
            person=demo["resident"]["id"], role=Role.RESIDENT.value, community=home["community"]
        ),
        RoleGrant(
            person=demo["grid_worker"]["id"],
            role=Role.GRID_WORKER.value,
            community=home["community"],
            title="网格长",
        ),
        RoleGrant(
            person=demo["coordinator"]["id"],
            role=Role.COORDINATOR.value,
            community=home["community"],
            title="社区党委书记",
        ),
        RoleGrant(
            person=demo["subdistrict"]["id"],
            role=Role.COORDINATOR.value,
            sub_district=sub,
            title="街道党工委",
        ),
        RoleGrant(
            person=demo["volunteer"]["id"],
            role=Role.VOLUNTEER.value,
            sub_district=sub,
            title="在职党员",
        ),
        RoleGrant(person=demo["admin"]["id"], role=Role.ADMIN.value, sub_district=sub),
    ]
    people["residents"].append(demo["resident"])
    people["volunteers"].append(demo["volunteer"])
    people["grid"][home["community"]] = [demo["grid_worker"]]
    people["coordinators"][home["community"]] = [demo["coordinator"]]
    for comp in compounds[1:]:
        gw = await _person(fake, rng, comp, phone=str(next(phones)), pw=pw)
        grants.append(
            RoleGrant(
                person=gw["id"],
                role=Role.GRID_WORKER.value,
                community=comp["community"],
                title="网格员",
            )
        )
        people["grid"].setdefault(comp["community"], []).append(gw)
    for comm in {c["community"] for c in compounds} - {home["community"]}:
        comp = next(c for c in compounds if c["community"] == comm)
        co = await _person(fake, rng, comp, phone=str(next(phones)), pw=pw)
        grants.append(
            RoleGrant(
                person=co["id"], role=Role.COORDINATOR.value, community=comm, title="社区党委书记"
            )
        )
        people["coordinators"][comm] = [co]
    for _ in range(299):
        comp = rng.choice(compounds)
        r = await _person(
            fake, rng, comp, phone=str(next(phones)) if rng.random() < 0.7 else None, pw=None
        )
        grants.append(
            RoleGrant(person=r["id"], role=Role.RESIDENT.value, community=comp["community"])
        )
        people["residents"].append(r)
    for _ in range(199):
        comp = rng.choice(compounds)
        v = await _person(fake, rng, comp, phone=str(next(phones)), pw=pw)
        grants.append(
            RoleGrant(person=v["id"], role=Role.VOLUNTEER.value, community=comp["community"])
        )
        people["volunteers"].append(v)
    await RoleGrant.insert(*grants)
    await VolunteerProfile.insert(
        *[
            VolunteerProfile(
                person=v["id"],
                kind=rng.choice(list(VolunteerKind)).value,
                skills=sorted(set(rng.sample(sorted(set(SKILLS.values())), k=rng.randint(1, 3)))),
                home_lat=v["lat"],
                home_lng=v["lng"],
                weekly_hours=float(rng.choice([2, 4, 6, 8])),
                weekly_tasks=rng.randint(1, 4),
                max_distance_m=rng.choice([1000, 2000, 3000, 5000]),
            )
            for v in people["volunteers"]
        ]
    )
    return people


async def _wish(
    fake: Faker, rng: random.Random, people: dict, status: WishStatus, days_ago: float
) -> None:
    resident = rng.choice(people["residents"])
    comm = resident["community"]
    on_behalf = rng.random() < 0.35
    poster = rng.choice(people["grid"][comm]) if on_behalf else resident
    coordinator = people["coordinators"][comm][0]
    category = rng.choice(list(TITLES))
    groups = (
        rng.sample([g.value for g in PriorityGroup], k=rng.randint(1, 2))
        if rng.random() < 0.4
        else []
    )
    at = datetime.now(UTC) - timedelta(days=days_ago)
    wish = Wish(
        title=rng.choice(TITLES[category]),
        description=fake.sentence(nb_words=12),
        category=category,
        resident=resident["id"],
        posted_by=poster["id"],
        community=comm,
        compound=resident["compound"],
        grid=resident["grid"],
        address=resident["address"],
        lat=resident["lat"],
        lng=resident["lng"],
        hours=float(rng.choice([1, 1.5, 2, 3])),
        skills=[SKILLS[category]] if rng.random() < 0.6 else [],
        priority_groups=groups,
        priority_consent=bool(groups),
        priority_recorded_by=poster["id"] if groups else None,
        status=status.value,
        created_at=at,
        updated_at=at,
    )
    await wish.save()
    await _history(rng, wish, status, at, poster["id"], coordinator["id"], people)


async def _history(
    rng: random.Random,
    wish: Wish,
    status: WishStatus,
    at: datetime,
    poster: int,
    coordinator: int,
    people: dict,
) -> None:
    """Events, the task and the claim a wish in `status` would have left behind."""
    order = [s for s, _ in STATES]
    events = [("submit", "", WishStatus.SUBMITTED, poster, "")]
    if status in (WishStatus.REJECTED, WishStatus.CANCELLED):
        action, actor = (
            ("reject", coordinator) if status == WishStatus.REJECTED else ("cancel", poster)
        )
        note = "[commercial] 属于商业服务，不在微心愿范围内" if action == "reject" else "已自行解决"
        events.append((action, "submitted", status, actor, note))
        wish.reject_reason = note if action == "reject" else ""
        await wish.save()
    reached = order.index(status) if status in order[3:] else -1
    steps = [
        ("publish", WishStatus.PUBLISHED),
        ("claim", WishStatus.CLAIMED),
        ("fulfil", WishStatus.FULFILLED),
        ("confirm", WishStatus.CONFIRMED),
        ("announce", WishStatus.ANNOUNCED),
    ]
    volunteer = _volunteer_for(rng, people, wish.community)
    prev = WishStatus.SUBMITTED
    for action, target in steps:
        if reached < order.index(target):
            break
        actor = {
            "publish": coordinator,
            "claim": volunteer,
            "fulfil": volunteer,
            "confirm": wish.resident,
            "announce": coordinator,
        }[action]
        events.append((action, prev.value, target, actor, ""))
        prev = target
    await WishEvent.insert(
        *[
            WishEvent(
                wish=wish.id,
                action=a,
                from_status=f,
                to_status=t.value,
                actor=actor,
                note=n,
                at=at + timedelta(hours=6 * i),
            )
            for i, (a, f, t, actor, n) in enumerate(events)
        ]
    )
    if reached < order.index(WishStatus.PUBLISHED):
        return
    await _task_and_claim(rng, wish, status, volunteer, at)


def _volunteer_for(rng: random.Random, people: dict, community: int) -> int:
    """Mostly a volunteer of the same community; the demo volunteer gets a fair share to show."""
    if rng.random() < 0.2:
        return people["volunteers"][0]["id"]
    local = [v for v in people["volunteers"] if v["community"] == community]
    return rng.choice(local or people["volunteers"])["id"]


async def _task_and_claim(
    rng: random.Random, wish: Wish, status: WishStatus, volunteer: int, at: datetime
) -> None:
    task_status = {WishStatus.PUBLISHED: "open", WishStatus.CLAIMED: "claimed"}.get(
        status, "fulfilled"
    )
    task = Task(
        source="wish",
        source_id=wish.id,
        community=wish.community,
        compound=wish.compound,
        title=wish.title,
        category=wish.category,
        skills=wish.skills,
        hours=wish.hours,
        priority=priority_level(wish.priority_groups),
        lat=wish.lat,
        lng=wish.lng,
        status=task_status,
        created_at=at + timedelta(hours=6),
    )
    await task.save()
    if status == WishStatus.PUBLISHED:
        return
    active = status == WishStatus.CLAIMED
    hours = None if active else wish.hours + rng.choice([0, 0.5])
    await Claim(
        task=task.id,
        volunteer=volunteer,
        active_task=task.id if active else None,
        status="active" if active else "fulfilled",
        via=rng.choice(["claim", "claim", "dispatch"]),
        claimed_at=at + timedelta(hours=12),
        ended_at=None if active else at + timedelta(days=2),
        accepted_at=at + timedelta(hours=13),
        hours=hours,
        note="" if active else "已完成，老人很满意",
    ).save()
    if not active:
        wish.fulfilled_hours, wish.fulfil_note = hours, "已完成"
    if status in (WishStatus.CONFIRMED, WishStatus.ANNOUNCED):
        wish.rating, wish.confirm_comment, wish.confirmed_by = (
            rng.choice([4, 5, 5, 5, 3]),
            "非常感谢志愿者！",
            wish.resident,
        )
    if status == WishStatus.ANNOUNCED:
        wish.announced_at = at + timedelta(days=4)
    await wish.save()


PARTNERS = [
    ("海之韵物业服务有限公司", "property_service", ["repairs", "electrician"], "certified"),
    ("青岛大学青年志愿者协会", "university_or_school", ["tutoring", "companionship"], "certified"),
    ("福满家爱心超市", "caring_merchant", ["goods", "errands"], "certified"),
    ("市南区司法局机关党支部", "agency_party_org", ["mediation"], "pending"),
]
STORE = [("大米 5kg", 120, 10), ("食用油 1.8L", 80, 15), ("洗衣液", 50, 20), ("理发券", 30, 30)]


async def _partners(rng: random.Random, sub: int, compounds: list[dict], people: dict) -> None:
    """A few partner units, mostly certified; the demo volunteer is a member of the first."""
    from marketplace.partners.tables import PartnerMember, PartnerUnit

    communities = sorted({c["community"] for c in compounds})
    for i, (name, kind, skills, status) in enumerate(PARTNERS):
        unit = PartnerUnit(
            name=name,
            kind=kind,
            sub_district=sub,
            contact_name="联系人",
            contact_phone=f"1390000010{i}",
            services=skills,
            skills=skills,
            communities=communities[: 1 + i % 3],
            people=rng.randint(3, 20),
            weekly_hours=float(rng.choice([10, 20, 40])),
            status=status,
            registered_by=people["volunteers"][i]["id"],
            created_at=datetime.now(UTC) - timedelta(days=30),
        )
        await unit.save()
        await PartnerMember(
            unit=unit.id, person=people["volunteers"][i]["id"], role="contact"
        ).save()


async def _projects(compounds: list[dict], people: dict) -> None:
    """Two projects: one recruiting (its slots are tasks in the feed), one completed and announced."""
    from marketplace.projects.tables import Project, Slot
    from marketplace.tasks import service as tasks

    comp = compounds[0]
    coordinator = people["coordinators"][comp["community"]][0]["id"]
    now = datetime.now(UTC)
    specs = [
        (
            "老旧小区架空线入地改造",
            "recruiting",
            [("电工", 2, 8.0, ["electrician"]), ("施工协调员", 1, 4.0, [])],
            None,
        ),
        (
            "四点半课堂 after-school tutoring",
            "evaluated",
            [("辅导员", 4, 2.0, ["tutoring"])],
            now - timedelta(days=3),
        ),
    ]
    for title, status, slots, announced in specs:
        project = Project(
            title=title,
            description="社区党委发布的机会清单项目",
            need="居民反映强烈",
            scope_kind="community",
            scope_id=comp["community"],
            community=comp["community"],
            lat=comp["lat"],
            lng=comp["lng"],
            responsible_level="community",
            duty_type="facilities" if status == "recruiting" else "child_care",
            status=status,
            rating=5 if announced else None,
            evaluation="家长满意" if announced else "",
            created_by=coordinator,
            created_at=now - timedelta(days=20),
            announced_at=announced,
        )
        await project.save()
        for role, n, hours, skills in slots:
            slot = Slot(project=project.id, role=role, people=n, hours=hours, skills=skills)
            await slot.save()
            for _ in range(n if status == "recruiting" else 0):
                await tasks.publish(
                    source="slot",
                    source_id=slot.id,
                    community_id=comp["community"],
                    compound_id=None,
                    title=f"{title} · {role}",
                    category="project",
                    skills=skills,
                    hours=hours,
                    priority=0,
                    lat=comp["lat"],
                    lng=comp["lng"],
                    responsible_level="community",
                    duty_type=project.duty_type,
                )


async def _points(compounds: list[dict]) -> None:
    """Points for every confirmed service, and a store in each community."""
    from marketplace.points.rules import points_for
    from marketplace.points.tables import PointsAccount, PointsEntry, StoreItem
    from marketplace.settings import get_settings

    settings = get_settings()
    rows = await Claim.select(
        Claim.id, Claim.volunteer, Claim.hours, Claim.task.priority.as_alias("priority")
    ).where(
        (Claim.status == "fulfilled")
        & Claim.task.source_id.is_in(
            Wish.select(Wish.id).where(Wish.status.is_in(["confirmed", "announced"]))
        )
    )
    now = datetime.now(UTC)
    await Claim.update({Claim.confirmed_at: now}).where(
        Claim.id.is_in([r["id"] for r in rows] or [-1])
    )
    for person in {r["volunteer"] for r in rows}:
        await PointsAccount(person=person).save()
    await PointsEntry.insert(
        *[
            PointsEntry(
                person=r["volunteer"],
                delta=points_for(
                    float(r["hours"] or 0),
                    priority=r["priority"] > 0,
                    per_hour=settings.points_per_hour,
                    priority_bonus=settings.points_priority_bonus,
                ),
                reason="service",
                claim=r["id"],
                at=now,
            )
            for r in rows
        ]
    )
    for community in sorted({c["community"] for c in compounds}):
        await StoreItem.insert(
            *[
                StoreItem(community=community, name=name, price=price, stock=stock, created_at=now)
                for name, price, stock in STORE
            ]
        )


async def load_demo(seed: int = 2026) -> bool:
    """Fill an empty database with the demo sub-district; False when people already exist."""
    if await Person.count() > 0:
        return False
    fake, rng = Faker("zh_CN"), random.Random(seed)
    fake.seed_instance(seed)
    pw, demo_pw = hash_password("not-a-demo-login"), hash_password(DEMO_PASSWORD)
    async with atomic():
        sub, compounds = await _org(rng)
        people = await _people(fake, rng, sub, compounds, pw, demo_pw)
        for status, count in STATES:
            for _ in range(count):
                await _wish(fake, rng, people, status, days_ago=rng.uniform(1, 60))
        await _partners(rng, sub, compounds, people)
        await _projects(compounds, people)
        await _points(compounds)
    await _admin_login()
    return True


async def _admin_login() -> None:
    """The demo admin signs in to Piccolo Admin at /admin/ with the same phone and password."""
    from marketplace.admin.tables import AdminUser

    phone, _ = DEMO_ACCOUNTS["admin"]
    await AdminUser.create_user(
        username=phone, password=DEMO_PASSWORD, admin=True, active=True, superuser=True
    )
