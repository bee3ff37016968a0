"""Texts of the dispatch domain's codes (zh-CN first, en)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "dispatch_no_worker": (
        "没有正在运行的派单任务进程（worker）：排队中的匹配要等它启动后才会执行。请联系管理员运行 make worker。",
        "No worker is running: queued runs wait until one starts. Ask the administrator to run make worker.",
    ),
}
