"""Roster import (名册导入) and place pages for coordinators: templates to download, an upload
checked by a dry run, then imported all or only the good rows; compounds and buildings."""

from __future__ import annotations

from enum import StrEnum

from litestar import Request, get, post
from litestar.response import Redirect, Template

from marketplace.accounts.rules import Role
from marketplace.errors import DomainError, NotFound
from marketplace.org import manage, places_xlsx
from marketplace.org import service as org
from marketplace.org.schemas import PlaceCreate
from marketplace.rosters import service as rosters
from marketplace.rosters.rules import Mode, RosterKind
from marketplace.validation import Problem, normalise_form
from marketplace.web.coded import errors_for, lang_of
from marketplace.web.common import back, field_errors, flash, has, page_actor, render, t, to_login
from marketplace.web.forms import FormInvalid, blank, decode, form_dict, refuse, sent_back


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
        **{"report": None, "errors": {}, "values": {}, **context},
    )


@get("/rosters")
async def roster_page(request: Request) -> Template | Redirect:
    actor = await _coordinator(request)
    if actor is None:
        return to_login()
    return await _page(request, actor)


async def _upload(request: Request, names: tuple[str, ...]) -> tuple[dict, bytes, list[Problem]]:
    """An upload form's choices (kept for the page), the file's bytes, and each choice left
    blank or the file missing as a problem beside its field."""
    form = await request.form()
    values = {k: normalise_form(form.get(k) or "") for k in names}
    upload = form.get("file")
    content = await upload.read() if hasattr(upload, "read") else b""
    found = blank(values, *(n for n in names if n != "mode"))
    found += [] if content else [Problem("file", "validation_choose")]
    if values.get("community_id") and not str(values["community_id"]).isdigit():
        found.append(Problem("community_id", "validation_choice"))
    return values, content, found


def _choice(values: dict, name: str, choices: type[StrEnum], default: str = "") -> list[Problem]:
    """A choice not among the listed ones (a stale or hand-made form), beside its field."""
    picked = values.get(name) or default
    return [] if not picked or picked in set(choices) else [Problem(name, "validation_choice")]


ROSTER = ["kind", "community_id", "file", "mode"]


@post("/rosters")
async def roster_upload(request: Request) -> Template | Redirect:
    """Check or import an uploaded roster; the report lists every bad row in the page's language,
    a refused upload says each problem beside its field, the choices kept."""
    actor = await _coordinator(request)
    if actor is None:
        return to_login()
    values, content, found = await _upload(request, ("kind", "community_id", "mode"))
    try:
        refuse(found + _choice(values, "kind", RosterKind) + _choice(values, "mode", Mode))
        report = await rosters.run_import(
            actor=actor,
            kind=RosterKind(values["kind"]),
            community_id=int(values["community_id"]),
            content=content,
            mode=Mode(values["mode"] or "dry_run"),
            lang=lang_of(request),
        )
    except (FormInvalid, DomainError) as exc:
        if isinstance(exc, NotFound) and exc.field is None:
            raise
        errors = errors_for(request, exc, ROSTER)
        return await _page(request, actor, status_code=400, errors=errors, values=values)
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
        failed=failed or sent_back(),
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
        return await _places(request, actor, sent_back(level, data, errors))
    flash(request, t(request, "Done."))
    return back("/places")


@post("/places-import")
async def import_places(request: Request) -> Template | Redirect:
    """Check or import compounds and buildings from a workbook; a refused upload says each
    problem beside its field, the choices kept."""
    actor = await _coordinator(request)
    if actor is None:
        return to_login()
    values, content, found = await _upload(request, ("community_id", "mode"))
    try:
        refuse(found)
        report = await places_xlsx.import_places(
            actor=actor,
            community_id=int(values["community_id"]),
            content=content,
            dry_run=values["mode"] != "import",
        )
    except (FormInvalid, DomainError) as exc:
        if isinstance(exc, NotFound) and exc.field is None:
            raise
        errors = errors_for(request, exc, ["community_id", "file", "mode"])
        return await _places(request, actor, sent_back("import", values, errors))
    return await _places(request, actor, report=report)


ROUTES = [roster_page, roster_upload, places_page, add_place, import_places]
