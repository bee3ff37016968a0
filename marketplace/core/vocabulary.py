"""The one vocabulary of words that travel as codes: categories, skills, duty types (3 x 12),
responsibility levels (4), priority groups, statuses and the like, each with its zh-CN and en
label. The API serves it on /org/config; the pages and the error messages take labels from it.
"""

from __future__ import annotations

Label = tuple[str, str]  # (zh-CN, en)

CATEGORIES: dict[str, Label] = {
    "tutoring": ("学业辅导", "tutoring"),
    "repairs": ("维修", "repairs"),
    "companionship": ("陪伴", "companionship"),
    "errands": ("跑腿代办", "errands"),
    "medical_escort": ("陪同就医", "medical escort"),
    "goods": ("物资", "goods"),
    "other": ("其他", "other"),
}

# the skills a volunteer declares and a task or project slot asks for: every category is a
# skill too (a tutor tutors), plus trades that cut across categories
SKILLS: dict[str, Label] = {
    **CATEGORIES,
    "electrician": ("电工", "electrician"),
    "plumbing": ("水管维修", "plumbing"),
    "computer": ("电脑", "computer"),
    "haircut": ("理发", "haircut"),
    "first_aid": ("急救", "first aid"),
    "legal_advice": ("法律咨询", "legal advice"),
}

DUTY_CATEGORIES: dict[str, Label] = {
    "serve_residents": ("服务群众", "serving residents"),
    "grassroots_governance": ("基层治理", "grassroots governance"),
    "civic_culture": ("文明实践", "civic culture"),
}

DUTY_TYPES: dict[str, Label] = {
    "elderly_care": ("助老服务", "elderly care"),
    "child_care": ("关爱儿童", "child care"),
    "hardship_relief": ("困难帮扶", "hardship relief"),
    "medical_help": ("医疗帮助", "medical help"),
    "environment": ("环境整治", "environment"),
    "safety": ("平安建设", "safety"),
    "mediation": ("矛盾调解", "mediation"),
    "facilities": ("设施维护", "facilities"),
    "volunteering": ("志愿服务", "volunteering"),
    "culture_sports": ("文体活动", "culture and sports"),
    "policy_outreach": ("政策宣讲", "policy outreach"),
    "civility": ("文明创建", "civility"),
}

RESPONSIBLE_LEVELS: dict[str, Label] = {
    "agency_party_org": ("机关党组织", "agency Party organisation"),
    "in_service_member": ("在职党员", "in-service Party member"),
    "sub_district": ("街道", "sub-district"),
    "community": ("社区", "community"),
}

PRIORITY_GROUPS: dict[str, Label] = {
    "aged_60_plus": ("60岁以上老人", "aged 60 and over"),
    "child": ("儿童", "child"),
    "low_income": ("低保户", "low income"),
    "disabled": ("残疾人", "disabled"),
    "empty_nest": ("空巢老人", "empty-nest elder"),
}

WISH_STATUSES: dict[str, Label] = {
    "submitted": ("已提交", "submitted"),
    "published": ("已发布", "published"),
    "rejected": ("已驳回", "rejected"),
    "cancelled": ("已取消", "cancelled"),
    "claimed": ("已认领", "claimed"),
    "fulfilled": ("已圆梦", "fulfilled"),
    "confirmed": ("已确认", "confirmed"),
    "announced": ("已公示", "announced"),
}

TASK_STATUSES: dict[str, Label] = {
    "open": ("待认领", "open"),
    "claimed": ("已认领", "claimed"),
    "fulfilled": ("已圆梦", "fulfilled"),
    "closed": ("已关闭", "closed"),
}

CLAIM_STATUSES: dict[str, Label] = {
    "active": ("进行中", "active"),
    "released": ("已退回", "released"),
    "declined": ("已拒绝", "declined"),
    "lapsed": ("超时未响应", "lapsed"),
    "recalled": ("已收回", "recalled"),
}

PARTNER_KINDS: dict[str, Label] = {
    "property_service": ("物业服务企业", "property service company"),
    "resident_enterprise": ("驻区企业", "resident enterprise"),
    "caring_merchant": ("爱心商家", "caring merchant"),
    "university_or_school": ("高校、学校", "university or school"),
    "agency_party_org": ("机关党组织", "agency Party organisation"),
    "social_organisation": ("社会组织", "social organisation"),
    "skilled_resident": ("治理能人", "skilled resident"),
}

PARTNER_STATUSES: dict[str, Label] = {
    "pending": ("待认证", "pending"),
    "certified": ("已认证", "certified"),
    "suspended": ("已暂停", "suspended"),
}

PROJECT_STATUSES: dict[str, Label] = {
    "draft": ("草稿", "draft"),
    "recruiting": ("招募中", "recruiting"),
    "in_progress": ("实施中", "in progress"),
    "completed": ("已完成", "completed"),
    "evaluated": ("已评价", "evaluated"),
}

RUN_STATES: dict[str, Label] = {
    "queued": ("排队中", "queued"),
    "running": ("运行中", "running"),
    "proposed": ("已出方案", "proposed"),
    "committed": ("已派单", "dispatched"),
    "discarded": ("已放弃", "discarded"),
    "failed": ("失败", "failed"),
}

NEGATIVE_LIST: dict[str, Label] = {
    "cash": ("现金请求", "cash request"),
    "commercial": ("商业服务", "commercial service"),
    "unlawful": ("违法事项", "unlawful matter"),
}

# what a person does to a wish, a partner, a project or a run (for refusals: "不能发布")
ACTIONS: dict[str, Label] = {
    "publish": ("发布", "publish"),
    "reject": ("驳回", "reject"),
    "cancel": ("取消", "cancel"),
    "claim": ("认领", "claim"),
    "release": ("退回", "give back"),
    "fulfil": ("标记圆梦", "mark fulfilled"),
    "confirm": ("确认", "confirm"),
    "reopen": ("重新开放", "reopen"),
    "announce": ("公示", "announce"),
    "certify": ("认证", "certify"),
    "suspend": ("暂停", "suspend"),
    "reinstate": ("恢复", "reinstate"),
    "start": ("开始实施", "start"),
    "complete": ("完成", "complete"),
    "evaluate": ("评价", "evaluate"),
    "commit": ("派单", "dispatch"),
    "discard": ("放弃", "discard"),
}

REDEMPTION_STATUSES: dict[str, Label] = {
    "pending": ("待领取", "waiting to be handed over"),
    "handed_over": ("已领取", "handed over"),
}

# kind -> its words, in the order /org/config serves them
KINDS: dict[str, dict[str, Label]] = {
    "categories": CATEGORIES,
    "skills": SKILLS,
    "duty_categories": DUTY_CATEGORIES,
    "duty_types": DUTY_TYPES,
    "responsible_levels": RESPONSIBLE_LEVELS,
    "priority_groups": PRIORITY_GROUPS,
    "wish_statuses": WISH_STATUSES,
    "task_statuses": TASK_STATUSES,
    "claim_statuses": CLAIM_STATUSES,
    "partner_kinds": PARTNER_KINDS,
    "partner_statuses": PARTNER_STATUSES,
    "project_statuses": PROJECT_STATUSES,
    "run_states": RUN_STATES,
    "negative_list": NEGATIVE_LIST,
    "actions": ACTIONS,
}

# a code's label wherever it appears (the first kind listed wins, all agree where codes repeat)
_ALL: dict[str, Label] = {}
for _words in KINDS.values():
    for _code, _label in _words.items():
        _ALL.setdefault(_code, _label)


def label(code: str, lang: str = "zh-CN", kind: str | None = None) -> str:
    """The word for a code in a language ("zh-CN" or "en"); an unknown code is returned as is."""
    words = KINDS.get(kind, _ALL) if kind else _ALL
    pair = words.get(code)
    if pair is None:
        return code
    return pair[1] if lang.lower().startswith("en") else pair[0]


def known(code: str) -> bool:
    return code in _ALL


def entries(kind: str, codes: list[str] | tuple[str, ...] | None = None) -> list[dict]:
    """[{code, zh, en}] of a kind, or of the given codes (configured lists keep their order)."""
    words = KINDS[kind]
    return [
        {"code": c, "zh": words.get(c, (c, c))[0], "en": words.get(c, (c, c))[1]}
        for c in (codes if codes is not None else words)
    ]


def served(
    categories: tuple[str, ...], duty_types: dict[str, tuple[str, ...]]
) -> dict[str, list[dict]]:
    """The vocabulary as /org/config serves it: each kind's [{code, zh, en}], the configured
    categories and duty types in their configured order (each duty type names its category)."""
    out = {kind: entries(kind) for kind in KINDS}
    out["categories"] = entries("categories", list(categories))
    out["skills"] = entries("skills", list(dict.fromkeys([*categories, *SKILLS])))
    out["duty_categories"] = entries("duty_categories", list(duty_types))
    out["duty_types"] = [
        {**entry, "category": category}
        for category, types in duty_types.items()
        for entry in entries("duty_types", list(types))
    ]
    return out
