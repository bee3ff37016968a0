"""The texts of visit-code refusals."""

MESSAGES: dict[str, tuple[str, str]] = {
    "visit_code_wrong": (
        "访问码不对，请向居民核对后再填写（不确定可以留空，由网格员确认）。",
        "The visit code is wrong: check it with the resident (or leave it empty for the grid "
        "worker to confirm).",
    ),
}
