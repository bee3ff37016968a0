"""Roster import (名册导入) and place pages for coordinators: templates to download, an upload
checked by a dry run, then imported all or only the good rows; compounds and buildings."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.response import Redirect, Template

from marketplace.accounts.rules import Role
from marketplace.errors import DomainError, NotFound
from marketplace.org import manage, places_xlsx
from marketplace.org import service as org
from marketplace.org.schemas import PlaceCreate
from marketplace.rosters import service as rosters
from marketplace.rosters.rules import Mode, RosterKind
from marketplace.web.coded import errors_for, lang_of
from marketplace.web.common import back, field_errors, flash, has, page_actor, render, t, to_login
from marketplace.web.forms import FormInvalid, decode, form_dict


async def _coordinator(request: Request):
    actor = await page_actor(request)
    return actor if has(actor, Role.COORDINATOR, Role.ADMIN) else None


async def _mine(actor) -> list[dict]:
    """The communities I coordinate, with their compounds and buildings."""
    ids = set(await org.communities_of(actor, Role.COORDINATOR, Role.ADMIN))
    return [m for s in await org.tree() for m in s["communities"] if m["id"] in ids]


async def _page(request: Request, actor, status_code: int = 200, **context) -> Template:
    return render(
        request,
        "rosters.html",
        actor,
        status_code=status_code,
        communities=await _mine(actor),
        kinds=[k.value for k in RosterKind],
        **{"report": None, "error": "", "values": {}, **context},
    )


@get("/rosters")
async def roster_page(request: Request) -> Template | Redirect:
    actor = await _coordinator(request)
    if actor is None:
        return to_login()
    return await _page(request, actor)


@post("/rosters")
async def roster_upload(request: Request) -> Template | Redirect:
    """Check or import an uploaded roster; the report lists every bad row in the page's language."""
    actor = await _coordinator(request)
    if actor is None:
        return to_login()
    form = await request.form()
    upload = form.get("file")
    values = {k: form.get(k) for k in ("kind", "community_id", "mode")}
    try:
        kind, mode = RosterKind(values["kind"]), Mode(values["mode"] or "dry_run")
        content = await upload.read() if hasattr(upload, "read") else b""
        report = await rosters.run_import(
            actor=actor,
            kind=kind,
            community_id=int(values["community_id"] or 0),
            content=content,
            mode=mode,
            lang=lang_of(request),
        )
    except (ValueError, DomainError) as exc:
        text = (
            next(iter(errors_for(request, exc, []).values()))
            if isinstance(exc, DomainError)
            else str(exc)
        )
        return await _page(request, actor, status_code=400, error=text, values=values)
    return await _page(request, actor, report=report, values=values)


@get("/places")
async def places_page(request: Request) -> Template | Redirect:
    actor = await _coordinator(request)
    if actor is None:
        return to_login()
    return await _places(request, actor)


async def _places(request: Request, actor, failed=None, **context) -> Template:
    """The places page; `failed` is a form sent back (which one, what was typed, each refusal
    beside its field)."""
    return render(
        request,
        "places.html",
        actor,
        status_code=400 if failed else 200,
        communities=await _mine(actor),
        failed=failed or {"form": None, "values": {}, "errors": {}},
        **{"report": None, **context},
    )


@post("/places/{level:str}")
async def add_place(request: Request, level: str) -> Template | Redirect:
    actor = await _coordinator(request)
    if actor is None:
        return to_login()
    if level not in ("compound", "building"):
        level = "compound"
    data = await form_dict(request)
    try:
        await manage.create_place(actor=actor, level=level, data=decode(PlaceCreate, data))
    except (FormInvalid, DomainError) as exc:
        if isinstance(exc, NotFound) and exc.field is None:
            raise
        errors = field_errors(request, exc, ["parent_id", "name", "lat", "lng"])
        return await _places(request, actor, {"form": level, "values": data, "errors": errors})
    flash(request, t(request, "Done."))
    return back("/places")


@post("/places-import")
async def import_places(request: Request) -> Template | Redirect:
    actor = await _coordinator(request)
    if actor is None:
        return to_login()
    form = await request.form()
    upload = form.get("file")
    try:
        report = await places_xlsx.import_places(
            actor=actor,
            community_id=int(form.get("community_id") or 0),
            content=await upload.read() if hasattr(upload, "read") else b"",
            dry_run=form.get("mode") != "import",
        )
        error = ""
    except (ValueError, DomainError, FormInvalid) as exc:
        report, error = None, next(iter(errors_for(request, exc, []).values()))
    return await _places(request, actor, report=report, error=error)


ROUTES = [roster_page, roster_upload, places_page, add_place, import_places]
