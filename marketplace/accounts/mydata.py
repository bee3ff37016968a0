"""A person's own data (PIPL 个人信息保护法): see it, correct it, download it, withdraw consent
for priority-group data, close the account."""

from __future__ import annotations

from datetime import UTC, datetime

from marketplace.accounts.rules import Actor
from marketplace.accounts.tables import Person, RoleGrant, VolunteerProfile
from marketplace.audit import service as audit
from marketplace.db import atomic
from marketplace.errors import Conflict, InvalidInput
from marketplace.points.tables import PointsEntry
from marketplace.tasks.tables import Claim, Task
from marketplace.wishes.tables import Wish

CLOSED_NAME = "已注销"


def _plain(value):
    return value.isoformat() if isinstance(value, datetime) else value


async def export(*, actor: Actor) -> dict:
    """Everything held about the person, as plain JSON-ready data."""
    pid = actor.person_id
    person = (
        await Person.select(Person.all_columns(exclude=[Person.password_hash]))
        .where(Person.id == pid)
        .first()
    )
    wishes = (
        await Wish.select(
            Wish.id,
            Wish.title,
            Wish.description,
            Wish.category,
            Wish.status,
            Wish.address,
            Wish.priority_groups,
            Wish.priority_consent,
            Wish.created_at,
        )
        .where(Wish.resident == pid)
        .output(load_json=True)
    )
    claims = await Claim.select(
        Claim.id,
        Claim.task,
        Claim.status,
        Claim.hours,
        Claim.note,
        Claim.claimed_at,
        Claim.ended_at,
    ).where(Claim.volunteer == pid)
    titles = {
        t["id"]: t["title"]
        for t in await Task.select(Task.id, Task.title).where(
            Task.id.is_in([c["task"] for c in claims] or [-1])
        )
    }
    points = await PointsEntry.select(PointsEntry.delta, PointsEntry.reason, PointsEntry.at).where(
        PointsEntry.person == pid
    )
    profile = (
        await VolunteerProfile.select()
        .where(VolunteerProfile.person == pid)
        .output(load_json=True)
        .first()
    )
    out = {
        "person": {k: _plain(v) for k, v in (person or {}).items()},
        "has_password": bool(
            (await Person.select(Person.password_hash).where(Person.id == pid).first() or {}).get(
                "password_hash"
            )
        ),
        "roles": await RoleGrant.select(
            RoleGrant.role, RoleGrant.community, RoleGrant.sub_district, RoleGrant.title
        ).where(RoleGrant.person == pid),
        "volunteer_profile": {k: _plain(v) for k, v in profile.items()} if profile else None,
        "wishes": [{k: _plain(v) for k, v in w.items()} for w in wishes],
        "claims": [
            {**{k: _plain(v) for k, v in c.items()}, "title": titles.get(c["task"])} for c in claims
        ],
        "points": {
            "balance": sum(p["delta"] for p in points),
            "ledger": [{k: _plain(v) for k, v in p.items()} for p in points],
        },
    }
    return out


async def correct(*, actor: Actor, name: str | None, address: str | None) -> None:
    """Correct one's own name or address."""
    values = {}
    if name is not None:
        if not name.strip():
            raise InvalidInput("name must not be empty.", code="accounts_name_needed", field="name")
        values[Person.name] = name.strip()
    if address is not None:
        values[Person.address] = address.strip()
    if values:
        await Person.update(values).where(Person.id == actor.person_id)


async def withdraw_priority_consent(*, actor: Actor) -> int:
    """Remove the priority-group data recorded on the person's wishes; the audit log keeps who
    had recorded it. Returns how many wishes had some."""
    async with atomic():
        rows = (
            await Wish.select(Wish.id, Wish.priority_groups, Wish.priority_recorded_by)
            .where(Wish.resident == actor.person_id)
            .output(load_json=True)
        )
        touched = [r for r in rows if r["priority_groups"]]
        for r in touched:
            await audit.record(
                actor_id=actor.person_id,
                action="wish.priority_consent_withdrawn",
                object_type="wish",
                object_id=r["id"],
                recorded_by=r["priority_recorded_by"],
            )
        if touched:
            await Wish.update({Wish.priority_groups: [], Wish.priority_consent: False}).where(
                Wish.id.is_in([r["id"] for r in touched])
            )
    return len(touched)


async def close_account(*, actor: Actor, confirm_forfeit: bool) -> None:
    """注销: personal fields erased, roles and profile removed, history kept under an
    anonymous name, points forfeited (only once the person confirmed), every session ended."""
    pid = actor.person_id
    async with atomic():
        open_claims = await Claim.count().where(
            (Claim.volunteer == pid) & (Claim.status == "active")
        )
        if open_claims:
            raise Conflict(
                "You still hold open tasks.", code="accounts_close_open_claims", count=open_claims
            )
        balance = sum(
            p["delta"]
            for p in await PointsEntry.select(PointsEntry.delta).where(PointsEntry.person == pid)
        )
        if balance > 0 and not confirm_forfeit:
            raise Conflict(
                "Closing forfeits points.",
                code="accounts_close_not_confirmed",
                field="confirm_forfeit",
                points=balance,
            )
        now = datetime.now(UTC)
        if balance:
            await PointsEntry(person=pid, delta=-balance, reason="account_closed", at=now).save()
        person = await Person.select(Person.credentials_epoch).where(Person.id == pid).first()
        await Person.update(
            {
                Person.name: CLOSED_NAME,
                Person.phone: None,
                Person.password_hash: None,
                Person.address: "",
                Person.lat: None,
                Person.lng: None,
                Person.grid: None,
                Person.closed_at: now,
                Person.credentials_epoch: person["credentials_epoch"] + 1,
            }
        ).where(Person.id == pid)
        await Wish.update(
            {Wish.address: "", Wish.priority_groups: [], Wish.priority_consent: False}
        ).where(Wish.resident == pid)
        await VolunteerProfile.delete().where(VolunteerProfile.person == pid)
        await RoleGrant.delete().where(RoleGrant.person == pid)
        await audit.record(
            actor_id=pid,
            action="person.closed",
            object_type="person",
            object_id=pid,
            points_forfeited=balance,
        )


# Column names of the download that are not form fields (those are labelled by core/fields).
_COLUMNS: dict[str, tuple[str, str]] = {
    "id": ("编号", "id"),
    "phone": ("手机号", "phone"),
    "community": ("社区", "community"),
    "compound": ("小区", "compound"),
    "grid": ("网格", "grid"),
    "created_at": ("创建时间", "created"),
    "credentials_epoch": ("密码版本", "password version"),
    "closed_at": ("注销时间", "closed"),
    "sub_district": ("街道", "sub-district"),
    "person": ("本人编号", "person"),
    "kind": ("志愿者类型", "kind of volunteer"),
    "home_lat": ("住处纬度", "home latitude"),
    "home_lng": ("住处经度", "home longitude"),
    "weekly_hours": ("每周小时", "hours a week"),
    "weekly_tasks": ("每周次数", "tasks a week"),
    "max_distance_m": ("服务距离（米）", "reach (m)"),
    "active": ("启用", "active"),
    "committed_hours": ("承诺小时", "committed hours"),
    "committed_visits": ("承诺次数", "committed visits"),
    "home_compound": ("住处小区", "home compound"),
    "home_building": ("住处楼栋", "home building"),
    "priority_groups": ("重点人群", "priority groups"),
    "priority_consent": ("同意记录重点人群", "priority consent"),
    "task": ("任务编号", "task"),
    "claimed_at": ("认领时间", "claimed"),
    "ended_at": ("结束时间", "ended"),
    "delta": ("积分变化", "points"),
    "reason": ("原因", "reason"),
    "at": ("时间", "time"),
    "balance": ("积分余额", "balance"),
    "has_password": ("已设密码", "has a password"),
}
_SHEETS: dict[str, tuple[str, str]] = {
    "person": ("个人信息", "Me"),
    "volunteer_profile": ("志愿者资料", "Volunteer profile"),
    "roles": ("岗位", "Roles"),
    "wishes": ("我的心愿", "Wishes"),
    "claims": ("服务记录", "Services"),
    "points": ("积分", "Points"),
}


def _column(key: str, lang: str) -> str:
    from marketplace.core.fields import FIELDS

    texts = _COLUMNS.get(key) or FIELDS.get(key)
    return (texts[1] if lang == "en" else texts[0]) if texts else key


def workbook(data: dict, lang: str) -> bytes:
    """The export as an .xlsx workbook, a sheet per part, headers in the reader's language."""
    from marketplace.rosters.workbook import sheets

    def table(records: list[dict]) -> tuple[list[str], list[list[object]]]:
        keys = list(dict.fromkeys(k for r in records for k in r))
        return [_column(k, lang) for k in keys], [[r.get(k) for k in keys] for r in records]

    def pairs(record: dict) -> tuple[list[str], list[list[object]]]:
        head = ["项目", "内容"] if lang != "en" else ["item", "value"]
        return head, [[_column(k, lang), v] for k, v in record.items()]

    parts = {
        "person": pairs({**data["person"], "has_password": data["has_password"]}),
        "volunteer_profile": pairs(data["volunteer_profile"] or {}),
        "roles": table(data["roles"]),
        "wishes": table(data["wishes"]),
        "claims": table(data["claims"]),
        "points": table([{"balance": data["points"]["balance"]}, *data["points"]["ledger"]]),
    }
    return sheets([(_SHEETS[k][1 if lang == "en" else 0], *parts[k]) for k in parts])
