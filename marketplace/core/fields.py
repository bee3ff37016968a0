"""A label per input field (zh-CN, en): validation messages name the field as a reader knows it."""

from __future__ import annotations

FIELDS: dict[str, tuple[str, str]] = {
    "add": ("补货数量", "quantity to add"),
    "address": ("地址", "address"),
    "assignment_ids": ("分配", "assignments"),
    "category": ("帮助类别", "kind of help"),
    "claim_ids": ("服务记录", "services"),
    "comment": ("评价", "comment"),
    "communities": ("服务社区", "service communities"),
    "community_id": ("社区", "community"),
    "compound_id": ("小区", "compound"),
    "contact_name": ("联系人", "contact name"),
    "contact_phone": ("联系电话", "contact phone"),
    "continuity": ("老熟人优先", "continuity"),
    "description": ("说明", "description"),
    "duty_type": ("职责类型", "duty type"),
    "ends_on": ("结束日期", "end date"),
    "evaluation": ("评价", "evaluation"),
    "fairness": ("均衡分配", "fairness"),
    "grid_id": ("网格", "grid"),
    "home_lat": ("住处纬度", "home latitude"),
    "home_lng": ("住处经度", "home longitude"),
    "hours": ("时长（小时）", "hours"),
    "kind": ("类型", "kind"),
    "lat": ("纬度", "latitude"),
    "limit": ("条数", "limit"),
    "lng": ("经度", "longitude"),
    "max_distance_m": ("最远距离（米）", "farthest distance (m)"),
    "name": ("名称", "name"),
    "need": ("需求", "need"),
    "negative_list_code": ("负面清单项", "negative-list item"),
    "note": ("备注", "note"),
    "offset": ("起始位置", "offset"),
    "override_negative_list": ("确认无害", "harmless here"),
    "partner_unit_id": ("合作单位", "partner unit"),
    "password": ("密码", "password"),
    "people": ("人数", "people"),
    "phone": ("手机号", "phone number"),
    "price": ("积分价格", "price in points"),
    "priority_consent": ("居民同意", "resident's consent"),
    "priority_groups": ("优先群体", "priority groups"),
    "q": ("搜索词", "search"),
    "radius_m": ("范围（米）", "radius (m)"),
    "rating": ("评分", "rating"),
    "reason": ("理由", "reason"),
    "resident_id": ("居民", "resident"),
    "responsible_level": ("责任层级", "responsible level"),
    "role": ("岗位", "role"),
    "scope_id": ("范围", "area"),
    "scope_kind": ("范围类型", "kind of area"),
    "services": ("服务", "services"),
    "skill": ("技能", "skill"),
    "skills": ("技能", "skills"),
    "slots": ("岗位", "slots"),
    "starts_on": ("开始日期", "start date"),
    "status": ("状态", "status"),
    "stock": ("库存", "stock"),
    "sub_district_id": ("街道", "sub-district"),
    "time_limit_s": ("计算时限（秒）", "time limit (s)"),
    "title": ("标题", "title"),
    "visits": ("每周走访次数", "visits a week"),
    "volunteer_id": ("志愿者", "volunteer"),
    "wanted_by": ("希望完成日期", "wanted by"),
    "weekly_hours": ("每周时长", "hours a week"),
    "weekly_tasks": ("每周任务数", "tasks a week"),
    "weeks": ("周数", "weeks"),
    "wish_ids": ("心愿", "wishes"),
}


# fields a person picks rather than types: a missing one is "请选择", not "请填写"
CHOSEN = {
    "category",
    "compound_id",
    "community_id",
    "duty_type",
    "grid_id",
    "kind",
    "negative_list_code",
    "rating",
    "resident_id",
    "responsible_level",
    "scope_id",
    "scope_kind",
    "sub_district_id",
    "volunteer_id",
}


def field_label(name: str | None, lang: str) -> str:
    """The field's label in a language; an unlisted field keeps its name."""
    pair = FIELDS.get(name or "") or FIELDS.get((name or "").rstrip("0123456789"))
    if pair is None:  # a form's repeated field (role0, hours1) reads as its kind
        return name or ""
    return pair[1] if lang == "en" else pair[0]
