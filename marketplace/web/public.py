"""Pages everyone reaches: home, sign in and out, language and text size, the 公示 board."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.response import Redirect, Template

from marketplace.announcements import service as announcements
from marketplace.errors import DomainError
from marketplace.settings import Settings
from marketplace.web.common import BIG_COOKIE, LANG_COOKIE, back, page_actor, render, say
from marketplace.web.forms import form_dict
from marketplace.web.i18n import LANGUAGES


@get("/", name="home")
async def home(request: Request) -> Template:
    actor = await page_actor(request)
    board = await announcements.board(community_id=None, limit=5)
    return render(request, "home.html", actor, board=board)


@get("/board")
async def board_page(request: Request) -> Template:
    actor = await page_actor(request)
    return render(
        request, "board.html", actor, board=await announcements.board(community_id=None, limit=50)
    )


@get("/login")
async def login_form(request: Request) -> Template:
    return render(request, "login.html", await page_actor(request), errors={})


@post("/login")
async def login(request: Request, settings: Settings) -> Template | Redirect:
    from marketplace.accounts.sessions import sign_in

    data = await form_dict(request)
    try:
        await sign_in(
            request,
            phone=data.get("phone", ""),
            password=data.get("password", ""),
            settings=settings,
        )
    except DomainError as exc:
        return render(
            request,
            "login.html",
            None,
            status_code=exc.status_code,
            errors={"_form": say(request, exc)},
            phone=data.get("phone", ""),
        )
    return back("/")


@post("/logout")
async def logout(request: Request) -> Redirect:
    request.clear_session()
    return back("/")


@get("/lang/{code:str}")
async def switch_language(request: Request, code: str) -> Redirect:
    response = Redirect(path=request.headers.get("referer") or "/")
    if code in LANGUAGES:
        response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="lax")
    return response


@get("/text-size")
async def toggle_text(request: Request) -> Redirect:
    response = Redirect(path=request.headers.get("referer") or "/")
    response.set_cookie(
        BIG_COOKIE,
        "0" if request.cookies.get(BIG_COOKIE) == "1" else "1",
        max_age=365 * 24 * 3600,
        samesite="lax",
    )
    return response


ROUTES = [home, board_page, login_form, login, logout, switch_language, toggle_text]
