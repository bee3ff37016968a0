"""Texts of the partners domain's refusals (zh-CN first, en)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "partner_certify_scope": (
        "认证需要由覆盖该合伙人全部服务社区的社区党委（或街道）进行。",
        "Certifying needs a coordinator of every community in the partner's service area "
        "(or of the sub-district).",
    ),
    "partner_invitation_not_found": (
        "没有找到这份邀请，或它已被处理。",
        "No such invitation, or it has already been answered.",
    ),
    "partner_invited": (
        "邀请您加入「{unit}」，请在合作伙伴页面接受或拒绝。",
        "You are invited to join {unit}; accept or decline on the partners page.",
    ),
}
