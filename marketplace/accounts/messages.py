"""The texts of the accounts domain's codes (zh-CN, en)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "auth_bad_login": ("手机号或密码不对。", "Wrong phone number or password."),
    "auth_account_gone": ("您的账号已不存在。", "Your account no longer exists."),
    "auth_too_many_logins": (
        "登录失败次数太多，请过几分钟再试。",
        "Too many failed sign-ins; wait a few minutes and try again.",
    ),
    "account_volunteers_only": (
        "只有志愿者有志愿者档案。",
        "Only volunteers have a volunteer profile.",
    ),
    "account_add_resident_not_allowed": (
        "只有本社区的网格员和社区党委可以添加居民。",
        "Only grid workers and coordinators of this community can add its residents.",
    ),
    "account_phone_taken": ("这个手机号已经登记过了。", "This phone number is already registered."),
    "account_phone_format": (
        "请填写 11 位手机号，例如 13812345678。",
        "Enter an 11-digit mobile number, e.g. 13812345678.",
    ),
    "account_password_short": ("密码至少 8 位。", "The password needs at least 8 characters."),
    "resident_not_found": ("没有找到这位居民。", "No such resident."),
}
