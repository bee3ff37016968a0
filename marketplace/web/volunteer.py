"""Volunteer pages: tasks near me with a map, claim (领单), my tasks, service record, the store."""

from __future__ import annotations

import unicodedata

from litestar import Request, get, post
from litestar.response import Redirect, Template
from markupsafe import Markup

from marketplace import maps
from marketplace.accounts.rules import Role
from marketplace.accounts.tables import VolunteerProfile
from marketplace.dispatch import responses
from marketplace.errors import Conflict, DomainError
from marketplace.points import service as points
from marketplace.service_record import service as record
from marketplace.settings import Settings
from marketplace.tasks import service as tasks
from marketplace.web import confirm, mapview
from marketplace.web.common import (
    back,
    field_errors,
    flash,
    gettext_for,
    has,
    page_actor,
    perform,
    render,
    say,
    t,
    to_login,
)
from marketplace.web.forms import form_dict


async def _home(person_id: int) -> tuple[float, float, int]:
    row = await VolunteerProfile.select().where(VolunteerProfile.person == person_id).first()
    if row is None:
        return 36.06, 120.37, 3000
    return row["home_lat"], row["home_lng"], row["max_distance_m"]


def _map(home: tuple[float, float], feed: list, settings: Settings) -> dict:
    """Feed tasks on a small square map around home (north up), gathered into places whose
    pins never overlap: a pin shows the number of its nearest task in the list, with "+" when
    others stand there too. Also the map's width in metres, so the page can say how far it
    reaches, and the street map's data when tiles are configured."""
    if not feed:
        return {"points": [], "width_m": 0}
    size = 300
    span = max(max(abs(t.lat - home[0]), abs(t.lng - home[1]) * 0.8) for t in feed) or 0.001
    half = size / 2 - 16

    def project(lat: float, lng: float) -> tuple[float, float]:
        return (
            round(size / 2 + (lng - home[1]) * 0.8 / span * half, 1),
            round(size / 2 - (lat - home[0]) / span * half, 1),
        )

    home_mark = maps.Marker(home[0], home[1], "home")
    markers = [home_mark] + [
        maps.Marker(t.lat, t.lng, "priority" if t.priority else "task", n)
        for n, t in enumerate(feed, start=1)
    ]
    places = maps.places(markers, project)
    pin_of = {}
    for place in places:
        numbers = [m.item for m in place.markers if m.item is not None]
        place.label = f"{numbers[0]}+" if len(numbers) > 1 else "".join(map(str, numbers))
        pin_of.update({n: place.label for n in numbers})
    tiles = mapview.street(settings)
    return {
        "points": places,
        "svg": Markup("".join(maps.pin_svg(p) for p in places)),
        "pin_of": pin_of,
        "width_m": int(round(span * 111_000 * size / half, -1)),
        "leaflet": mapview.for_leaflet(places, [], **tiles) if tiles else None,
    }


@get("/tasks")
async def near_me(
    request: Request, settings: Settings, category: str | None = None
) -> Template | Redirect:
    actor = await page_actor(request)
    if not has(actor, Role.VOLUNTEER):
        return to_login()
    lat, lng, reach = await _home(actor.person_id)
    feed = await tasks.feed(
        actor=actor,
        lat=lat,
        lng=lng,
        radius_m=max(reach, 3000),
        skill=None,
        category=category or None,
        limit=30,
    )
    return render(
        request,
        "tasks.html",
        actor,
        feed=feed,
        map=_map((lat, lng), feed, settings),
        categories=settings.categories,
        category=category or "",
    )


async def _next_nearest(actor, task_id: int):
    """The nearest open task other than the one just lost, to offer instead."""
    lat, lng, reach = await _home(actor.person_id)
    feed = await tasks.feed(
        actor=actor,
        lat=lat,
        lng=lng,
        radius_m=max(reach, 3000),
        skill=None,
        category=None,
        limit=5,
    )
    return next((t for t in feed if t.id != task_id), None)


@post("/tasks/{task_id:int}/claim")
async def claim(request: Request, task_id: int, settings: Settings) -> Template | Redirect:
    """htmx: claim and answer with a fragment; a lost race says so and offers the next nearest."""
    actor = await page_actor(request)
    if actor is None:
        return to_login()
    _ = gettext_for(request)
    try:
        task = await tasks.claim(actor=actor, task_id=task_id, settings=settings)
        return render(
            request,
            "_claim_result.html",
            actor,
            task=task,
            won=True,
            message=_("Claimed! It is in My tasks."),
        )
    except DomainError as exc:
        nxt = await _next_nearest(actor, task_id) if isinstance(exc, Conflict) else None
        message = say(request, exc)  # a lost race says so in words
        return render(
            request,
            "_claim_result.html",
            actor,
            task=None,
            won=False,
            message=message,
            next_task=nxt,
        )


@get("/my-tasks")
async def my_tasks(request: Request) -> Template | Redirect:
    actor = await page_actor(request)
    if actor is None:
        return to_login()
    return await _my_tasks_page(request, actor)


async def _my_tasks_page(request: Request, actor, failed: dict | None = None) -> Template:
    """The volunteer's tasks; `failed` is a fulfil form sent back: its task, what was typed and
    each refusal beside its field."""
    claims = await tasks.my_claims(actor=actor, active_only=False)
    active = [c for c in claims if c.status == "active"]
    details = {c.task.id: await tasks.get_task(actor=actor, task_id=c.task.id) for c in active}
    return render(
        request,
        "my_tasks.html",
        actor,
        status_code=400 if failed else 200,
        active=active,
        details=details,
        done=[c for c in claims if c.status != "active"][:20],
        failed=failed or {"task": None, "values": {}, "errors": {}},
    )


async def _respond(request: Request, action) -> Redirect:
    return await perform(request, await page_actor(request), action, "/my-tasks")


@post("/my-tasks/{task_id:int}/accept")
async def accept(request: Request, task_id: int) -> Redirect:
    return await _respond(request, lambda a: responses.accept(actor=a, task_id=task_id))


@post("/my-tasks/{task_id:int}/decline")
async def decline(request: Request, task_id: int) -> Redirect:
    return await _respond(request, lambda a: responses.decline(actor=a, task_id=task_id, reason=""))


@post("/my-tasks/{task_id:int}/release")
async def release(request: Request, task_id: int) -> Template | Redirect:
    if not confirm.confirmed(await form_dict(request)):
        actor = await page_actor(request)
        if actor is None:
            return to_login()
        task = await tasks.visible_task(actor=actor, task_id=task_id)
        return confirm.ask(
            request, actor, code="confirm_release_task", back_to="/my-tasks", title=task["title"]
        )
    return await _respond(request, lambda a: tasks.release(actor=a, task_id=task_id))


@post("/my-tasks/{task_id:int}/fulfil")
async def fulfil(request: Request, task_id: int) -> Template | Redirect:
    """圆梦: a refusal comes back beside its field with what was typed kept (full-width digits
    read as digits)."""
    actor = await page_actor(request)
    if actor is None:
        return to_login()
    data = await form_dict(request)
    raw = unicodedata.normalize("NFKC", data.get("hours", "")).strip()
    try:
        hours = float(raw or 0)
    except ValueError:
        hours = 0
    if not 0 < hours <= 200:
        errors = {"hours": t(request, "Hours must be a number above 0.")}
        return await _my_tasks_page(request, actor, _failed(task_id, data, errors))
    try:
        await tasks.fulfil(
            actor=actor,
            task_id=task_id,
            hours=hours,
            note=data.get("note", ""),
            code=unicodedata.normalize("NFKC", data.get("visit_code", "")).strip(),
        )
    except DomainError as exc:
        errors = field_errors(request, exc, ["hours", "note", "visit_code"])
        return await _my_tasks_page(request, actor, _failed(task_id, data, errors))
    flash(request, t(request, "Done."))
    return back("/my-tasks")


def _failed(task_id: int, data: dict, errors: dict) -> dict:
    return {"task": task_id, "values": data, "errors": errors}


@get("/record")
async def my_record(request: Request) -> Template | Redirect:
    actor = await page_actor(request)
    if actor is None:
        return to_login()
    return render(
        request,
        "record.html",
        actor,
        record=await record.record(person_id=actor.person_id),
        points=await points.mine(actor=actor),
    )


@get("/store")
async def store(request: Request) -> Template | Redirect:
    actor = await page_actor(request)
    if not has(actor, Role.VOLUNTEER):
        return to_login()
    communities = await tasks.volunteer_communities(actor)
    items = [i for c in communities for i in await points.store(actor=actor, community_id=c)]
    return render(
        request, "store.html", actor, items=items, balance=await points.balance(actor.person_id)
    )


@post("/store/{item_id:int}/redeem")
async def redeem(request: Request, item_id: int) -> Redirect:
    actor = await page_actor(request)
    if actor is None:
        return to_login()
    try:
        await points.redeem(actor=actor, item_id=item_id)
        flash(request, t(request, "Redeemed. A coordinator will hand it over."))
    except DomainError as exc:
        flash(request, say(request, exc), "error")
    return back("/store")


ROUTES = [near_me, claim, my_tasks, accept, decline, release, fulfil, my_record, store, redeem]
