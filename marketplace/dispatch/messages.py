"""Texts of the dispatch domain's codes and of the coordinator's matching page (zh-CN first, en)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "dispatch_no_worker": (
        "没有正在运行的派单任务进程：排队中的匹配要等它启动后才会执行。请联系管理员启动派单任务进程。",
        "No worker is running: queued runs wait until one starts. Ask the administrator to run make worker.",
    ),
    "dispatch_objective": (
        "优化的目标，按先后：先满足重点群体的心愿，再尽量多满足心愿，然后让总路程最短；居民熟悉的志愿者（老熟人）优先，每人负担不超过其每周能力。",
        "What the matching aims for, in order: priority-group wishes first, then as many wishes as possible, then the shortest total travel; residents keep a volunteer they know, and nobody takes more than their weekly capacity.",
    ),
    "dispatch_total_distance": ("总路程（米）", "Total travel (m)"),
    "dispatch_continuity_kept": ("保留老熟人的居民", "Residents keeping their familiar volunteer"),
    "dispatch_why_longer": (
        "为什么平均路程比简单派单长：优化方案{reasons}。多走的路换来了这些，这是目标本身的取舍。",
        "Why the mean travel is longer than greedy's: the optimal plan {reasons}. The extra travel buys these; it is the objective's own trade-off.",
    ),
    "dispatch_reason_priority": (
        "多满足了 {n} 个重点群体心愿",
        "serves {n} more priority-group wishes",
    ),
    "dispatch_reason_value": (
        "满足的心愿更重要（总价值多 {m} 米路程当量）",
        "serves more important wishes (worth {m} m of travel more)",
    ),
    "dispatch_reason_continuity": (
        "让 {n} 位居民保留了老熟人",
        "keeps {n} more residents with the volunteer they know",
    ),
    "dispatch_reason_more": ("多满足了 {n} 个心愿", "serves {n} more wishes"),
    "dispatch_next_best_more": ("次优 {name}：多 {m} 米", "next best {name}: {m} m farther"),
    "dispatch_next_best_familiar": (
        "次优 {name}，但不是老熟人",
        "next best {name}, but not a familiar face",
    ),
    "dispatch_familiar": ("老熟人", "a familiar face"),
    "dispatch_next_best_same": (
        "次优 {name}：距离一样",
        "next best {name}: just as far",
    ),
    "dispatch_next_best_needed": (
        "次优 {name}，但需要留给别的任务",
        "next best {name}, but needed for another task",
    ),
    "dispatch_unticked_later": (
        "没有勾选的安排会保留，之后可以在这里再派出，不必重新匹配。",
        "Unticked assignments are kept: dispatch them here later without a new run.",
    ),
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
    # the proposal's map
    "map_title": ("第 {run} 次匹配方案地图", "Map of matching run {run}"),
    "map_priority_task": ("重点群体任务", "Priority-group task"),
    "map_task": ("任务", "Task"),
    "map_volunteer": ("志愿者住处", "Volunteer's home"),
    "map_unserved": ("虚线圈：有未匹配的任务", "Dashed ring: a task left unserved"),
    "map_assignment": ("派单连线（志愿者 → 任务）", "Dispatch line (volunteer → task)"),
    "map_places": ("图上各点", "What stands at each number"),
    "map_place_task": ("{title} → 派给 {name}", "{title} → {name}"),
    "map_place_unserved": ("{title}（未匹配）", "{title} (unserved)"),
    "map_place_home": ("{name} 的住处", "{name}'s home"),
    "map_tap_to_zoom": ("点数字后带 + 的点可放大查看", "Tap a number with + to zoom in"),
}
