"""Texts of the accounts codes: sign-in, one-time codes, sign-up, passwords, a person's data."""

MESSAGES: dict[str, tuple[str, str]] = {
    "accounts_code_sent": (
        "如果这个号码能收短信，验证码已经发出，5分钟内有效。",
        "A code has been sent if the number can receive it; it is valid for 5 minutes.",
    ),
    "accounts_signed_out": ("已退出登录。", "Signed out."),
    "accounts_person_not_found": ("没有这个人。", "No such person."),
    "accounts_no_password_yet": (
        "这个账号还没有设置密码，请用手机验证码设置。",
        "This account has no password yet: set one with a code sent to the phone.",
    ),
    "accounts_current_password_wrong": ("当前密码不正确。", "The current password is not right."),
    "accounts_password_changed": (
        "密码已修改，其他设备上的登录已退出。",
        "Password changed; you are signed out on your other devices.",
    ),
    "accounts_priority_consent_withdrawn": (
        "已从{count}个心愿中删除重点人群信息。",
        "Priority-group data removed from {count} wishes.",
    ),
    "accounts_closed": ("账号已注销。", "Your account is closed."),
    "accounts_login_failed": ("手机号或密码不正确。", "Wrong phone number or password."),
    "accounts_login_locked": (
        "登录失败次数太多，请约{minutes}分钟后再试。",
        "Too many failed logins. Wait about {minutes} minutes and try again.",
    ),
    "accounts_phone_invalid": (
        "请输入11位手机号码，例如 13812345678。",
        "phone must be an 11-digit mainland mobile number, e.g. 13812345678.",
    ),
    "accounts_phone_taken": (
        "这个手机号已经注册过了。",
        "A person with this phone number is already registered.",
    ),
    "accounts_password_too_short": (
        "密码至少要8个字符。",
        "password must have at least 8 characters.",
    ),
    "accounts_password_common": (
        "这个密码太常见，容易被猜到，请换一个。",
        "password is too common; choose another.",
    ),
    "accounts_password_is_phone": ("密码不能是手机号。", "password must not be your phone number."),
    "accounts_code_too_soon": (
        "验证码已发送，请{seconds}秒后再获取。",
        "A code was just sent; ask again in {seconds} seconds.",
    ),
    "accounts_code_daily_limit": (
        "今天这个手机号获取验证码的次数已达上限，请明天再试。",
        "This phone has had the most codes allowed today; try again tomorrow.",
    ),
    "accounts_code_client_limit": (
        "获取验证码太频繁，请稍后再试。",
        "Too many codes asked for from here; try again later.",
    ),
    "accounts_code_invalid": ("验证码不正确或已过期。", "The code is wrong or has expired."),
    "accounts_code_too_many_tries": (
        "验证码输错次数太多，请重新获取。",
        "Too many wrong tries for this code; ask for a new one.",
    ),
    "accounts_not_registered": (
        "这个手机号还没有注册，请先注册。",
        "No account has this phone number yet; sign up first.",
    ),
    "accounts_admin_exists": (
        "系统已经有管理员了。",
        "This installation already has an administrator.",
    ),
    "accounts_close_not_confirmed": (
        "注销账号会清空您的积分（{points}分），请勾选确认后再提交。",
        "Closing the account forfeits your {points} points; confirm to go on.",
    ),
    "accounts_close_open_claims": (
        "您还有{count}个进行中的任务，请先完成或退回后再注销。",
        "You still hold {count} open tasks; fulfil or give them back first.",
    ),
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
    "accounts_name_length": ("姓名应为 1 到 50 个字。", "The name must have 1 to 50 characters."),
    "accounts_name_needed": ("请填写姓名。", "Please give a name."),
    "accounts_code_purpose": (
        "验证码用途不正确。",
        "The code's purpose must be sign-in or password.",
    ),
    "accounts_choose_compound": ("请选择您所在的小区。", "Choose your compound."),
}
