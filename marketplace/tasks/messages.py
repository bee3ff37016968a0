"""Texts of the tasks domain's codes (zh-CN, en)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "tasks_radius_out_of_range": (
        "搜索半径须在 {low} 到 {high} 米之间。",
        "radius_m must be between {low} and {high} metres.",
    ),
    "tasks_feed_volunteers_only": (
        "只有志愿者可以浏览任务。",
        "Only volunteers browse the task feed.",
    ),
    "tasks_claimed_by_another": (
        "已被他人认领 — 别人刚刚认领了这个任务。",
        "已被他人认领 — someone else has just claimed this task.",
    ),
    "tasks_claim_limit": (
        "您已有 {held} 个进行中的任务（上限 {limit} 个），请先完成或退回一个再认领。",
        "You already hold {held} open tasks (the limit is {limit}); "
        "fulfil or release one before claiming another.",
    ),
    "tasks_no_hours_pending": (
        "这个任务没有待审核的服务时长。",
        "No reported hours of this task wait for a decision.",
    ),
}
