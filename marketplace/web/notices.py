"""The inbox page: notices in the page's language and Beijing time, each opening its wish, task,
run or project; read and unread; the choice of text messages. New notices arrive live (notices.js)."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.response import Redirect, Template

from marketplace.errors import DomainError
from marketplace.notifications import service as notifications
from marketplace.web.common import back, field_errors, flash, page_actor, render, to_login
from marketplace.web.forms import form_dict, sent_back


def _lang(request: Request) -> str:
    from marketplace.web.common import LANG_COOKIE

    return "en" if request.cookies.get(LANG_COOKIE) == "en" else "zh-CN"


@get("/inbox")
async def inbox(request: Request) -> Template | Redirect:
    """The person's notices, newest first, unread ones marked with a word and a dot."""
    actor = await page_actor(request)
    if actor is None:
        return to_login()
    return await _inbox_page(request, actor)


async def _inbox_page(request: Request, actor, failed=None) -> Template:
    """The inbox; `failed` is the text-message choice sent back, its refusal beside the box."""
    items = await notifications.inbox(
        actor=actor, unread_only=False, limit=100, lang=_lang(request)
    )
    return render(
        request,
        "inbox.html",
        actor,
        status_code=400 if failed else 200,
        items=items,
        preference=await notifications.preference(actor=actor),
        failed=failed or sent_back(),
    )


@get("/inbox/{notification_id:int}")
async def open_notice(request: Request, notification_id: int) -> Redirect:
    """Mark the notice read and go to what it is about."""
    actor = await page_actor(request)
    if actor is None:
        return to_login()
    link = await notifications.mark_read(actor=actor, notification_id=notification_id)
    return Redirect(path=link if link.startswith("/") and not link.startswith("//") else "/inbox")


@post("/inbox/read-all")
async def read_all(request: Request) -> Redirect:
    actor = await page_actor(request)
    if actor is None:
        return to_login()
    await notifications.mark_all_read(actor=actor)
    return back("/inbox")


@post("/inbox/preferences")
async def preferences(request: Request) -> Template | Redirect:
    actor = await page_actor(request)
    if actor is None:
        return to_login()
    data = await form_dict(request)
    chosen = data.get("by_sms") == "on"
    try:
        await notifications.set_preference(actor=actor, by_sms=chosen)
    except DomainError as exc:
        failed = sent_back("preferences", data, field_errors(request, exc, ["by_sms"]))
        return await _inbox_page(request, actor, failed)
    from marketplace.messages import render as say

    flash(request, say("notice_sms_on" if chosen else "notice_sms_off", _lang(request)))
    return back("/inbox")


ROUTES = [inbox, open_notice, read_all, preferences]
