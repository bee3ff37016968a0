"""The texts of visit-code refusals."""

MESSAGES: dict[str, tuple[str, str]] = {
    "visit_code_wrong": (
        "访问码不对，请向居民核对后再填写（不确定可以留空，由网格员确认）。",
        "The visit code is wrong: check it with the resident (or leave it empty for the grid "
        "worker to confirm).",
    ),
    "visit_who_title": ("谁会上门", "Who is coming"),
    "visit_who": ("{name}（{unit}）上门", "{name} ({unit}) is coming"),
    "visit_dispatched": ("社区派单", "dispatched by the community"),
    "visit_claimed": ("志愿者主动认领", "claimed by the volunteer"),
    "visit_when_by": ("将在 {date} 前上门，会先电话联系。", "Will come by {date}, calling first."),
    "visit_when_soon": (
        "近日上门，会先电话联系约时间。",
        "Will come soon, calling first to agree a time.",
    ),
    "visit_code_label": ("访问码", "Visit code"),
    "visit_code_hint": (
        "开门前请对方说出这 4 位数字；对得上再开门。",
        "Before opening the door, ask the visitor for these 4 digits; open only if they match.",
    ),
    "visit_checked_code": (
        "已核对访问码，上门已确认。",
        "The visit code was checked: the visit is confirmed.",
    ),
    "visit_checked_grid": ("网格员已确认上门。", "A grid worker confirmed the visit."),
    "visit_code_field": (
        "居民告诉您的访问码（4 位数字，可留空）",
        "The resident's visit code (4 digits, may be left empty)",
    ),
}
