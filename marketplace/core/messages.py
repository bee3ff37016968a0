"""The generic codes of the API's error body (used when a refusal has no more precise code)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "invalid_input": (
        "输入有误，请检查后重试。",
        "The input is not valid; check it and try again.",
    ),
    "not_authenticated": ("请先登录。", "Please sign in."),
    "forbidden": ("您无权进行此操作。", "You are not allowed to do this."),
    "not_found": ("没有找到，或您无权查看。", "Not found, or you may not see it."),
    "method_not_allowed": ("不支持这种请求方式。", "This method is not allowed here."),
    "conflict": ("状态已变化，请刷新后重试。", "The state has changed; reload and try again."),
    "too_large": ("提交的内容太大。", "The request is too large."),
    "too_many_requests": ("操作太频繁，请稍后再试。", "Too many requests; try again later."),
    "internal_error": (
        "系统出了点问题，没有做任何更改，请重试。",
        "Something went wrong on our side; nothing was changed. Please try again.",
    ),
    "unavailable": (
        "服务暂时不可用，请稍后再试。",
        "The service is briefly unavailable; try again shortly.",
    ),
}
