"""The texts of the service record domain's codes (zh-CN, en)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "record_commitment_saved": ("服务承诺已保存。", "Commitment saved."),
    "record_not_confirmable": (
        "这项服务尚未完成，或已经确认过了。",
        "This service is not fulfilled, or was already confirmed.",
    ),
    "volunteer_not_found": ("没有找到这位志愿者。", "No such volunteer."),
    "record_no_profile": (
        "此人还没有志愿者档案，无法登记承诺时长。",
        "This person has no volunteer profile to carry a commitment.",
    ),
    "record_coordinators_only": (
        "只有社区党委可以查看这些数据。",
        "Only coordinators see these figures.",
    ),
}
