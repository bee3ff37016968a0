"""Pure rules of roster rows: the columns of each roster, how a row is read and checked, and the
key that makes an import idempotent (the normalised phone, or name + address without one)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from marketplace.accounts.rules import normalise_phone
from marketplace.errors import InvalidInput
from marketplace.volunteers.rules import PARTY_KINDS, ApplicationKind


class RosterKind(StrEnum):
    RESIDENTS = "residents"  # 居民
    VOLUNTEERS = "volunteers"  # 志愿者（党员及所在党支部）
    GRID_WORKERS = "grid_workers"  # 网格员


class Mode(StrEnum):
    DRY_RUN = "dry_run"  # report every bad row, import nothing
    ALL = "all"  # import every row, or nothing when any row is bad
    VALID_ONLY = "valid_only"  # import the good rows, report the bad ones


PLACE = ("姓名", "手机号", "小区", "楼栋", "单元", "房号")
COLUMNS = {
    RosterKind.RESIDENTS: (*PLACE, "重点群体", "本人同意登记重点群体"),
    RosterKind.VOLUNTEERS: (*PLACE, "类别", "所在党支部", "技能", "每周可服务小时"),
    RosterKind.GRID_WORKERS: (*PLACE, "网格", "职务"),
}
PLACE_EXAMPLE = ("林秀兰", "13812345678", "八大湖小区", "3号楼", "2", "301")
EXAMPLES = {
    RosterKind.RESIDENTS: (*PLACE_EXAMPLE, "60岁以上老人、空巢老人", "是"),
    RosterKind.VOLUNTEERS: (*PLACE_EXAMPLE, "在职党员", "市教育局第一党支部", "学业辅导、维修", 4),
    RosterKind.GRID_WORKERS: (*PLACE_EXAMPLE, "网格1", "网格长"),
}
SHEET_TITLES = {
    RosterKind.RESIDENTS: "居民名册",
    RosterKind.VOLUNTEERS: "志愿者名册",
    RosterKind.GRID_WORKERS: "网格员名册",
}

PRIORITY_LABELS = {
    "60岁以上老人": "aged_60_plus",
    "老人": "aged_60_plus",
    "儿童": "child",
    "低保户": "low_income",
    "残疾人": "disabled",
    "空巢老人": "empty_nest",
}
KIND_LABELS = {
    "在职党员": ApplicationKind.PARTY_IN_SERVICE,
    "报到党员": ApplicationKind.PARTY_RESIDENT,
    "居住地报到党员": ApplicationKind.PARTY_RESIDENT,
    "治理能人": ApplicationKind.SKILLED_RESIDENT,
    "志愿者": ApplicationKind.ORDINARY,
    "普通志愿者": ApplicationKind.ORDINARY,
}
SKILL_LABELS = {
    "学业辅导": "tutoring",
    "辅导": "tutoring",
    "维修": "repairs",
    "陪伴": "companionship",
    "跑腿代办": "errands",
    "跑腿": "errands",
    "陪同就医": "medical_escort",
    "物资": "goods",
    "电工": "electrician",
    "其他": "other",
}
YES = {"是", "同意", "已同意", "y", "yes", "true", "1"}
_SPLIT = re.compile(r"[、,，;；/\s]+")


@dataclass(frozen=True)
class BuildingRef:
    id: int
    lat: float
    lng: float


@dataclass
class CompoundRef:
    id: int
    lat: float
    lng: float
    buildings: dict[str, BuildingRef] = field(default_factory=dict)
    grids: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    code: str
    value: str = ""


@dataclass
class Row:
    """A good row, ready to import."""

    number: int
    name: str
    phone: str | None
    compound: CompoundRef
    building: BuildingRef | None
    unit: str
    room: str
    address: str
    priority_groups: list[str] = field(default_factory=list)
    kind: str = ""
    party_branch: str = ""
    skills: list[str] = field(default_factory=list)
    weekly_hours: float = 4.0
    grid_id: int | None = None
    title: str = ""

    @property
    def key(self) -> tuple:
        return person_key(self.phone, self.name, self.compound.id, self.address)

    @property
    def point(self) -> tuple[float, float]:
        place = self.building or self.compound
        return place.lat, place.lng


def person_key(phone: str | None, name: str, compound_id: int | None, address: str) -> tuple:
    """Who a row is: the phone when there is one, else name + compound + address."""
    return ("phone", phone) if phone else ("place", name, compound_id, address)


def compose_address(building: str, unit: str, room: str) -> str:
    """3号楼 + 2 + 301 -> 3号楼2单元301 (the 单元 suffix is added when missing)."""
    if unit and not unit.endswith("单元"):
        unit += "单元"
    return f"{building}{unit}{room}"


def split_list(text: str) -> list[str]:
    return [p for p in _SPLIT.split(text) if p]


def _labels(text: str, labels: dict[str, str], values: set[str]) -> list[str] | None:
    out = []
    for part in split_list(text):
        code = labels.get(part) or (part if part in values else None)
        if code is None:
            return None
        out.append(code)
    return sorted(set(out))


def _place(number: int, rec: dict[str, str], compounds: dict[str, CompoundRef], errors: list):
    compound = compounds.get(rec["小区"])
    if compound is None:
        errors.append(RowError(number, "小区", "roster_unknown_compound", rec["小区"]))
        return None, None
    building = None
    if rec["楼栋"]:
        building = compound.buildings.get(rec["楼栋"])
        if building is None:
            errors.append(RowError(number, "楼栋", "roster_unknown_building", rec["楼栋"]))
    return compound, building


def _phone(number: int, rec: dict[str, str], errors: list) -> str | None:
    if not rec["手机号"]:
        if not (rec["楼栋"] and rec["房号"]):
            errors.append(RowError(number, "房号", "roster_phoneless_needs_address"))
        return None
    try:
        return normalise_phone(rec["手机号"])
    except InvalidInput:
        errors.append(RowError(number, "手机号", "roster_bad_phone", rec["手机号"]))
        return None


def _extra(kind: RosterKind, number: int, rec: dict[str, str], row: Row, errors: list) -> None:
    if kind == RosterKind.RESIDENTS:
        groups = _labels(rec["重点群体"], PRIORITY_LABELS, set(PRIORITY_LABELS.values()))
        if groups is None:
            errors.append(RowError(number, "重点群体", "roster_bad_priority", rec["重点群体"]))
        elif groups and rec["本人同意登记重点群体"].lower() not in YES:
            errors.append(RowError(number, "本人同意登记重点群体", "roster_missing_consent"))
        row.priority_groups = groups or []
    elif kind == RosterKind.VOLUNTEERS:
        vkind = KIND_LABELS.get(rec["类别"])
        if vkind is None:
            errors.append(RowError(number, "类别", "roster_bad_kind", rec["类别"]))
        elif vkind in PARTY_KINDS and not rec["所在党支部"]:
            errors.append(RowError(number, "所在党支部", "roster_branch_needed"))
        skills = _labels(rec["技能"], SKILL_LABELS, set(SKILL_LABELS.values()))
        if skills is None:
            errors.append(RowError(number, "技能", "roster_bad_skill", rec["技能"]))
        try:
            hours = float(rec["每周可服务小时"] or 4)
            if not 0.5 <= hours <= 80:
                raise ValueError
        except ValueError:
            errors.append(
                RowError(number, "每周可服务小时", "roster_bad_hours", rec["每周可服务小时"])
            )
            hours = 4.0
        row.kind, row.party_branch = (vkind.value if vkind else ""), rec["所在党支部"]
        row.skills, row.weekly_hours = skills or [], hours
    else:
        if rec["网格"]:
            row.grid_id = row.compound.grids.get(rec["网格"])
            if row.grid_id is None:
                errors.append(RowError(number, "网格", "roster_unknown_grid", rec["网格"]))
        row.title = rec["职务"] or "网格员"


def check_row(
    kind: RosterKind, number: int, rec: dict[str, str], compounds: dict[str, CompoundRef]
) -> Row | list[RowError]:
    """A good Row, or every error the row has (each naming its column)."""
    errors: list[RowError] = []
    name = rec["姓名"]
    if not name or len(name) > 50:
        errors.append(RowError(number, "姓名", "roster_bad_name", name))
    phone = _phone(number, rec, errors)
    compound, building = _place(number, rec, compounds, errors)
    if compound is None:
        return errors
    unit, room = rec["单元"][:20], rec["房号"][:20]
    row = Row(
        number=number,
        name=name,
        phone=phone,
        compound=compound,
        building=building,
        unit=unit,
        room=room,
        address=compose_address(rec["楼栋"], unit, room)[:200],
    )
    _extra(kind, number, rec, row, errors)
    return errors or row


def check_rows(
    kind: RosterKind, records: list[tuple[int, dict[str, str]]], compounds: dict[str, CompoundRef]
) -> tuple[list[Row], list[RowError]]:
    """Every good row and every error; a person twice in one file is a duplicate (the later row)."""
    good: list[Row] = []
    errors: list[RowError] = []
    seen: dict[tuple, int] = {}
    for number, rec in records:
        result = check_row(kind, number, rec, compounds)
        if isinstance(result, list):
            errors.extend(result)
            continue
        first = seen.setdefault(result.key, number)
        if first != number:
            errors.append(
                RowError(
                    number, "手机号" if result.phone else "姓名", "roster_duplicate", str(first)
                )
            )
            continue
        good.append(result)
    return good, errors
