"""The texts of the notifications domain's error codes (zh-CN, en)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "notification_not_found": ("没有找到这条通知。", "No such notification."),
}
