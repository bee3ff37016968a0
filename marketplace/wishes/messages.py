"""Texts of the wishes domain's codes, zh-CN first."""

MESSAGES: dict[str, tuple[str, str]] = {
    "wish_duplicate": (
        "一天内已经提交过相同的心愿（第 {wish_id} 号），不用重复提交。",
        "The same wish was already made within a day (wish {wish_id}); no need to send it again.",
    ),
    "wish_duplicate_link": ("查看已提交的心愿", "See the wish already made"),
    "wish_submitted_self": (
        "您的心愿已提交，社区审核后会通知您。",
        "Your wish was sent. The community will review it and let you know.",
    ),
    "wish_submitted_for": (
        "已为{name}提交心愿，社区审核后会通知您和{name}。",
        "Wish submitted for {name}. The community will review it and tell you both.",
    ),
    "wish_is_submitted": (
        "这个心愿还在等待审核，尚未发布，不能{action}。",
        "This wish is still waiting for review and is not published: you cannot {action} it.",
    ),
    "wish_is_published": (
        "这个心愿已发布，还没有志愿者认领，不能{action}。",
        "This wish is published and nobody has claimed it yet: you cannot {action} it.",
    ),
    "wish_is_rejected": (
        "这个心愿已被驳回，不能{action}。",
        "This wish was rejected: you cannot {action} it.",
    ),
    "wish_is_cancelled": (
        "这个心愿已取消，不能{action}。",
        "This wish was cancelled: you cannot {action} it.",
    ),
    "wish_is_claimed": (
        "这个心愿已有志愿者认领，不能{action}。",
        "A volunteer has already claimed this wish: you cannot {action} it.",
    ),
    "wish_is_fulfilled": (
        "这个心愿已圆梦，正在等待确认，不能{action}。",
        "This wish is fulfilled and waiting for confirmation: you cannot {action} it.",
    ),
    "wish_is_confirmed": (
        "这个心愿已确认完成，不能{action}。",
        "This wish is confirmed as done: you cannot {action} it.",
    ),
    "wish_is_announced": (
        "这个心愿已公示，不能{action}。",
        "This wish is already announced: you cannot {action} it.",
    ),
    "wish_unknown_priority_group": (
        "没有“{group}”这个优先群体，请从列出的群体中选择。",
        "There is no priority group “{group}”; choose from the groups listed.",
    ),
    "wish_priority_consent_needed": (
        "要记录这些情况，请勾选下面的“我同意”；不想记录就都不勾。",
        "Recording a priority group needs the resident's consent: tick “I agree”, or leave the groups unticked.",
    ),
    "wish_rating_range": ("请选择 1 到 5 颗星。", "Choose from 1 to 5 stars."),
    "wish_coordinators_only": (
        "只有本社区党委可以这样做。",
        "Only the community's coordinators can do this.",
    ),
    "wish_negative_list": (
        "这个心愿涉及负面清单（{items}）：请驳回；如果这些字眼在这里无害，勾选后再发布。",
        "This wish touches the negative list ({items}): reject it, or tick that the words are harmless here and publish.",
    ),
    "wish_unknown_negative_list_item": (
        "请从负面清单中选择驳回的理由。",
        "Choose the reason from the negative list.",
    ),
    "wish_cancel_not_yours": (
        "只有居民本人或代为提交的人可以取消这个心愿。",
        "Only the resident, or the person who posted the wish, can cancel it.",
    ),
    "wish_resident_or_grid_worker_only": (
        "只有居民本人或代其操作的网格员可以这样做。",
        "Only the resident, or a grid worker on their behalf, can do this.",
    ),
    "wish_not_found": ("没有找到这个心愿，或您无权查看。", "No such wish, or you may not see it."),
    "wish_residents_only": (
        "只有居民可以为自己许愿；代居民提交请先选择居民。",
        "Only residents wish for themselves; choose a resident to post for one.",
    ),
    "wish_unknown_category": ("请选择需要哪种帮助。", "Choose a kind of help."),
    "wish_wanted_by_past": ("日期不能早于今天。", "The date cannot be in the past."),
    "wish_compound_needed": ("请选择居民所在的小区。", "Choose the resident's compound."),
    "wish_compound_elsewhere": (
        "这个小区不在居民所在的社区。",
        "The compound is not in the resident's community.",
    ),
    "wish_changed": (
        "这个心愿刚刚有了变化，请刷新后重试。",
        "The wish changed while you were acting on it; reload it and try again.",
    ),
    "wish_unknown_status": ("请选择一个心愿状态。", "Choose one of the wish states."),
}
