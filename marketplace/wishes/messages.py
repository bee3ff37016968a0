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
}
