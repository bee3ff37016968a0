"""The texts of notices (and of the inbox's errors), zh-CN first.

A notice's params may themselves be `{"code": ..., "params": {...}}` (a phrase rendered in the
reader's language, such as whose wish it is) or `{"time": iso}` (an instant shown in Beijing time)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "notice_wish_yours": ("您的心愿“{title}”", "Your wish “{title}”"),
    "notice_wish_for": (
        "您为{resident}提交的心愿“{title}”",
        "The wish “{title}” you posted for {resident}",
    ),
    "notice_when_by": ("在 {date} 前", "by {date}"),
    "notice_when_soon": ("近日（会先和您电话约时间）", "soon (they will call to agree a time)"),
    "notice_unit_none": ("个人志愿者", "an individual volunteer"),
    "notice_wish_published": (
        "{wish}已发布，正在等待志愿者。",
        "{wish} is published and waiting for a volunteer.",
    ),
    "notice_wish_rejected": (
        "{wish}没有通过审核。原因：{reason}",
        "{wish} was not accepted. Reason: {reason}",
    ),
    "notice_wish_claimed": (
        "{wish}由 {volunteer}（{unit}）认领，将{when}上门。开门前请核对访问码 {code}。",
        "{wish} was claimed by {volunteer} ({unit}), who will come {when}. Check visit code {code} at the door.",
    ),
    "notice_wish_dispatched": (
        "{wish}已由社区派给 {volunteer}（{unit}），将{when}上门。开门前请核对访问码 {code}。",
        "{wish} was dispatched to {volunteer} ({unit}), who will come {when}. Check visit code {code} at the door.",
    ),
    "notice_wish_fulfilled": (
        "{wish}已由 {volunteer} 完成，请确认并评价。",
        "{wish} was fulfilled by {volunteer}: please confirm and rate it.",
    ),
    "notice_wish_released": (
        "{wish}的志愿者无法前来，心愿已重新等待志愿者。",
        "The volunteer for {wish} cannot come; it is waiting for a volunteer again.",
    ),
    "notice_wish_reopened": (
        "{wish}已重新打开，正在重新等待志愿者。",
        "{wish} was reopened and is waiting for a volunteer again.",
    ),
    "notice_task_dispatched": (
        "社区给您派了一个任务：“{title}”，请在 {deadline} 前接受或谢绝。",
        "A task was dispatched to you: “{title}”. Accept or decline by {deadline}.",
    ),
    "notice_task_lapsed": (
        "派单“{title}”没有在期限内答复，已退回任务池。",
        "The dispatch “{title}” was not answered in time and went back to the pool.",
    ),
    "notice_task_released": (
        "协调员收回了您认领的任务“{title}”。",
        "A coordinator took back your task “{title}”.",
    ),
    "notice_task_confirmed": (
        "“{title}”已确认完成，您获得 {points} 积分。谢谢您！",
        "“{title}” was confirmed: you earned {points} points. Thank you!",
    ),
    "notice_wish_to_review": (
        "新心愿待审核：{resident}的“{title}”。",
        "A new wish to review: “{title}” from {resident}.",
    ),
    "notice_dispatch_lapsed": (
        "派单“{title}”超时未答复，任务已退回任务池。",
        "The dispatch of “{title}” was not answered in time; the task is back in the pool.",
    ),
    "notice_claim_stale": (
        "“{title}”认领已超过 {days} 天仍未完成，请跟进。",
        "“{title}” was claimed over {days} days ago and is not fulfilled: please follow up.",
    ),
    "notice_run_proposed": (
        "匹配 #{run} 已完成：建议派出 {assigned} 项，{unserved} 项暂无合适志愿者。请审阅后派单。",
        "Matching #{run} finished: {assigned} assignments proposed, {unserved} tasks without a suitable volunteer. Review and dispatch.",
    ),
    "notice_run_failed": (
        "匹配 #{run} 运行失败，没有做任何更改。请重新运行。",
        "Matching #{run} failed; nothing was changed. Please run it again.",
    ),
    "notice_not_found": ("没有这条消息。", "No such message."),
    "notice_marked_read": ("已标为已读。", "Marked as read."),
    "notice_sms_on": ("有新消息时会给您发短信。", "You will also get a text message for notices."),
    "notice_sms_off": (
        "不再发短信，消息只在站内查看。",
        "No text messages; notices stay in the inbox.",
    ),
    "notice_inbox_title": ("消息", "Messages"),
    "notice_unread_badge": ("{n} 条未读", "{n} unread"),
    "notice_unread": ("未读", "unread"),
    "notice_open": ("查看", "Open"),
    "notice_mark_all": ("全部标为已读", "Mark all as read"),
    "notice_none": ("还没有消息。", "No messages yet."),
    "notice_live": ("新消息会自动出现在这里。", "New messages appear here by themselves."),
    "notice_sms_title": ("短信提醒", "Text messages"),
    "notice_sms_label": ("有新消息时也给我发短信", "Also send me a text message"),
    "notice_save": ("保存", "Save"),
    "notice_sms_unavailable": (
        "短信服务还没有开通：您的选择会保存，开通后生效。消息始终会在这里。",
        "Text messages are not switched on yet: your choice is kept for when they are. Messages always arrive here.",
    ),
    "notice_sms_no_phone": (
        "您的账户没有登记手机号，暂时无法发短信。",
        "Your account has no phone number, so no text can be sent.",
    ),
    "confirm_cancel_wish": ("确定要撤回心愿“{title}”吗？", "Withdraw the wish “{title}”?"),
    "confirm_cancel_wish_detail": (
        "撤回后社区不会再处理这个心愿。如果还需要帮助，可以重新许愿。",
        "The community will no longer handle it. You can make a new wish if you still need help.",
    ),
    "confirm_cancel_wish_yes": ("确定撤回", "Yes, withdraw it"),
    "confirm_release_task": ("确定要退回任务“{title}”吗？", "Give back the task “{title}”?"),
    "confirm_release_task_detail": (
        "退回后任务回到任务池，居民会收到通知，访问码作废。",
        "The task goes back to the pool, the resident is told and the visit code lapses.",
    ),
    "confirm_release_task_yes": ("确定退回", "Yes, give it back"),
    "confirm_recall_claim": (
        "确定要收回志愿者认领的“{title}”吗？",
        "Take “{title}” back from its volunteer?",
    ),
    "confirm_recall_claim_detail": (
        "志愿者和居民都会收到通知，任务回到任务池。",
        "The volunteer and the resident are told; the task goes back to the pool.",
    ),
    "confirm_recall_claim_yes": ("确定收回", "Yes, take it back"),
    "confirm_keep": ("不了，返回", "No, go back"),
    "notification_not_found": ("没有找到这条通知。", "No such notification."),
}
