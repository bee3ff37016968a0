"""Texts of the security and input-hygiene refusals (zh-CN first, en)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "security_json_only": (
        "请求内容必须是 JSON 格式。",
        "Send the body as JSON (Content-Type: application/json).",
    ),
    "security_too_deep": (
        "提交的内容嵌套太深。",
        "The request body is nested too deeply.",
    ),
    "security_text_blank": (
        "{label}不能只有空格。",
        "{label} cannot be only spaces.",
    ),
    "security_text_control": (
        "{label}含有不允许的控制字符或文字方向字符。",
        "{label} contains control or text-direction characters that are not allowed.",
    ),
    "security_too_many": (
        "{name} 最多 {limit} 项。",
        "{name} may have at most {limit} items.",
    ),
    "security_offset_too_large": (
        "{name} 太大（最多 {limit}）。",
        "{name} is too large (at most {limit}).",
    ),
}
