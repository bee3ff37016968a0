"""Demo data: a sub-district of Qingdao Shinan with people in every role and wishes in every state.

`load_demo()` fills an empty database (it does nothing when people exist), in one transaction.
Everything is planned in memory first (seeded, so two loads give the same data), then written
with bulk inserts. Only the six demo accounts can sign in (password DEMO_PASSWORD); everyone
else with a phone shares one hash of a random secret (argon2 is slow by design, so it is hashed
once), and residents without a phone have no login at all.
"""

from __future__ import annotations

import math
import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from faker import Faker
from piccolo.table import Table

from marketplace.accounts.rules import Role, VolunteerKind, hash_password
from marketplace.accounts.tables import Person, RoleGrant, VolunteerProfile
from marketplace.db import atomic
from marketplace.geo import haversine_m
from marketplace.org.tables import Community, Compound, Grid, SubDistrict
from marketplace.settings import CATEGORY_DUTY
from marketplace.tasks import service as tasks_service
from marketplace.tasks.tables import Claim, Task
from marketplace.wishes.rules import PriorityGroup, WishStatus, priority_level
from marketplace.wishes.tables import Wish, WishEvent

DEMO_PASSWORD = "lianxin2026"
DEMO_ACCOUNTS: dict[str, tuple[str, str]] = {
    "resident": ("13900000001", "林秀兰"),  # 居民
    "grid_worker": ("13900000002", "王建国"),  # 网格长
    "coordinator": ("13900000003", "张丽华"),  # 社区党委 (江苏路社区)
    "subdistrict_coordinator": ("13900000004", "刘志强"),  # 街道
    "volunteer": ("13900000005", "陈晓明"),  # 在职党员
    "admin": ("13900000006", "赵敏"),  # sub-district scope
}

SUB_DISTRICT = ("八大湖街道", 36.0620, 120.3790)  # 青岛市市南区
# community, offset of its centre from the sub-district's (degrees), its compounds and their roads
COMMUNITIES: list[tuple[str, tuple[float, float], list[tuple[str, str]]]] = [
    (
        "江苏路社区",
        (-0.004, -0.008),
        [
            ("江苏路小区", "江苏路"),
            ("龙江路小区", "龙江路"),
            ("信号山花园", "信号山路"),
            ("大学路公寓", "大学路"),
        ],
    ),
    (
        "八大关社区",
        (0.006, 0.002),
        [
            ("太平角小区", "太平角一路"),
            ("正阳关路小区", "正阳关路"),
            ("荣成路花园", "荣成路"),
            ("居庸关路小区", "居庸关路"),
        ],
    ),
    (
        "湛山社区",
        (-0.005, 0.010),
        [
            ("湛山花园", "湛山大路"),
            ("燕儿岛路小区", "燕儿岛路"),
            ("东海西路公寓", "东海西路"),
            ("福州南路小区", "福州南路"),
        ],
    ),
]
EXTRA_SKILLS = ["electrician", "plumbing", "computer", "haircut", "first_aid", "legal_advice"]
KIND_TITLES = {
    VolunteerKind.PARTY_IN_SERVICE: "在职党员",
    VolunteerKind.PARTY_SUNK_DOWN: "下沉党员",
    VolunteerKind.PARTY_RESIDENT: "居住地报到党员",
    VolunteerKind.SKILLED_RESIDENT: "治理能人",
    VolunteerKind.STUDENT: "学生志愿者",
}
KIND_WEIGHTS = [30, 20, 25, 15, 10]
# What each kind of volunteer tends to offer (categories first, then extras).
KIND_SKILLS = {
    VolunteerKind.PARTY_IN_SERVICE: ["errands", "companionship", "medical_escort", "tutoring"],
    VolunteerKind.PARTY_SUNK_DOWN: ["errands", "companionship", "goods", "legal_advice"],
    VolunteerKind.PARTY_RESIDENT: ["companionship", "errands", "medical_escort", "repairs"],
    VolunteerKind.SKILLED_RESIDENT: ["repairs", "electrician", "plumbing", "haircut"],
    VolunteerKind.STUDENT: ["tutoring", "companionship", "computer", "errands"],
}

# category -> (title, description, skills, hours). Titles fit Wish.title (100 characters).
CATALOGUE: dict[str, list[tuple[str, str, list[str], float]]] = {
    "tutoring": [
        (
            "辅导孩子英语",
            "孩子上五年级，英语单词总记不住，希望每周有人辅导一次。",
            ["tutoring"],
            2.0,
        ),
        ("辅导初二数学作业", "女儿上初二，数学跟不上，家里没人会辅导。", ["tutoring"], 2.0),
        ("陪孩子读绘本", "孩子四岁，父母上夜班，希望有人周末陪他读读书。", [], 1.0),
        ("辅导小学语文作文", "孙子写作文发愁，老人辅导不了。", ["tutoring"], 1.5),
        ("暑假作业答疑", "两个孩子暑假在家，作业有不会的题。", ["tutoring"], 2.0),
    ],
    "repairs": [
        ("修理漏水的水龙头", "厨房水龙头一直滴水，老人自己修不了。", ["repairs", "plumbing"], 1.0),
        (
            "更换家里坏掉的灯泡",
            "客厅吊灯灯泡坏了，位置太高，够不着。",
            ["repairs", "electrician"],
            0.5,
        ),
        ("修理卫生间门锁", "卫生间门锁坏了，关不上。", ["repairs"], 1.0),
        ("疏通厨房下水道", "厨房下水道堵了好几天。", ["repairs", "plumbing"], 1.5),
        ("检修老化的电线插座", "插座发烫，担心安全，想请人看看。", ["repairs", "electrician"], 1.5),
        ("修理晾衣架", "阳台升降晾衣架摇不动了。", ["repairs"], 1.0),
    ],
    "companionship": [
        ("周末陪老人聊聊天", "独居老人，子女在外地，希望有人陪着说说话。", [], 2.0),
        ("陪空巢老人下象棋", "老伴去世后很少出门，喜欢下象棋。", [], 2.0),
        ("陪老人散步晒太阳", "腿脚不便，想有人扶着到楼下走走。", ["companionship"], 1.0),
        ("给老人读报纸", "眼睛不好，看不清字，想听听新闻。", [], 1.0),
    ],
    "errands": [
        ("帮忙买菜送上楼", "住六楼没有电梯，买菜提不上去。", ["errands"], 1.0),
        ("代取快递和药品", "行动不便，快递放在驿站取不了。", ["errands"], 0.5),
        ("帮忙交水电燃气费", "不会用手机缴费，营业厅太远。", ["errands"], 1.0),
        ("帮忙换煤气罐", "煤气罐用完了，一个人搬不动。", ["errands"], 1.0),
    ],
    "medical_escort": [
        ("陪老人去医院复查", "下周去青大附院复查，子女不在身边。", ["medical_escort"], 3.0),
        ("陪同去社区医院取药", "每月要去开降压药，一个人去不方便。", ["medical_escort"], 1.5),
        ("陪诊眼科检查", "白内障术后复查，需要有人陪同挂号。", ["medical_escort"], 3.0),
        ("陪孩子打疫苗", "妈妈腿受伤了，孩子要按时打疫苗。", ["medical_escort"], 1.5),
    ],
    "goods": [
        ("想要一台旧电风扇", "家里电扇坏了，夏天太热。", [], 0.5),
        ("孩子需要一个新书包", "孩子的书包破了，家庭困难。", [], 0.5),
        ("冬天需要一床棉被", "屋里冷，被子太薄。", [], 0.5),
        ("需要一副助行器", "做完手术走路不稳。", ["errands"], 0.5),
    ],
    "other": [
        ("教老人用智能手机", "想学会用微信和孩子视频，还有健康码。", ["computer"], 1.5),
        ("帮忙整理阳台杂物", "阳台堆满了杂物，想清理出来。", [], 2.0),
        ("帮忙写一封感谢信", "想给帮助过自己的医生写封感谢信。", [], 1.0),
        ("上门理发", "卧床老人，很久没有理发了。", ["haircut"], 1.0),
    ],
}
CATEGORY_WEIGHTS = [12, 22, 18, 18, 14, 8, 8]
# What a coordinator rejects (负面清单 negative list), with the item it touches.
REJECTED = [
    ("借钱周转一下", "最近手头紧，想借两千块钱。", "cash", "涉及现金借贷，不在微心愿范围内"),
    ("帮忙代购化妆品", "想请人代购进口化妆品。", "commercial", "属于商业代购服务"),
    ("推销保健品", "帮我在小区里推销保健品。", "commercial", "属于商业推销"),
    ("帮孩子代考", "孩子考试想找人代考。", "unlawful", "违反法律法规"),
    ("要个红包过节", "过节了，想要点现金红包。", "cash", "涉及现金"),
]
CANCEL_REASONS = ["已自行解决", "子女回来帮忙了", "不需要了，谢谢", "邻居已经帮忙了"]
FULFIL_NOTES = [
    "已完成，老人很满意",
    "已上门处理好",
    "顺利完成",
    "已送到家",
    "辅导完成，孩子进步了",
]
COMMENTS = ["非常感谢志愿者！", "服务很周到", "小伙子很热心", "解决了大问题，谢谢党组织", "满意"]
# Which priority groups tend to come with a category.
CATEGORY_GROUPS = {
    "tutoring": [PriorityGroup.CHILD, PriorityGroup.LOW_INCOME],
    "goods": [PriorityGroup.LOW_INCOME, PriorityGroup.DISABLED, PriorityGroup.CHILD],
}
ELDER_GROUPS = [
    PriorityGroup.AGED_60_PLUS,
    PriorityGroup.EMPTY_NEST,
    PriorityGroup.DISABLED,
    PriorityGroup.LOW_INCOME,
]
# How many wishes end in each status (150 in all).
STATUS_COUNTS: list[tuple[WishStatus, int]] = [
    (WishStatus.SUBMITTED, 20),
    (WishStatus.REJECTED, 6),
    (WishStatus.CANCELLED, 8),
    (WishStatus.PUBLISHED, 38),
    (WishStatus.CLAIMED, 24),
    (WishStatus.FULFILLED, 16),
    (WishStatus.CONFIRMED, 20),
    (WishStatus.ANNOUNCED, 18),
]
# How long ago (days) the last step of a wish in each status may have happened.
RECENCY = {
    WishStatus.SUBMITTED: 4,
    WishStatus.REJECTED: 40,
    WishStatus.CANCELLED: 40,
    WishStatus.PUBLISHED: 12,
    WishStatus.CLAIMED: 9,
    WishStatus.FULFILLED: 5,
    WishStatus.CONFIRMED: 20,
    WishStatus.ANNOUNCED: 35,
}
# Hours between steps: (low, high).
GAPS = {
    "publish": (2, 36),
    "reject": (2, 36),
    "cancel": (6, 72),
    "claim": (1, 96),
    "release": (12, 72),
    "fulfil": (12, 120),
    "confirm": (4, 72),
    "announce": (24, 168),
}
RESPONSIBLE = [
    ("community", 70),
    ("in_service_member", 15),
    ("agency_party_org", 10),
    ("sub_district", 5),
]
MAX_ACTIVE = 5  # Settings.max_open_claims
PARTNERS = [
    ("海之韵物业服务有限公司", "property_service", ["repairs", "electrician"], "certified"),
    ("青岛大学青年志愿者协会", "university_or_school", ["tutoring", "companionship"], "certified"),
    ("福满家爱心超市", "caring_merchant", ["goods", "errands"], "certified"),
    ("市南区司法局机关党支部", "agency_party_org", ["mediation"], "pending"),
]
STORE = [("大米 5kg", 120, 10), ("食用油 1.8L", 80, 15), ("洗衣液", 50, 20), ("理发券", 30, 30)]


# ---------------------------------------------------------------- the plan, in memory


@dataclass
class _Place:
    id: int
    community: int
    lat: float
    lng: float
    road: str = ""
    grids: list[int] = field(default_factory=list)


@dataclass
class _Person:
    name: str
    phone: str | None
    password_hash: str | None
    home: _Place
    grid: int
    lat: float
    lng: float
    address: str
    created_at: datetime
    grants: list[tuple[str, int | None, int | None, str]] = field(default_factory=list)
    profile: dict[str, Any] | None = None
    id: int = 0
    active: int = 0  # active claims given in the plan

    def joined_before(self, at: datetime) -> None:
        """Nobody acts before they were registered."""
        self.created_at = min(self.created_at, at - timedelta(hours=12))


@dataclass
class _Step:
    action: str
    frm: str
    to: str
    actor: _Person
    note: str
    at: datetime


@dataclass
class _Claim:
    volunteer: _Person
    status: str
    via: str
    claimed_at: datetime
    ended_at: datetime | None = None
    hours: float | None = None
    note: str = ""
    respond_by: datetime | None = None
    accepted_at: datetime | None = None
    confirmed_at: datetime | None = None
    confirmed_by: _Person | None = None
    id: int = 0


@dataclass
class _Wish:
    values: dict[str, Any]
    resident: _Person
    poster: _Person
    steps: list[_Step] = field(default_factory=list)
    task: dict[str, Any] | None = None
    claims: list[_Claim] = field(default_factory=list)
    confirmed_by: _Person | None = None
    id: int = 0


@dataclass
class _World:
    sub: int
    places: list[_Place]
    demo: dict[str, _Person]
    grid_workers: dict[int, _Person]  # grid id -> its worker
    coordinators: dict[int, _Person]  # community id -> its coordinator
    residents: list[_Person]
    volunteers: list[_Person]
    staff: list[_Person]


def _near(rng: random.Random, lat: float, lng: float, metres: float) -> tuple[float, float]:
    """A point within `metres` (roughly) of another."""
    r = metres * math.sqrt(rng.random())
    a = rng.uniform(0, 2 * math.pi)
    return (
        lat + r * math.cos(a) / 111_320,
        lng + r * math.sin(a) / (111_320 * math.cos(math.radians(lat))),
    )


def _weighted(rng: random.Random, pairs: list[tuple[Any, int]]) -> Any:
    return rng.choices([p for p, _ in pairs], weights=[w for _, w in pairs])[0]


async def _insert(table: type[Table], rows: Sequence[Table], check: str) -> list[int]:
    """Bulk insert in chunks; the ids come back in order (checked against one column)."""
    ids: list[int] = []
    for start in range(0, len(rows), 200):
        chunk = rows[start : start + 200]
        pk = table._meta.primary_key
        out = await table.insert(*chunk).returning(pk, getattr(table, check))
        assert [r[check] for r in out] == [getattr(row, check) for row in chunk]
        ids.extend(r[pk._meta.name] for r in out)
    return ids


async def _org(rng: random.Random) -> tuple[int, list[_Place]]:
    """The sub-district, its 3 communities, 12 compounds and 2-3 grids in each compound."""
    name, lat0, lng0 = SUB_DISTRICT
    sub = (await _insert(SubDistrict, [SubDistrict(name=name, lat=lat0, lng=lng0)], "name"))[0]
    comms = [
        Community(name=c, sub_district=sub, lat=lat0 + dlat, lng=lng0 + dlng)
        for c, (dlat, dlng), _ in COMMUNITIES
    ]
    comm_ids = await _insert(Community, comms, "name")
    places: list[_Place] = []
    rows: list[Compound] = []
    for comm_id, comm, (_, _, compounds) in zip(comm_ids, comms, COMMUNITIES, strict=True):
        for comp_name, road in compounds:
            lat, lng = _near(rng, comm.lat, comm.lng, 700)
            rows.append(Compound(name=comp_name, community=comm_id, lat=lat, lng=lng))
            places.append(_Place(0, comm_id, lat, lng, road))
    for place, comp_id in zip(places, await _insert(Compound, rows, "name"), strict=True):
        place.id = comp_id
    grids: list[Grid] = []
    owners: list[_Place] = []
    for place in places:
        for k in range(rng.randint(2, 3)):
            lat, lng = _near(rng, place.lat, place.lng, 120)
            grids.append(Grid(name=f"第{k + 1}网格", compound=place.id, lat=lat, lng=lng))
            owners.append(place)
    for place, grid_id in zip(owners, await _insert(Grid, grids, "compound"), strict=True):
        place.grids.append(grid_id)
    return sub, places


def _people(
    fake: Faker,
    rng: random.Random,
    sub: int,
    places: list[_Place],
    now: datetime,
    hashes: tuple[str, str],
) -> _World:
    """Everyone, in memory: the demo accounts, grid workers, coordinators, volunteers, residents."""
    demo_hash, shared_hash = hashes
    used: set[str] = {p for p, _ in DEMO_ACCOUNTS.values()}

    def phone() -> str:
        while True:
            p = rng.choice(
                ["135", "136", "137", "138", "150", "151", "158", "186", "187"]
            ) + "".join(rng.choices("0123456789", k=8))
            if p not in used:
                used.add(p)
                return p

    def person(
        home: _Place,
        *,
        name: str | None = None,
        phone_: str | None,
        pw: str | None,
        grid: int | None = None,
        days: tuple[float, float] = (30, 60),
    ) -> _Person:
        lat, lng = _near(rng, home.lat, home.lng, 150)
        address = (
            f"{home.road}{rng.randint(1, 60)}号{rng.randint(1, 4)}单元"
            f"{rng.randint(1, 7)}0{rng.randint(1, 4)}"
        )
        return _Person(
            name=name or fake.name(),
            phone=phone_,
            password_hash=pw,
            home=home,
            grid=grid if grid is not None else rng.choice(home.grids),
            lat=lat,
            lng=lng,
            address=address,
            created_at=now - timedelta(days=rng.uniform(*days)),
        )

    home = places[0]
    community = home.community
    staff_days = (59.5, 60)
    demo = {
        key: person(home, name=name, phone_=p, pw=demo_hash, grid=home.grids[0], days=staff_days)
        for key, (p, name) in DEMO_ACCOUNTS.items()
    }
    demo["resident"].grants.append((Role.RESIDENT.value, community, None, ""))
    demo["grid_worker"].grants.append((Role.GRID_WORKER.value, community, None, "网格长"))
    demo["coordinator"].grants.append((Role.COORDINATOR.value, community, None, "社区党委书记"))
    demo["subdistrict_coordinator"].grants.append((Role.COORDINATOR.value, None, sub, "街道党工委"))
    demo["volunteer"].grants.append((Role.VOLUNTEER.value, None, sub, "在职党员"))
    demo["admin"].grants.append((Role.ADMIN.value, None, sub, "系统管理员"))
    lat, lng = _near(rng, demo["resident"].lat, demo["resident"].lng, 200)
    demo["volunteer"].profile = dict(
        kind=VolunteerKind.PARTY_IN_SERVICE.value,
        skills=["companionship", "errands", "medical_escort", "tutoring"],
        home_lat=lat,
        home_lng=lng,
        weekly_hours=6.0,
        weekly_tasks=4,
        max_distance_m=3000,
    )

    grid_workers: dict[int, _Person] = {home.grids[0]: demo["grid_worker"]}
    coordinators: dict[int, _Person] = {community: demo["coordinator"]}
    staff = list(demo.values())
    for place in places:
        for i, grid in enumerate(place.grids):
            if grid in grid_workers:
                continue
            gw = person(place, phone_=phone(), pw=shared_hash, grid=grid, days=staff_days)
            gw.grants.append(
                (Role.GRID_WORKER.value, place.community, None, "网格长" if i == 0 else "网格员")
            )
            grid_workers[grid] = gw
            staff.append(gw)
        if place.community not in coordinators:
            co = person(place, phone_=phone(), pw=shared_hash, days=staff_days)
            co.grants.append((Role.COORDINATOR.value, place.community, None, "社区党委书记"))
            coordinators[place.community] = co
            staff.append(co)

    volunteers = [demo["volunteer"]]
    kinds = list(VolunteerKind)
    for _ in range(199):
        place = rng.choice(places)
        v = person(place, phone_=phone(), pw=shared_hash)
        kind = rng.choices(kinds, weights=KIND_WEIGHTS)[0]
        v.grants.append((Role.VOLUNTEER.value, place.community, None, KIND_TITLES[kind]))
        skills = set(rng.sample(KIND_SKILLS[kind], k=rng.randint(1, 3)))
        if rng.random() < 0.5:
            skills.add(rng.choice(list(CATALOGUE)))
        if rng.random() < 0.25:
            skills.add(rng.choice(EXTRA_SKILLS))
        if skills & {"electrician", "plumbing"}:
            skills.add("repairs")
        committed = kind == VolunteerKind.PARTY_SUNK_DOWN and rng.random() < 0.4
        v.profile = dict(
            kind=kind.value,
            skills=sorted(skills),
            home_lat=v.lat,
            home_lng=v.lng,
            weekly_hours=float(rng.choice([2, 3, 4, 5, 6, 8])),
            weekly_tasks=rng.randint(1, 4),
            max_distance_m=rng.choice([1000, 1500, 2000, 3000, 4000, 5000]),
            active=rng.random() < 0.95,
            committed_hours=8.0 if committed else 0.0,  # part-time grid member: 2 visits, 8 h
            committed_visits=2 if committed else 0,
        )
        volunteers.append(v)

    residents = [demo["resident"]]
    for _ in range(299):
        place = rng.choice(places)
        has_phone = rng.random() < 0.75  # the others are added by grid workers, with no login
        r = person(
            place,
            phone_=phone() if has_phone else None,
            pw=shared_hash if has_phone else None,
        )
        r.grants.append((Role.RESIDENT.value, place.community, None, ""))
        residents.append(r)
    return _World(sub, places, demo, grid_workers, coordinators, residents, volunteers, staff)


def _pick_volunteer(
    rng: random.Random, world: _World, wish: dict[str, Any], at: datetime, *, active: bool
) -> _Person:
    """A volunteer who serves the community, ideally has the skills, lives near enough and has
    room; the demo volunteer gets a fair share so their pages have something to show."""

    def fits(v: _Person, strict: bool) -> bool:
        p = v.profile or {}
        if active and v.active >= min(p.get("weekly_tasks", 1), MAX_ACTIVE):
            return False
        if v is not world.demo["volunteer"] and v.home.community != wish["community"]:
            return False
        if not strict:
            return True
        near = haversine_m(p["home_lat"], p["home_lng"], wish["lat"], wish["lng"])
        return set(wish["skills"]) <= set(p["skills"]) and near <= p["max_distance_m"]

    demo = world.demo["volunteer"]
    if rng.random() < 0.2 and fits(demo, strict=False) and (not active or demo.active < 3):
        chosen = demo
    else:
        pool = [v for v in world.volunteers if fits(v, strict=True)] or [
            v for v in world.volunteers if fits(v, strict=False)
        ]
        chosen = rng.choice(pool)
    chosen.joined_before(at)
    return chosen


def _timeline(
    rng: random.Random, status: WishStatus, now: datetime, released: bool, after_publish: bool
) -> list[tuple[str, datetime]]:
    """The actions a wish in `status` went through, and when (all within the last 60 days)."""
    actions = ["submit"]
    if status == WishStatus.REJECTED:
        actions.append("reject")
    elif status == WishStatus.CANCELLED:
        actions += ["publish", "cancel"] if after_publish else ["cancel"]
    elif status != WishStatus.SUBMITTED:
        actions.append("publish")
        if released:
            actions += ["claim", "release"]
        order = ["claimed", "fulfilled", "confirmed", "announced"]
        for action, reached in zip(["claim", "fulfil", "confirm", "announce"], order, strict=True):
            if status == WishStatus.PUBLISHED or order.index(status.value) < order.index(reached):
                break
            actions.append(action)
    gaps = [0.0] + [rng.uniform(*GAPS[a]) for a in actions[1:]]
    total = sum(gaps)
    lead = rng.uniform(0.05, RECENCY[status]) * 24
    lead = min(lead, 58 * 24 - total)
    start = now - timedelta(hours=lead + total)
    out, t = [], start
    for action, gap in zip(actions, gaps, strict=True):
        t += timedelta(hours=gap)
        out.append((action, t))
    return out


def _wish(
    rng: random.Random,
    world: _World,
    status: WishStatus,
    now: datetime,
    resident: _Person,
) -> _Wish:
    """One wish in `status` with the events, task and claims its life left behind."""
    gw = world.grid_workers[resident.grid]
    coordinator = world.coordinators[resident.home.community]
    on_behalf = resident.phone is None or rng.random() < 0.25
    poster = gw if on_behalf else resident
    if status == WishStatus.REJECTED:
        title, description, code, reason = rng.choice(REJECTED)
        category, hours = "other", 1.0
        skills: list[str] = []
        reject_reason = f"[{code}] {reason}"
    else:
        category = rng.choices(list(CATALOGUE), weights=CATEGORY_WEIGHTS)[0]
        title, description, skills, hours = rng.choice(CATALOGUE[category])
        reject_reason = ""
    groups: list[str] = []
    if rng.random() < 0.4:
        pool = CATEGORY_GROUPS.get(category, ELDER_GROUPS)
        groups = sorted({g.value for g in rng.sample(pool, k=rng.randint(1, 2))})
    released = status == WishStatus.PUBLISHED and rng.random() < 0.15
    after_publish = status == WishStatus.CANCELLED and rng.random() < 0.5
    steps = _timeline(rng, status, now, released, after_publish)
    created = steps[0][1]
    resident.joined_before(created)
    poster.joined_before(created)
    values: dict[str, Any] = dict(
        title=title,
        description=description,
        category=category,
        community=resident.home.community,
        compound=resident.home.id,
        grid=resident.grid,
        address=resident.address,
        lat=resident.lat,
        lng=resident.lng,
        wanted_by=None,
        hours=hours,
        skills=sorted(skills),
        priority_groups=groups,
        priority_consent=bool(groups),
        status=status.value,
        reject_reason=reject_reason,
        created_at=created,
        updated_at=steps[-1][1],
    )
    if status in (WishStatus.SUBMITTED, WishStatus.PUBLISHED) and rng.random() < 0.4:
        values["wanted_by"] = (now + timedelta(days=rng.randint(3, 30))).date()
    wish = _Wish(values, resident, poster)
    confirmer = resident if resident.phone is not None and not on_behalf else gw
    volunteer: _Person | None = None
    claim: _Claim | None = None
    state = ""
    for action, at in steps:
        frm, note = state, ""
        if action == "submit":
            actor, state = poster, WishStatus.SUBMITTED.value
        elif action == "reject":
            actor, state, note = coordinator, WishStatus.REJECTED.value, reject_reason
        elif action == "cancel":
            actor, state, note = poster, WishStatus.CANCELLED.value, rng.choice(CANCEL_REASONS)
            if wish.task:
                wish.task["status"] = "closed"
        elif action == "publish":
            actor, state = coordinator, WishStatus.PUBLISHED.value
            wish.task = dict(
                source="wish",
                community=values["community"],
                compound=values["compound"],
                title=title,
                category=category,
                skills=values["skills"],
                hours=hours,
                priority=priority_level(groups),
                lat=values["lat"],
                lng=values["lng"],
                status="open",
                created_at=at,
                responsible_level=_weighted(rng, RESPONSIBLE),
                duty_type=CATEGORY_DUTY.get(category, "volunteering"),
            )
        elif action == "claim":
            holds = status == WishStatus.CLAIMED
            volunteer = _pick_volunteer(rng, world, values, at, active=holds)
            if holds:
                volunteer.active += 1
            via = "dispatch" if rng.random() < 0.3 else "claim"
            claim = _Claim(volunteer, "active", via, at)
            if via == "dispatch":
                claim.respond_by = at + timedelta(hours=24)
                if not (holds and now - at < timedelta(hours=24) and rng.random() < 0.5):
                    claim.accepted_at = at + timedelta(hours=rng.uniform(0.2, 6))
                note = "dispatched 派单"
            wish.claims.append(claim)
            actor, state = volunteer, WishStatus.CLAIMED.value
            assert wish.task is not None
            wish.task["status"] = "claimed"
        elif action == "release":
            assert claim is not None and volunteer is not None and wish.task is not None
            claim.status, claim.ended_at = "released", at
            actor, state, note = volunteer, WishStatus.PUBLISHED.value, "临时有事，无法前往"
            wish.task["status"] = "open"
        elif action == "fulfil":
            assert claim is not None and volunteer is not None and wish.task is not None
            note = rng.choice(FULFIL_NOTES)
            worked = max(0.5, hours + rng.choice([0, 0, 0.5, -0.5]))
            claim.status, claim.ended_at, claim.hours, claim.note = "fulfilled", at, worked, note
            values.update(fulfilled_hours=worked, fulfil_note=note)
            actor, state = volunteer, WishStatus.FULFILLED.value
            wish.task["status"] = "fulfilled"
        elif action == "confirm":
            assert claim is not None
            note = rng.choice(COMMENTS)
            claim.confirmed_at, claim.confirmed_by = at, confirmer
            values.update(
                rating=rng.choices([5, 4, 3], weights=[60, 30, 10])[0], confirm_comment=note
            )
            wish.confirmed_by = confirmer
            actor, state = confirmer, WishStatus.CONFIRMED.value
        else:  # announce
            values["announced_at"] = at
            actor, state = coordinator, WishStatus.ANNOUNCED.value
        actor.joined_before(at)
        wish.steps.append(_Step(action, frm, state, actor, note, at))
    assert state == status.value
    if groups:
        values["priority_recorded_by"] = poster
    return wish


def _wishes(rng: random.Random, world: _World, now: datetime) -> list[_Wish]:
    """150 wishes over every status; the demo resident has one in most statuses."""
    wishes: list[_Wish] = []
    others = world.residents[1:]
    frequent = rng.sample(others, k=40)  # some residents wish more than once
    for status, count in STATUS_COUNTS:
        for i in range(count):
            if i == 0 and status != WishStatus.REJECTED:
                resident = world.demo["resident"]
            else:
                resident = rng.choice(frequent if rng.random() < 0.3 else others)
            wishes.append(_wish(rng, world, status, now, resident))
    return wishes


# ---------------------------------------------------------------- writing the plan


async def _write_people(world: _World) -> list[_Person]:
    everyone = [*world.staff, *world.volunteers[1:], *world.residents[1:]]
    rows = [
        Person(
            name=p.name,
            phone=p.phone,
            password_hash=p.password_hash,
            community=p.home.community,
            compound=p.home.id,
            grid=p.grid,
            address=p.address,
            lat=p.lat,
            lng=p.lng,
            created_at=p.created_at,
        )
        for p in everyone
    ]
    for p, pid in zip(everyone, await _insert(Person, rows, "name"), strict=True):
        p.id = pid
    await RoleGrant.insert(
        *[
            RoleGrant(person=p.id, role=role, community=comm, sub_district=sub, title=title)
            for p in everyone
            for role, comm, sub, title in p.grants
        ]
    )
    profiles = [VolunteerProfile(person=v.id, **v.profile) for v in world.volunteers if v.profile]
    for start in range(0, len(profiles), 200):
        await VolunteerProfile.insert(*profiles[start : start + 200])
    return everyone


async def _write_wishes(wishes: list[_Wish]) -> None:
    rows = []
    for w in wishes:
        values = dict(w.values)
        if "priority_recorded_by" in values:
            values["priority_recorded_by"] = values["priority_recorded_by"].id
        rows.append(
            Wish(
                resident=w.resident.id,
                posted_by=w.poster.id,
                confirmed_by=w.confirmed_by.id if w.confirmed_by else None,
                **values,
            )
        )
    for w, wid in zip(wishes, await _insert(Wish, rows, "title"), strict=True):
        w.id = wid
    events = [
        WishEvent(
            wish=w.id,
            action=s.action,
            from_status=s.frm,
            to_status=s.to,
            actor=s.actor.id,
            note=s.note,
            at=s.at,
        )
        for w in wishes
        for s in w.steps
    ]
    for start in range(0, len(events), 200):
        await WishEvent.insert(*events[start : start + 200])
    published = [w for w in wishes if w.task]
    task_rows = [Task(source_id=w.id, **(w.task or {})) for w in published]
    task_ids = await _insert(Task, task_rows, "source_id")
    claims: list[tuple[int, _Claim]] = [
        (tid, c) for w, tid in zip(published, task_ids, strict=True) for c in w.claims
    ]
    claim_rows = [
        Claim(
            task=tid,
            volunteer=c.volunteer.id,
            active_task=tid if c.status == "active" else None,
            status=c.status,
            via=c.via,
            hours=c.hours,
            note=c.note,
            claimed_at=c.claimed_at,
            ended_at=c.ended_at,
            respond_by=c.respond_by,
            accepted_at=c.accepted_at,
            confirmed_at=c.confirmed_at,
            confirmed_by=c.confirmed_by.id if c.confirmed_by else None,
        )
        for tid, c in claims
    ]
    for (_, c), cid in zip(claims, await _insert(Claim, claim_rows, "task"), strict=True):
        c.id = cid
    await _points(published, task_ids)


async def _points(published: list[_Wish], task_ids: list[int]) -> None:
    """雷锋超市 points for every confirmed service, as confirming it would have credited them."""
    from marketplace.points.rules import points_for
    from marketplace.points.tables import PointsAccount, PointsEntry
    from marketplace.settings import get_settings

    settings = get_settings()
    entries = [
        PointsEntry(
            person=c.volunteer.id,
            delta=points_for(
                float(c.hours or 0),
                priority=(w.task or {}).get("priority", 0) > 0,
                per_hour=settings.points_per_hour,
                priority_bonus=settings.points_priority_bonus,
            ),
            reason="service",
            claim=c.id,
            at=c.confirmed_at,
        )
        for w in published
        for c in w.claims
        if c.confirmed_at is not None
    ]
    people = sorted({e.person for e in entries})
    if people:
        await PointsAccount.insert(*[PointsAccount(person=p) for p in people])
    if entries:
        await PointsEntry.insert(*entries)


async def _partners(rng: random.Random, world: _World, now: datetime) -> None:
    """A few partner units, mostly certified; the demo volunteer is a member of the first."""
    from marketplace.partners.tables import PartnerMember, PartnerUnit

    communities = sorted({p.community for p in world.places})
    for i, (name, kind, skills, status) in enumerate(PARTNERS):
        contact = world.volunteers[i]
        unit = PartnerUnit(
            name=name,
            kind=kind,
            sub_district=world.sub,
            contact_name=contact.name,
            contact_phone=f"1390000010{i}",
            services=skills,
            skills=skills,
            communities=communities[: 1 + i % 3],
            people=rng.randint(3, 20),
            weekly_hours=float(rng.choice([10, 20, 40])),
            status=status,
            registered_by=contact.id,
            created_at=now - timedelta(days=30 + i),
        )
        await unit.save()
        await PartnerMember(unit=unit.id, person=contact.id, role="contact").save()


async def _projects(world: _World, now: datetime) -> None:
    """Two projects: one recruiting (its slots are tasks in the feed), one completed and announced."""
    from marketplace.projects.tables import Project, Slot
    from marketplace.tasks import service as tasks

    comp = world.places[0]
    coordinator = world.coordinators[comp.community].id
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
            scope_id=comp.community,
            community=comp.community,
            lat=comp.lat,
            lng=comp.lng,
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
                    community_id=comp.community,
                    compound_id=None,
                    title=f"{title} · {role}",
                    category="project",
                    skills=skills,
                    hours=hours,
                    priority=0,
                    lat=comp.lat,
                    lng=comp.lng,
                    responsible_level="community",
                    duty_type=project.duty_type,
                )


async def _store(world: _World, now: datetime) -> None:
    from marketplace.points.tables import StoreItem

    await StoreItem.insert(
        *[
            StoreItem(community=community, name=name, price=price, stock=stock, created_at=now)
            for community in sorted({p.community for p in world.places})
            for name, price, stock in STORE
        ]
    )


async def _admin_login() -> None:
    """The demo admin signs in to Piccolo Admin at /admin/ with the same phone and password."""
    from marketplace.admin.tables import AdminUser

    phone, _ = DEMO_ACCOUNTS["admin"]
    await AdminUser.create_user(
        username=phone, password=DEMO_PASSWORD, admin=True, active=True, superuser=True
    )


async def load_demo(seed: int = 2026) -> bool:
    """Fill an empty database with the demo sub-district; False when people already exist."""
    if await Person.count() > 0:
        return False
    fake, rng = Faker("zh_CN"), random.Random(seed)
    fake.seed_instance(seed)
    now = datetime.now(UTC)
    # Hashed once each: the demo logins, and an unguessable secret everyone else shares.
    hashes = hash_password(DEMO_PASSWORD), hash_password(secrets.token_urlsafe(24))
    async with atomic():
        sub, places = await _org(rng)
        world = _people(fake, rng, sub, places, now, hashes)
        wishes = _wishes(rng, world, now)
        await _write_people(world)
        await _write_wishes(wishes)
        await _partners(rng, world, now)
        await _projects(world, now)
        await _store(world, now)
        await _admin_login()
        await tasks_service.fill_public_points()
    return True
