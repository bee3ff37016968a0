"""The texts of the dispatch (派单, matching runs) domain's codes (zh-CN, en)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "run_not_proposed": (
        "这次匹配{state}，只有已出方案的匹配可以{action}。",
        "This run is {state}: only a proposed run can {action}.",
    ),
    "run_too_many_skills": (
        "范围内的任务需要 {count} 种技能，最多支持 64 种。",
        "The tasks in scope need {count} different skills; at most 64 are supported.",
    ),
    "run_not_found": ("没有找到这次匹配。", "No such matching run."),
    "run_scope_not_found": (
        "没有找到这个社区或街道，或您不负责这里。",
        "No such community or sub-district, or you do not coordinate it.",
    ),
    "run_busy": (
        "这个范围的第 {run_id} 次匹配仍在{state}，请等它结束。",
        "Matching run {run_id} for this area is still {state}; wait for it.",
    ),
    "run_changed": (
        "这次匹配刚刚有了变化，请刷新。",
        "The run changed while you were acting on it; reload it.",
    ),
    "run_unknown_assignments": (
        "这次匹配中没有这些分配：{ids}。",
        "No such assignments in this run: {ids}.",
    ),
    "dispatch_not_waiting": (
        "这个任务不是等待您答复的派单。",
        "This task is not a dispatch waiting for your answer.",
    ),
    "dispatch_expired": (
        "答复时间已过，任务已回到任务池。",
        "The time to answer has passed; the task has gone back to the pool.",
    ),
    "dispatch_stale_coordinators_only": (
        "只有社区党委可以查看超期未完成的认领。",
        "Only coordinators see stale claims.",
    ),
    "dispatch_release_coordinators_only": (
        "只有本社区党委可以收回志愿者的任务。",
        "Only the community's coordinators can take a volunteer's task back.",
    ),
    "dispatch_nobody_holds": ("目前没有人持有这个任务。", "Nobody holds this task."),
}
