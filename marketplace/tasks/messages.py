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
}
