"""Texts of the partners domain's refusals (zh-CN first, en)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "partner_member_invited": (
        "如果这个号码属于已注册的居民，对方已收到邀请，接受后即加入本单位。",
        "If this number belongs to a registered person, they have been invited; they join the "
        "unit when they accept.",
    ),
    "partner_invitation_declined": ("已谢绝邀请。", "Declined."),
    "partner_certify_scope": (
        "认证需要由覆盖该合伙人全部服务社区的社区党委（或街道）进行。",
        "Certifying needs a coordinator of every community in the partner's service area (or of the sub-district).",
    ),
    "partner_invitation_not_found": (
        "没有找到这份邀请，或它已被处理。",
        "No such invitation, or it has already been answered.",
    ),
    "partner_invited": (
        "邀请您加入「{unit}」，请在合作伙伴页面接受或拒绝。",
        "You are invited to join {unit}; accept or decline on the partners page.",
    ),
    "partner_transition_refused": (
        "这个合作单位{status}，不能{action}。",
        "This partner is {status}: you cannot {action} it.",
    ),
    "partner_not_certified": (
        "这个合作单位{status}：只有已认证的单位可以承接任务。",
        "This partner is {status}: only certified partners can take tasks.",
    ),
    "partner_capacity_full": (
        "本单位已承接 {held} 个任务，等于登记的 {people} 人：请先完成或退回一个。",
        "This unit already holds {held} open tasks, as many as the {people} people it registered; fulfil or give one back first.",
    ),
    "partner_individual_one_person": (
        "治理能人以个人身份登记，人数应为 1。",
        "A skilled resident registers as one person.",
    ),
    "partner_individual_no_members": (
        "治理能人是个人合伙人，不能添加其他成员。",
        "A skilled resident is an individual partner and has no other members.",
    ),
    "partner_not_found": ("没有找到这个合作单位。", "No such partner."),
    "partner_unknown_sub_district": ("请选择所在街道。", "Choose the sub-district."),
    "partner_area_outside": (
        "服务社区都必须在本单位所在的街道内。",
        "Every service-area community must be in the partner's sub-district.",
    ),
    "partner_area_needed": (
        "请填写服务范围：选择社区，或给出位置和半径。",
        "Give the service area: communities, or a point and a radius.",
    ),
    "partner_coordinators_only": (
        "只有本区域的社区党委可以认证或暂停合作单位。",
        "Only coordinators of the partner's area can certify or suspend it.",
    ),
    "partner_suspend_reason_needed": ("暂停需要说明理由。", "A suspension needs a reason."),
    "partner_changed": (
        "这个合作单位刚刚有了变化，请刷新。",
        "The partner changed while you were acting on it; reload it.",
    ),
    "partner_members_only": (
        "只有本单位成员可以添加成员。",
        "Only the unit's members can add members.",
    ),
    "partner_phone_unknown": (
        "这个手机号还没有注册，请对方先注册。",
        "Nobody is registered with this phone number; they must register first.",
    ),
    "partner_already_member": ("此人已经是本单位成员。", "This person is already a member."),
}
