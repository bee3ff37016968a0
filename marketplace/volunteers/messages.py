"""Texts of the volunteer, home and role-grant codes (zh-CN, en)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "volunteer_bad_transition": (
        "这份申请当前状态不能执行此操作。",
        "This application's state does not allow this.",
    ),
    "volunteer_reason_needed": ("请填写原因。", "Please give a reason."),
    "volunteer_branch_needed": (
        "党员请填写所在党支部。",
        "Party members give their party branch.",
    ),
    "volunteer_community_needed": ("请选择服务的社区。", "Choose the community you will serve."),
    "volunteer_already_applied": (
        "您已经提交过申请（当前状态：{status}）。",
        "You have already applied (status: {status}).",
    ),
    "volunteer_no_application": ("没有找到这份申请。", "No such application."),
    "volunteer_coordinators_only": (
        "只有社区党委或街道可以审核志愿者申请。",
        "Only coordinators decide volunteer applications.",
    ),
    "volunteer_changed": (
        "申请状态刚刚发生了变化，请刷新后重试。",
        "The application changed meanwhile; reload it.",
    ),
    "volunteer_no_profile": (
        "只有已认证的志愿者才能设置住址位置。",
        "Only certified volunteers have a home point.",
    ),
    "role_not_grantable": (
        "这里只能授予网格员或协调员（社区党委）角色。",
        "Only grid worker and coordinator roles are granted here.",
    ),
    "role_out_of_scope": (
        "只能在您负责的范围内授予角色。",
        "You may grant roles only within the area you coordinate.",
    ),
    "role_scope_needed": (
        "请选择社区或街道（二选一）。",
        "Give a community or a sub-district (one of the two).",
    ),
    "role_unknown_person": (
        "没有用这个手机号注册的人。",
        "Nobody is registered with this phone number.",
    ),
    "role_already_held": ("此人已在这里担任该角色。", "This person already holds this role here."),
    "role_no_grant": ("没有找到这个角色授予记录。", "No such role grant."),
    "role_own": ("不能撤销自己的角色。", "You cannot revoke your own role."),
}
