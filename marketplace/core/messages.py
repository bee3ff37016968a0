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

# a bad input field, said with its label ({label} is the field's name in the reader's language)
MESSAGES.update(
    {
        "validation_required": ("请填写{label}。", "Please fill in {label}."),
        "upload_missing": ("请选择要上传的文件。", "Choose a file to upload."),
        "validation_choose": ("请选择{label}。", "Please choose {label}."),
        "validation_range": (
            "{label}应在 {min} 到 {max} 之间。",
            "{label} must be from {min} to {max}.",
        ),
        "validation_range_above": (
            "{label}应大于 {min}，且不超过 {max}。",
            "{label} must be more than {min} and at most {max}.",
        ),
        "validation_above": ("{label}应大于 {min}。", "{label} must be more than {min}."),
        "validation_at_least": ("{label}不能小于 {min}。", "{label} must be {min} or more."),
        "validation_below": ("{label}应小于 {max}。", "{label} must be less than {max}."),
        "validation_at_most": ("{label}不能超过 {max}。", "{label} must be {max} or less."),
        "validation_not_number": ("{label}：请填写数字。", "{label}: please enter a number."),
        "validation_not_integer": (
            "{label}：请填写整数。",
            "{label}: please enter a whole number.",
        ),
        "validation_not_text": ("{label}：请填写文字。", "{label}: please enter text."),
        "validation_too_short": (
            "{label}至少 {min} 个字。",
            "{label} needs at least {min} characters.",
        ),
        "validation_too_long": (
            "{label}最多 {max} 个字。",
            "{label} may have at most {max} characters.",
        ),
        "validation_format": ("{label}的格式不对。", "{label} is not in the right form."),
        "validation_not_list": ("{label}应是一组选项。", "{label} must be a list."),
        "validation_too_many": ("{label}最多选 {max} 项。", "Choose at most {max} for {label}."),
        "validation_item_blank": ("{label}中有空白项。", "{label} has an empty entry."),
        "validation_item_too_long": (
            "{label}中每一项最多 {max} 个字。",
            "Each entry of {label} may have at most {max} characters.",
        ),
        "validation_item_invalid": ("{label}中有一项不对。", "An entry of {label} is not valid."),
        "validation_not_date": (
            "{label}：请填写日期，例如 2026-12-31。",
            "{label}: enter a date such as 2026-12-31.",
        ),
        "validation_not_datetime": (
            "{label}：请填写日期和时间。",
            "{label}: enter a date and a time.",
        ),
        "validation_not_yes_no": ("{label}：请选择是或否。", "{label}: choose yes or no."),
        "validation_choice": (
            "请从列出的选项中选择{label}。",
            "Choose {label} from the options listed.",
        ),
        "validation_invalid": ("{label}填写有误。", "{label} is not valid."),
        "validation_unknown_field": ("不能提交“{label}”这一项。", "“{label}” cannot be set here."),
        "validation_not_json": (
            "提交的内容不是有效的 JSON。",
            "The request body is not valid JSON.",
        ),
        "validation_not_object": (
            "提交的内容格式不对。",
            "The request body must be a JSON object.",
        ),
        "validation_failed": (
            "有 {count} 项需要修改，请看各项的说明。",
            "{count} fields need changing; see each field's message.",
        ),
        "integrity_conflict": (
            "这与他人刚刚做的修改冲突，请刷新后重试。",
            "This conflicts with a change someone else just made; reload and try again.",
        ),
    }
)
