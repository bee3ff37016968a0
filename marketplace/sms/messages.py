"""Texts of the SMS codes."""

MESSAGES: dict[str, tuple[str, str]] = {
    "sms_failed": (
        "短信发送失败，请稍后再试。",
        "The text message could not be sent; try again later.",
    ),
}
