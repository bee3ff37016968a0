"""Texts of the roster codes (zh-CN, en); a row's report reads 第{row}行「{field}」：<text>."""

MESSAGES: dict[str, tuple[str, str]] = {
    "roster_row": ("第{row}行「{field}」：{text}", "Row {row}, column {field}: {text}"),
    "roster_bad_name": (
        "姓名为空或太长（最多50字）。",
        "The name is empty or too long (50 at most).",
    ),
    "roster_bad_phone": (
        "手机号「{value}」不正确，应为11位手机号，例如13812345678。",
        "The phone number {value} is not an 11-digit mainland mobile number.",
    ),
    "roster_phoneless_needs_address": (
        "没有手机号的人须填写楼栋和房号，以免重复登记。",
        "People without a phone need a building and a room, so they are not added twice.",
    ),
    "roster_unknown_compound": (
        "本社区没有名为「{value}」的小区。",
        "This community has no compound called {value}.",
    ),
    "roster_unknown_building": (
        "这个小区没有名为「{value}」的楼栋。",
        "The compound has no building called {value}.",
    ),
    "roster_unknown_grid": (
        "这个小区没有名为「{value}」的网格。",
        "The compound has no grid called {value}.",
    ),
    "roster_duplicate": (
        "与第{value}行是同一个人（重复）。",
        "The same person as row {value} (a duplicate).",
    ),
    "roster_missing_consent": (
        "登记重点群体须本人同意，请在此列填「是」。",
        "Recording priority groups needs the person's consent: put 是 (yes) in this column.",
    ),
    "roster_bad_priority": (
        "「{value}」不是重点群体，可填：60岁以上老人、儿童、低保户、残疾人、空巢老人。",
        "{value} is not a priority group.",
    ),
    "roster_bad_kind": (
        "类别「{value}」不正确，可填：在职党员、报到党员、治理能人、志愿者。",
        "The kind {value} is not known.",
    ),
    "roster_branch_needed": ("党员须填写所在党支部。", "Party members need their party branch."),
    "roster_bad_skill": (
        "技能「{value}」不认识，可填：学业辅导、维修、陪伴、跑腿代办、陪同就医、物资、电工、其他。",
        "Unknown skill in {value}.",
    ),
    "roster_bad_hours": (
        "每周可服务小时「{value}」应为0.5到80之间的数字。",
        "Weekly hours {value} must be a number from 0.5 to 80.",
    ),
    "roster_other_community": (
        "此手机号已登记为其他社区的居民。",
        "This phone number is registered as a resident of another community.",
    ),
    "roster_missing_columns": (
        "表格缺少这些列：{columns}。请使用下载的模板。",
        "The sheet lacks the columns: {columns}. Use the template.",
    ),
    "roster_too_many_rows": (
        "每个文件最多{limit}行。",
        "At most {limit} rows per file.",
    ),
    "roster_bad_mode": ("导入方式不正确。", "Unknown import mode."),
    "roster_invitation_title": (
        "{community}已为您登记，欢迎使用连心",
        "{community} has registered you: welcome to Lianxin",
    ),
    "roster_invitation_body": (
        "用本手机号和短信验证码即可登录。",
        "Sign in with this phone number and a text-message code.",
    ),
}

# Adding a resident by hand (marketplace/accounts add_resident) offers the existing person.
MESSAGES.update(
    {
        "resident_exists": (
            "这位居民已经登记过了：{name}，{address}。请直接选用，不要重复添加。",
            "This resident is already registered: {name}, {address}. Choose them instead.",
        ),
        "resident_exists_elsewhere": (
            "这个手机号已经登记过了（其他社区）。",
            "This phone number is already registered (in another community).",
        ),
    }
)
