"""People pages: applying to volunteer, certifying applications, granting roles (zh-CN first)."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.response import Redirect, Template

from marketplace.accounts.rules import Role
from marketplace.errors import DomainError, NotFound
from marketplace.org import service as org
from marketplace.volunteers import certification, grants
from marketplace.volunteers import service as volunteers
from marketplace.volunteers.rules import ApplicationKind
from marketplace.volunteers.schemas import ApplicationCreate, GrantCreate
from marketplace.web.coded import act, errors_for
from marketplace.web.common import back, field_errors, flash, has, page_actor, render, t, to_login
from marketplace.web.forms import FormInvalid, decode, form_dict, sent_back

SKILLS = (
    "tutoring",
    "repairs",
    "companionship",
    "errands",
    "medical_escort",
    "goods",
    "electrician",
    "other",
)


@get("/volunteer/apply")
async def apply_page(request: Request) -> Template | Redirect:
    actor = await page_actor(request)
    if actor is None:
        return to_login()
    try:
        mine = await volunteers.my_application(actor=actor)
    except NotFound:
        mine = None
    return render(
        request,
        "volunteer_apply.html",
        actor,
        mine=mine,
        kinds=[k.value for k in ApplicationKind],
        skills=SKILLS,
        tree=await org.tree(),
        errors={},
        values={},
    )


def _application(data: dict) -> dict:
    """The form's flat fields as the API's body (home picked by building or compound)."""
    home = {k: data.pop(k) for k in ("building_id", "compound_id") if data.get(k)}
    data["sub_district_wide"] = data.get("sub_district_wide") == "on"
    if home:
        data["home"] = {k: int(v) for k, v in home.items()}
    return data


@post("/volunteer/apply")
async def apply(request: Request) -> Template | Redirect:
    actor = await page_actor(request)
    if actor is None:
        return to_login()
    data = await form_dict(request, lists=("skills",))
    try:
        await volunteers.apply(
            actor=actor, data=decode(ApplicationCreate, _application(dict(data)))
        )
    except (FormInvalid, DomainError) as exc:
        fields = ["kind", "party_branch", "skills", "weekly_hours", "community_id", "home"]
        return render(
            request,
            "volunteer_apply.html",
            actor,
            status_code=400,
            mine=None,
            kinds=[k.value for k in ApplicationKind],
            skills=SKILLS,
            tree=await org.tree(),
            errors=errors_for(request, exc, fields),
            values=data,
        )
    flash(request, t(request, "Sent. A coordinator of your community will certify you."))
    return back("/volunteer/apply")


async def _coordinator(request: Request):
    actor = await page_actor(request)
    return actor if has(actor, Role.COORDINATOR, Role.ADMIN) else None


@get("/people")
async def people(request: Request) -> Template | Redirect:
    """Coordinators: applications to decide, volunteers to suspend or reinstate, role grants."""
    actor = await _coordinator(request)
    if actor is None:
        return to_login()
    return await _people_page(request, actor)


async def _people_page(request: Request, actor, grant=None, failed=None) -> Template:
    """`grant` is a refused grant form, `failed` an application's decision sent back: what was
    typed and each refusal beside its field."""
    return render(
        request,
        "people.html",
        actor,
        status_code=400 if grant or failed else 200,
        applications=await volunteers.list_applications(actor=actor, status=None),
        grants=await grants.list_grants(actor=actor),
        communities=await org.communities_of(actor, Role.COORDINATOR, Role.ADMIN),
        tree=await org.tree(),
        grant=grant or {"values": {}, "errors": {}},
        failed=failed or sent_back(),
    )


@post("/people/applications/{application_id:int}/{action:str}")
async def decide(request: Request, application_id: int, action: str) -> Template | Redirect:
    """Certify, reject or suspend (with a reason), reinstate; a refusal comes back on the
    application's card, beside the reason, what was typed kept."""
    if action not in ("certify", "reject", "suspend", "reinstate"):
        raise NotFound("No such action.", code="not_found")
    actor = await _coordinator(request)
    if actor is None:
        return to_login()
    data = await form_dict(request)
    try:
        await certification.decide(
            actor=actor,
            application_id=application_id,
            action=action,
            reason=data.get("reason") or "",
        )
    except DomainError as exc:
        if isinstance(exc, NotFound) and exc.field is None:
            raise
        errors = errors_for(request, exc, ["reason"])
        return await _people_page(request, actor, failed=sent_back(application_id, data, errors))
    flash(request, t(request, "Done."))
    return back("/people")


@post("/people/grants")
async def grant(request: Request) -> Template | Redirect:
    actor = await _coordinator(request)
    if actor is None:
        return to_login()
    typed = await form_dict(request)
    data = dict(typed)
    scope = data.pop("scope", "") or ""
    kind, _, value = scope.partition(":")
    if value.isdigit():
        data["community_id" if kind == "c" else "sub_district_id"] = value
    try:
        await grants.grant(actor=actor, data=decode(GrantCreate, data))
    except (FormInvalid, DomainError) as exc:
        if isinstance(exc, NotFound) and exc.field is None:
            raise
        errors = field_errors(request, exc, ["phone", "role", "scope", "title"])
        where = [errors.pop(k) for k in ("community_id", "sub_district_id") if k in errors]
        if where:
            errors["scope"] = " ".join(where)
        return await _people_page(request, actor, {"values": typed, "errors": errors})
    flash(request, t(request, "Done."))
    return back("/people")


@post("/people/grants/{grant_id:int}/revoke")
async def revoke(request: Request, grant_id: int) -> Redirect:
    return await act(
        request,
        await _coordinator(request),
        lambda a: grants.revoke(actor=a, grant_id=grant_id),
        "/people",
    )


ROUTES = [apply_page, apply, people, decide, grant, revoke]


def _(message: str) -> str:  # marks the words built in templates for `pybabel extract`
    return message


VOCABULARY = [
    _("application_pending"),
    _("application_certified"),
    _("application_rejected"),
    _("application_suspended"),
    _("party_in_service"),
    _("party_resident"),
    _("ordinary"),
    _("roster_residents"),
    _("roster_volunteers"),
    _("roster_grid_workers"),
    _("grid_worker"),
    _("coordinator"),
    _("volunteer"),
    _("resident"),
    _("admin"),
]
