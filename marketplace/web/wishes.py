"""Resident and grid-worker pages: make a wish (or post one for a resident), follow it, confirm."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.response import Redirect, Template

from marketplace.accounts import service as accounts
from marketplace.accounts.rules import Role
from marketplace.accounts.schemas import ResidentCreate
from marketplace.errors import DomainError, NotFound
from marketplace.settings import Settings
from marketplace.visits import service as visits
from marketplace.web import confirm as confirmation
from marketplace.web.coded import errors_for
from marketplace.web.common import (
    back,
    field_errors,
    flash,
    has,
    page_actor,
    perform,
    render,
    t,
    to_login,
)
from marketplace.web.forms import FormInvalid, decode, form_dict, sent_back
from marketplace.wishes import lifecycle
from marketplace.wishes import service as wishes
from marketplace.wishes.rules import PriorityGroup
from marketplace.wishes.schemas import ConfirmInput, ReasonInput, WishCreate

FIELDS = [
    "title",
    "category",
    "description",
    "hours",
    "wanted_by",
    "priority_groups",
    "priority_consent",
]


def _form_context(settings: Settings, **extra):
    return {"categories": settings.categories, "groups": [g.value for g in PriorityGroup], **extra}


@get("/wishes/new")
async def new_wish(
    request: Request, settings: Settings, resident_id: int | None = None
) -> Template | Redirect:
    actor = await page_actor(request)
    if actor is None:
        return to_login()
    resident = (
        await accounts.get_resident(actor=actor, person_id=resident_id) if resident_id else None
    )
    return render(
        request,
        "wish_new.html",
        actor,
        errors={},
        values={},
        resident=resident,
        **_form_context(settings),
    )


@post("/wishes/new")
async def create_wish(request: Request, settings: Settings) -> Template | Redirect:
    actor = await page_actor(request)
    if actor is None:
        return to_login()
    data = await form_dict(request, lists=("priority_groups",))
    data["priority_consent"] = data.get("priority_consent") == "on"
    data["skills"] = [data["category"]] if data.get("category") in ("tutoring", "repairs") else []
    try:
        wish = await wishes.create(actor=actor, data=decode(WishCreate, data), settings=settings)
    except (FormInvalid, DomainError) as exc:
        errors = field_errors(request, exc, FIELDS)
        duplicate_of = (getattr(exc, "params", None) or {}).get("wish_id")
    else:
        flash(request, _submitted(request, wish))
        return back(f"/wishes/{wish.id}")
    # a wish posted for a resident comes back still for them (never for the grid worker)
    resident_id = str(data.get("resident_id") or "")
    resident = (
        await accounts.get_resident(actor=actor, person_id=int(resident_id))
        if resident_id.isdigit()
        else None
    )
    return render(
        request,
        "wish_new.html",
        actor,
        status_code=400,
        errors=errors,
        values=data,
        resident=resident,
        duplicate_of=duplicate_of,
        **_form_context(settings),
    )


def _submitted(request: Request, wish) -> str:
    """Wording that fits who acted: "已为林秀兰提交心愿" for a grid worker posting for her."""
    from marketplace.messages import render as say

    lang = "en" if request.cookies.get("lang") == "en" else "zh-CN"
    if wish.posted_on_behalf:
        return say("wish_submitted_for", lang, {"name": wish.resident_name})
    return say("wish_submitted_self", lang)


@get("/wishes")
async def my_wishes(request: Request) -> Template | Redirect:
    actor = await page_actor(request)
    if actor is None:
        return to_login()
    mine = await wishes.list_wishes(
        actor=actor, mine=True, status=None, community_id=None, limit=100, offset=0
    )
    return render(request, "wishes.html", actor, wishes=mine)


@get("/wishes/{wish_id:int}")
async def wish_page(request: Request, wish_id: int) -> Template | Redirect:
    actor = await page_actor(request)
    if actor is None:
        return to_login()
    return await _wish_page(request, actor, wish_id)


async def _wish_page(request: Request, actor, wish_id: int, failed=None) -> Template:
    """The wish and its timeline; `failed` is its confirm or reopen form sent back (what was
    typed, each refusal beside its field)."""
    row, view = await wishes.visible(actor, wish_id)
    wish = await wishes.read(row, view)
    from marketplace.wishes.rules import may_confirm

    can_confirm = may_confirm(
        actor,
        resident_id=row["resident"],
        community_id=row["community"],
        sub_district_id=row["sub_district_id"],
    )
    can_cancel = actor.person_id in (row["resident"], row["posted_by"])
    visit = await visits.for_wish(actor=actor, wish_id=wish_id) if not wish.masked else None
    return render(
        request,
        "wish.html",
        actor,
        status_code=400 if failed else 200,
        wish=wish,
        can_confirm=can_confirm,
        can_cancel=can_cancel,
        visit=visit,
        failed=failed or sent_back(),
    )


async def _act(request: Request, wish_id: int, action) -> Redirect:
    to = request.headers.get("referer") or f"/wishes/{wish_id}"
    return await perform(request, await page_actor(request), action, to)


@post("/wishes/{wish_id:int}/confirm")
async def confirm(request: Request, wish_id: int, settings: Settings) -> Template | Redirect:
    """Confirm and rate; a refusal comes back beside the rating or the comment, the comment
    kept."""
    data = await form_dict(request)

    async def run(actor):
        body = decode(
            ConfirmInput, {"rating": data.get("rating"), "comment": data.get("comment", "")}
        )
        await lifecycle.confirm(actor=actor, wish_id=wish_id, data=body, settings=settings)

    return await _in_place(request, wish_id, "confirm", data, run)


@post("/wishes/{wish_id:int}/reopen")
async def reopen(request: Request, wish_id: int) -> Template | Redirect:
    """Not satisfied: back to the pool; a refusal comes back beside the reason, kept."""
    data = await form_dict(request)

    async def run(actor):
        body = decode(ReasonInput, {"reason": data.get("reason", "")})
        await lifecycle.reopen(actor=actor, wish_id=wish_id, reason=body.reason)

    return await _in_place(request, wish_id, "reopen", data, run)


async def _in_place(request: Request, wish_id: int, form: str, data: dict, action):
    """Run a form of the wish page; a refusal shows the page again with the form as typed."""
    actor = await page_actor(request)
    if actor is None:
        return to_login()
    try:
        await action(actor)
    except (FormInvalid, DomainError) as exc:
        if isinstance(exc, NotFound) and exc.field is None:
            raise
        errors = field_errors(request, exc, ["rating", "comment", "reason"])
        return await _wish_page(request, actor, wish_id, sent_back(form, data, errors))
    flash(request, t(request, "Done."))
    return back(request.headers.get("referer") or f"/wishes/{wish_id}")


@post("/wishes/{wish_id:int}/cancel")
async def cancel(request: Request, wish_id: int) -> Template | Redirect:
    data = await form_dict(request)
    if not confirmation.confirmed(data):
        actor = await page_actor(request)
        if actor is None:
            return to_login()
        row, _ = await wishes.visible(actor, wish_id)
        return confirmation.ask(
            request,
            actor,
            code="confirm_cancel_wish",
            back_to=f"/wishes/{wish_id}",
            title=row["title"],
        )
    return await _act(
        request, wish_id, lambda a: lifecycle.cancel(actor=a, wish_id=wish_id, reason="")
    )


@get("/grid")
async def grid_home(request: Request) -> Template | Redirect:
    """Grid worker: find a resident to post for, add one, and the follow-ups waiting for a call."""
    actor = await page_actor(request)
    if not has(actor, Role.GRID_WORKER, Role.COORDINATOR):
        return to_login()
    return await _grid_page(request, actor)


@post("/grid/search")
async def grid_search(request: Request) -> Template | Redirect:
    """The resident search, posted: a name or phone never travels in a URL (logs, history,
    Referer)."""
    actor = await page_actor(request)
    if not has(actor, Role.GRID_WORKER, Role.COORDINATOR):
        return to_login()
    data = await form_dict(request)
    return await _grid_page(request, actor, q=str(data.get("q", "")).strip())


async def _grid_page(
    request: Request,
    actor,
    q: str = "",
    errors=None,
    values=None,
    status_code: int = 200,
    existing=None,
) -> Template:
    communities = [
        s.community_id for s in actor.scopes(Role.GRID_WORKER, Role.COORDINATOR) if s.community_id
    ]
    found = []
    if q and communities:
        found = await accounts.find_residents(actor=actor, q=q[:50], community_id=communities[0])
    follow_ups = await wishes.list_wishes(
        actor=actor, mine=False, status="fulfilled", community_id=None, limit=100, offset=0
    )
    from marketplace.org.tables import Building, Compound

    compounds = await Compound.select().where(Compound.community.is_in(communities or [-1]))
    return render(
        request,
        "grid.html",
        actor,
        status_code=status_code,
        q=q,
        found=found,
        follow_ups=follow_ups,
        compounds=compounds,
        buildings=await Building.select().where(
            Building.compound.is_in([c["id"] for c in compounds] or [-1])
        ),
        existing=existing,
        errors=errors or {},
        values=values or {},
    )


@post("/grid/residents")
async def add_resident(request: Request) -> Template | Redirect:
    """Add a resident met while door-knocking; a problem is shown beside its field."""
    actor = await page_actor(request)
    if not has(actor, Role.GRID_WORKER, Role.COORDINATOR):
        return to_login()
    data = await form_dict(request)
    try:
        resident = await accounts.add_resident(actor=actor, data=decode(ResidentCreate, data))
    except (FormInvalid, DomainError) as exc:
        fields = ["name", "compound_id", "building_id", "address", "phone"]
        errors = errors_for(request, exc, fields)
        existing = None
        if isinstance(exc, DomainError) and exc.code == "resident_exists":
            existing = {k: exc.params.get(k) for k in ("resident_id", "name", "address")}
        return await _grid_page(
            request,
            actor,
            errors=errors,
            values=data,
            status_code=409 if existing else 400,
            existing=existing,
        )
    return back(f"/wishes/new?resident_id={resident.id}")


ROUTES = [
    new_wish,
    create_wish,
    my_wishes,
    wish_page,
    confirm,
    reopen,
    cancel,
    grid_home,
    grid_search,
    add_resident,
]
