"""Coordinator pages for what partners and projects need: certify partners, draft projects
(also from a cluster of wishes), stock the points store and hand items over; and the volunteer's
own profile."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.response import Redirect, Template

from marketplace.accounts import service as accounts
from marketplace.accounts.rules import Role
from marketplace.accounts.schemas import VolunteerProfileUpdate
from marketplace.core import vocabulary
from marketplace.errors import Conflict, DomainError, InvalidInput, NotFound
from marketplace.org import service as org
from marketplace.org.tables import Community
from marketplace.partners import service as partners
from marketplace.points import service as points
from marketplace.points.schemas import ItemCreate
from marketplace.projects import clusters
from marketplace.projects import service as projects
from marketplace.projects.schemas import FromClusterInput, ProjectCreate, SlotCreate
from marketplace.settings import Settings
from marketplace.validation import Problem, normalise_form, problems
from marketplace.volunteers import certification
from marketplace.volunteers.certification import home_picked
from marketplace.volunteers.schemas import HomeInput
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
from marketplace.web.forms import FormInvalid, clean, decode, form_dict, refuse, sent_back


async def _coordinator(request: Request):
    actor = await page_actor(request)
    return actor if has(actor, Role.COORDINATOR, Role.ADMIN) else None


@get("/manage")
async def manage(request: Request, settings: Settings) -> Template | Redirect:
    actor = await _coordinator(request)
    if actor is None:
        return to_login()
    return await _manage_page(request, actor, settings)


async def _manage_page(
    request: Request,
    actor,
    settings: Settings,
    errors=None,
    values=None,
    status_code: int = 200,
    store=None,
    failed=None,
) -> Template:
    """The page; `errors`/`values` belong to the project form, `store` to the store's, `failed`
    to a partner's or a cluster's form (a refused form comes back with what was typed and each
    refusal beside its field)."""
    found = await clusters.find(actor=actor, settings=settings)
    if failed and str(failed["form"]).startswith("cluster:"):
        shown = {f"cluster:{c.community_id}:{c.category}" for c in found}
        if failed["form"] not in shown:  # gone meanwhile: its refusal heads the list
            failed = {**failed, "form": "clusters"}
    communities = await org.communities_of(actor, Role.COORDINATOR, Role.ADMIN)
    units = [
        u
        for u in await partners.list_partners(actor=actor, status=None, mine=False)
        if u.status != "certified" or u.contact_phone is not None
    ]
    return render(
        request,
        "manage.html",
        actor,
        units=units,
        clusters=found,
        communities=await Community.select().where(Community.id.is_in(communities or [-1])),
        items={c: await points.store(actor=actor, community_id=c) for c in communities},
        pending=[r for c in communities for r in await points.pending(actor=actor, community_id=c)],
        skills=list(vocabulary.SKILLS),
        errors=errors or {},
        values=values or {},
        store=store or {"errors": {}, "values": {}},
        failed=failed or sent_back(),
        status_code=status_code,
    )


@post("/manage/partners/{unit_id:int}/{action:str}")
async def partner_action(
    request: Request, unit_id: int, action: str, settings: Settings
) -> Template | Redirect:
    """Certify, suspend (with a reason) or reinstate; a refusal comes back on the partner's
    card, beside the reason, what was typed kept."""
    actor = await _coordinator(request)
    if actor is None:
        return to_login()
    data = await form_dict(request)
    try:
        await partners.change_status(
            actor=actor, unit_id=unit_id, action=action, reason=data.get("reason", "")
        )
    except DomainError as exc:
        if isinstance(exc, NotFound) and exc.field is None:
            raise
        failed = sent_back(unit_id, data, field_errors(request, exc, ["reason"]))
        return await _manage_page(request, actor, settings, status_code=400, failed=failed)
    flash(request, t(request, "Done."))
    return back("/manage")


def _slots(data: dict) -> tuple[list[dict], list[Problem]]:
    """The slots typed on the form, and every problem of each, named by the form's field
    (role0, people1, ...)."""
    slots, found = [], []
    for i in range(3):
        if not data.get(f"role{i}") and i > 0:
            continue
        slot = {
            "role": data.get(f"role{i}") or "",
            "people": normalise_form(data.get(f"people{i}") or 1),
            "hours": normalise_form(data.get(f"hours{i}") or 1),
            "skills": data.get(f"skills{i}") or [],  # ticked from the vocabulary
        }
        slots.append(slot)
        found += [
            Problem(f"{p.field}{i}", p.code, p.params)
            for p in problems(SlotCreate, slot, strict=False)
        ]
    return slots, found


@post("/manage/projects")
async def new_project(request: Request, settings: Settings) -> Template | Redirect:
    actor = await _coordinator(request)
    if actor is None:
        return to_login()
    data = await form_dict(request, lists=("skills0", "skills1", "skills2"))
    slots, found = _slots(data)
    community = data.get("community_id")
    body = {
        "title": data.get("title"),
        "scope_kind": "community",
        "scope_id": community,
        "community_id": community,
        "need": data.get("need", ""),
        "duty_type": data.get("duty_type") or "volunteering",
        "slots": slots,
    }
    found += [p for p in problems(ProjectCreate, clean(body), strict=False) if p.field != "slots"]
    try:
        if found:
            raise FormInvalid(found)
        await projects.create(actor=actor, data=decode(ProjectCreate, body), settings=settings)
    except (FormInvalid, InvalidInput, Conflict) as exc:  # each problem beside its field
        errors = field_errors(request, exc, [*_PROJECT_FIELDS, *(e.field for e in found)])
        return await _manage_page(
            request, actor, settings, errors=errors, values=data, status_code=400
        )
    flash(request, t(request, "Done."))
    return back("/projects")


_PROJECT_FIELDS = ["title", "community_id", "need", "duty_type", "skills"]


@post("/manage/clusters")
async def cluster_to_project(request: Request, settings: Settings) -> Template | Redirect:
    """A cluster of recurring wishes becomes a standing project; a refusal (a wish taken
    meanwhile) comes back on the cluster's card."""
    actor = await _coordinator(request)
    if actor is None:
        return to_login()
    form = await request.form()
    body = {
        "community_id": form.get("community_id"),
        "category": form.get("category"),
        "wish_ids": form.getall("wish_id") if "wish_id" in form else [],
    }
    try:
        await clusters.to_project(
            actor=actor, data=decode(FromClusterInput, body), settings=settings
        )
    except (FormInvalid, DomainError) as exc:
        if isinstance(exc, NotFound) and exc.field is None:
            raise
        which = f"cluster:{body['community_id']}:{body['category']}"
        failed = sent_back(which, body, field_errors(request, exc, []))
        return await _manage_page(request, actor, settings, status_code=400, failed=failed)
    flash(request, t(request, "Done."))
    return back("/projects")


@post("/manage/store")
async def add_item(request: Request, settings: Settings) -> Template | Redirect:
    actor = await _coordinator(request)
    if actor is None:
        return to_login()
    data = await form_dict(request)
    try:
        await points.add_item(actor=actor, data=decode(ItemCreate, data))
    except (FormInvalid, InvalidInput, NotFound) as exc:
        errors = field_errors(request, exc, ["community_id", "name", "price", "stock"])
        store = {"errors": errors, "values": data}
        return await _manage_page(request, actor, settings, status_code=400, store=store)
    flash(request, t(request, "Done."))
    return back("/manage")


@post("/manage/redemptions/{redemption_id:int}/hand-over")
async def hand_over(request: Request, redemption_id: int) -> Redirect:
    return await perform(
        request,
        await _coordinator(request),
        lambda a: points.hand_over(actor=a, redemption_id=redemption_id),
        "/manage",
    )


@get("/profile")
async def profile(request: Request, settings: Settings) -> Template | Redirect:
    actor = await page_actor(request)
    if not has(actor, Role.VOLUNTEER):
        return to_login()
    return await _profile_page(request, actor)


PROFILE = ["skills", "weekly_hours", "weekly_tasks", "max_distance_m"]
HOME = ["home", "compound_id", "building_id", "lat", "lng", "home_lat", "home_lng"]


async def _profile_page(request: Request, actor, errors=None, values=None) -> Template:
    """The profile form; a refused one comes back with what was typed and each refusal beside
    its field (the home's beside the picker)."""
    return render(
        request,
        "profile.html",
        actor,
        status_code=400 if errors else 200,
        me=await accounts.me(actor=actor),
        skills=list(vocabulary.SKILLS),
        tree=await org.tree(),
        current=await home_picked(person_id=actor.person_id),
        values=values or {},
        errors=errors or {},
    )


async def _save_profile(actor, data: dict) -> None:
    """The home comes from the picker (building, compound) or the browser's location; the
    rest of the profile as before. Every problem of both is found before anything is saved."""
    home = {k: data.pop(k, None) or None for k in ("compound_id", "building_id", "lat", "lng")}
    me = await accounts.me(actor=actor)
    stored = me.volunteer.home_lat if me.volunteer else None
    found = problems(HomeInput, clean(home), strict=False) if any(home.values()) else []
    if not any(home.values()) and stored is None:
        found.append(Problem("home", "validation_choose"))
    found += problems(
        VolunteerProfileUpdate, {**clean(data), "home_lat": 0, "home_lng": 0}, strict=False
    )
    refuse(found)
    if any(home.values()):
        picked = await certification.set_home(actor=actor, data=decode(HomeInput, home))
        data["home_lat"], data["home_lng"] = picked.lat, picked.lng
    elif me.volunteer:
        data["home_lat"], data["home_lng"] = me.volunteer.home_lat, me.volunteer.home_lng
    await accounts.update_volunteer_profile(actor=actor, data=decode(VolunteerProfileUpdate, data))


@post("/profile")
async def save_profile(request: Request) -> Template | Redirect:
    actor = await page_actor(request)
    if not has(actor, Role.VOLUNTEER):
        return to_login()
    data = await form_dict(request, lists=("skills",))
    try:
        await _save_profile(actor, dict(data))
    except (FormInvalid, InvalidInput, Conflict) as exc:
        errors = field_errors(request, exc, [*PROFILE, *HOME])
        home = [errors.pop(k) for k in HOME if k in errors]  # one picker for the home
        if home:
            errors["home"] = " ".join(home)
        return await _profile_page(request, actor, errors, data)
    flash(request, t(request, "Done."))
    return back("/profile")


ROUTES = [
    manage,
    partner_action,
    new_project,
    cluster_to_project,
    add_item,
    hand_over,
    profile,
    save_profile,
]
