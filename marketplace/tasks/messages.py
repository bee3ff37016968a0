"""Texts of the tasks domain's codes (zh-CN, en)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "tasks_radius_out_of_range": (
        "搜索半径须在 {low} 到 {high} 米之间。",
        "The search radius must be between {low} and {high} metres.",
    ),
    "tasks_feed_volunteers_only": (
        "只有志愿者可以浏览任务。",
        "Only volunteers browse the task feed.",
    ),
    "tasks_claimed_by_another": (
        "已被他人认领 — 别人刚刚认领了这个任务。",
        "Someone else has just claimed this task.",
    ),
    "tasks_claim_limit": (
        "您已有 {held} 个进行中的任务（上限 {limit} 个），请先完成或退回一个再认领。",
        "You already hold {held} open tasks (the limit is {limit}); fulfil or release one before claiming another.",
    ),
    "tasks_no_hours_pending": (
        "这个任务没有待审核的服务时长。",
        "No reported hours of this task wait for a decision.",
    ),
    "task_taken": ("已被他人认领。", "Someone else has just claimed this task."),
    "task_closed": ("这个任务已关闭。", "This task is closed."),
    "task_claim_quota": (
        "您已有 {held} 个进行中的任务（上限 {limit} 个）：请先完成或退回一个。",
        "You already hold {held} open tasks (the limit is {limit}): fulfil or give one back first.",
    ),
    "task_unknown_responsible_level": (
        "请从四级责任中选择责任层级。",
        "Choose one of the four responsible levels.",
    ),
    "task_unknown_skill": (
        "没有“{skill}”这项技能，请从列出的技能中选择。",
        "There is no skill “{skill}”; choose from the skills listed.",
    ),
    "task_unknown_duty_type": (
        "请从列出的职责类型中选择。",
        "Choose one of the duty types listed.",
    ),
    "task_feed_volunteers_only": ("只有志愿者可以浏览任务。", "Only volunteers browse the tasks."),
    "task_not_found": ("没有找到这个任务，或您无权查看。", "No such task, or you may not see it."),
    "task_claim_volunteers_only": ("只有志愿者可以认领任务。", "Only volunteers can claim tasks."),
    "task_not_yours": (
        "您已不再持有这个任务。",
        "You do not hold this task: only its assignee can do this.",
    ),
    "task_claim_ended": (
        "这个任务刚刚换了人，请刷新。",
        "This task has just changed hands; reload it.",
    ),
    "task_radius_range": (
        "搜索范围应在 100 到 {max} 米之间。",
        "The distance must be between 100 and {max} metres.",
    ),
}
