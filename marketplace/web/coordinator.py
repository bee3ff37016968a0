"""Coordinator pages: the review queue, matching runs with live progress and dispatch, stale
claims, commitments, projects and the dashboard."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.response import Redirect, Template

from marketplace.accounts.rules import Role
from marketplace.dispatch import responses
from marketplace.dispatch import service as dispatch
from marketplace.dispatch.executors import with_worker_status
from marketplace.dispatch.schemas import RunCreate
from marketplace.errors import DomainError, NotFound
from marketplace.org.tables import Community
from marketplace.projects import clusters as project_clusters
from marketplace.projects import service as projects
from marketplace.projects.schemas import EvaluateInput
from marketplace.projects.tables import Project
from marketplace.service_record import service as record
from marketplace.settings import Settings
from marketplace.tasks import service as tasks
from marketplace.web import confirm, dashboard, mapview
from marketplace.web.common import (
    LANG_COOKIE,
    back,
    field_errors,
    flash,
    gettext_for,
    has,
    page_actor,
    page_language,
    perform,
    render,
    t,
    to_login,
)
from marketplace.web.forms import FormInvalid, blank, decode, form_dict, refuse, sent_back
from marketplace.web.i18n import language
from marketplace.wishes import lifecycle
from marketplace.wishes import service as wishes
from marketplace.wishes.schemas import PublishInput, RejectInput


async def _coordinator(request: Request):
    actor = await page_actor(request)
    return actor if has(actor, Role.COORDINATOR, Role.ADMIN) else None


@get("/review")
async def review(request: Request, settings: Settings) -> Template | Redirect:
    actor = await _coordinator(request)
    if actor is None:
        return to_login()
    return await _review_page(request, actor, settings)


async def _review_page(request: Request, actor, settings: Settings, failed=None) -> Template:
    """The review queue; `failed` is a wish's reject form sent back (the reason kept, each
    refusal beside its field)."""
    queue = await wishes.list_wishes(
        actor=actor, mine=False, status="submitted", community_id=None, limit=100, offset=0
    )
    reviews = [await lifecycle.review(actor=actor, wish_id=w.id, settings=settings) for w in queue]
    confirmed = await wishes.list_wishes(
        actor=actor, mine=False, status="confirmed", community_id=None, limit=50, offset=0
    )
    return render(
        request,
        "review.html",
        actor,
        status_code=400 if failed else 200,
        reviews=reviews,
        confirmed=confirmed,
        negative_list=sorted(settings.negative_list),
        failed=failed or sent_back(),
    )


async def _do(request: Request, action, to: str) -> Redirect:
    return await perform(request, await _coordinator(request), action, to)


@post("/review/{wish_id:int}/publish")
async def publish(request: Request, wish_id: int, settings: Settings) -> Redirect:
    data = await form_dict(request)
    body = PublishInput(override_negative_list=data.get("override") == "on")
    return await _do(
        request,
        lambda a: lifecycle.publish(actor=a, wish_id=wish_id, data=body, settings=settings),
        "/review",
    )


@post("/review/{wish_id:int}/reject")
async def reject(request: Request, wish_id: int, settings: Settings) -> Template | Redirect:
    """Reject with a reason for the resident; a refusal comes back beside the reason, kept."""
    actor = await _coordinator(request)
    if actor is None:
        return to_login()
    data = await form_dict(request)
    try:
        refuse(blank(data, "reason"))
        body = decode(
            RejectInput,
            {"reason": data.get("reason", ""), "negative_list_code": data.get("code") or None},
        )
        await lifecycle.reject(actor=actor, wish_id=wish_id, data=body, settings=settings)
    except (FormInvalid, DomainError) as exc:
        if isinstance(exc, NotFound) and exc.field is None:
            raise
        errors = field_errors(request, exc, ["reason", "negative_list_code"])
        if "negative_list_code" in errors:  # the form's select is named `code`
            errors["code"] = errors.pop("negative_list_code")
        return await _review_page(request, actor, settings, sent_back(wish_id, data, errors))
    flash(request, t(request, "Done."))
    return back("/review")


@post("/review/{wish_id:int}/announce")
async def announce(request: Request, wish_id: int) -> Redirect:
    return await _do(request, lambda a: lifecycle.announce(actor=a, wish_id=wish_id), "/review")


async def _scopes(actor) -> list[dict]:
    """The areas this person may run a matching for, by their own names (社区1, 八大湖街道)."""
    from marketplace.org.tables import SubDistrict

    out = []
    for s in actor.scopes(Role.COORDINATOR, Role.ADMIN):
        if s.community_id:
            c = await Community.select(Community.name).where(Community.id == s.community_id).first()
            out.append({"kind": "community", "id": s.community_id, "name": c["name"] if c else ""})
        elif s.sub_district_id:
            d = await SubDistrict.select(SubDistrict.name).where(
                SubDistrict.id == s.sub_district_id
            )
            out.append(
                {"kind": "sub_district", "id": s.sub_district_id, "name": d[0]["name"] if d else ""}
            )
    return out


@get("/matching")
async def matching(request: Request) -> Template | Redirect:
    actor = await _coordinator(request)
    if actor is None:
        return to_login()
    return await _matching_page(request, actor)


async def _matching_page(
    request: Request, actor, errors=None, values=None, status_code: int = 200, busy=None
) -> Template:
    """The scope form (what was chosen kept, each refusal beside its field) and recent runs."""
    return render(
        request,
        "matching.html",
        actor,
        status_code=status_code,
        scopes=await _scopes(actor),
        runs=await dispatch.list_runs(actor=actor, limit=10),
        errors=errors or {},
        values=values or {"continuity": "on"},
        busy=busy,
    )


@post("/matching")
async def start_run(request: Request) -> Template | Redirect:
    actor = await _coordinator(request)
    if actor is None:
        return to_login()
    data = await form_dict(request)
    kind, _, scope_id = (data.get("scope") or ":").partition(":")
    try:
        body = decode(
            RunCreate,
            {
                "scope_kind": kind,
                "scope_id": scope_id,
                "fairness": data.get("fairness") == "on",
                "continuity": data.get("continuity") == "on",
            },
        )
        run = await dispatch.request_run(
            actor=actor, data=body, executor=request.app.state.executor
        )
    except (FormInvalid, DomainError) as exc:
        errors = field_errors(request, exc, ["scope_kind", "scope_id"])
        # the form has one control for the area: its kind, id and a busy run are said beside it
        beside = [errors.pop(k) for k in ("scope_kind", "scope_id") if k in errors]
        busy = getattr(exc, "params", {}).get("run_id")
        if busy:
            beside.append(errors.pop("_form"))
        if beside:
            errors["scope"] = " ".join(beside)
        status = exc.status_code if isinstance(exc, DomainError) else 400
        return await _matching_page(request, actor, errors, data, status, busy)
    return back(f"/matching/{run.id}")


async def _with_worker_status(request: Request, run):
    """A queued run says when no worker is running to take it."""
    lang = "en" if language(request.cookies.get(LANG_COOKIE)) == "en" else "zh-CN"
    return await with_worker_status(run, request.app.state.executor, lang)


@get("/matching/{run_id:int}")
async def run_page(request: Request, run_id: int, settings: Settings) -> Template | Redirect:
    actor = await _coordinator(request)
    if actor is None:
        return to_login()
    run = await _with_worker_status(request, await dispatch.get_run(actor=actor, run_id=run_id))
    proposal = (
        await dispatch.proposal(actor=actor, run_id=run_id)
        if run.state in ("proposed", "committed", "discarded")
        else None
    )
    drawn = None
    if proposal is not None:
        data = await dispatch.map_data(actor=actor, run_id=run_id)
        drawn = mapview.proposal(data, page_language(request), settings)
    return render(request, "run.html", actor, run=run, proposal=proposal, map=drawn)


@get("/matching/{run_id:int}/progress")
async def run_progress(request: Request, run_id: int) -> Template | Redirect:
    """htmx polls this fragment; once the run is done it tells the page to reload."""
    actor = await _coordinator(request)
    if actor is None:
        return to_login()
    run = await _with_worker_status(request, await dispatch.get_run(actor=actor, run_id=run_id))
    template = render(request, "_progress.html", actor, run=run)
    if run.state not in ("queued", "running"):
        template.headers["HX-Refresh"] = "true"
    return template


@post("/matching/{run_id:int}/commit")
async def commit(request: Request, run_id: int, settings: Settings) -> Redirect:
    form = await request.form()
    ids = [int(x) for x in form.getall("assignment")] if "assignment" in form else []

    async def run(actor):
        out = await dispatch.commit(
            actor=actor,
            run_id=run_id,
            assignment_ids=ids,
            settings=settings,
            publisher=request.app.state.publisher,
        )
        if out.skipped:
            flash(
                request,
                t(request, "Dispatched {n}; skipped {m} taken since the run.").format(
                    n=len(out.committed), m=len(out.skipped)
                ),
                "error",
            )

    return await _do(request, run, f"/matching/{run_id}")


@post("/matching/{run_id:int}/discard")
async def discard(request: Request, run_id: int) -> Redirect:
    return await _do(
        request, lambda a: dispatch.discard(actor=a, run_id=run_id), f"/matching/{run_id}"
    )


@get("/stale")
async def stale(request: Request, settings: Settings) -> Template | Redirect:
    actor = await _coordinator(request)
    if actor is None:
        return to_login()
    return render(
        request,
        "stale.html",
        actor,
        claims=await responses.stale_claims(actor=actor, settings=settings),
        below=await record.below_commitment(actor=actor),
    )


@post("/stale/{task_id:int}/release")
async def release(request: Request, task_id: int) -> Template | Redirect:
    if not confirm.confirmed(await form_dict(request)):
        actor = await _coordinator(request)
        if actor is None:
            return to_login()
        task = await tasks.visible_task(actor=actor, task_id=task_id)
        return confirm.ask(
            request, actor, code="confirm_recall_claim", back_to="/stale", title=task["title"]
        )
    return await _do(
        request,
        lambda a: responses.release_by_coordinator(
            actor=a, task_id=task_id, publisher=request.app.state.publisher
        ),
        "/stale",
    )


@get("/projects")
async def project_list(request: Request) -> Template | Redirect:
    actor = await page_actor(request)
    if actor is None:
        return to_login()
    return await _projects_page(request, actor)


async def _projects_page(request: Request, actor, failed=None) -> Template:
    """The opportunity list; `failed` is a project's evaluation sent back (what was typed,
    each refusal beside its field)."""
    listed = await projects.list_projects(actor=actor, status=None)
    to_confirm = {
        p.id: await projects.services_to_confirm(actor=actor, project_id=p.id) for p in listed
    }
    return render(
        request,
        "projects.html",
        actor,
        status_code=400 if failed else 200,
        projects=listed,
        to_confirm=to_confirm,
        coordinator=has(actor, Role.COORDINATOR, Role.ADMIN),
        failed=failed or sent_back(),
    )


@post("/projects/{project_id:int}/evaluate")
async def evaluate(request: Request, project_id: int) -> Template | Redirect:
    """Rate a completed project; a refusal comes back beside the rating or the evaluation, the
    evaluation kept."""
    actor = await _coordinator(request)
    if actor is None:
        return to_login()
    data = await form_dict(request)
    try:
        body = decode(
            EvaluateInput, {"rating": data.get("rating"), "evaluation": data.get("evaluation", "")}
        )
        values = {Project.rating: body.rating, Project.evaluation: body.evaluation}
        await projects.advance(actor=actor, project_id=project_id, action="evaluate", values=values)
    except (FormInvalid, DomainError) as exc:
        if isinstance(exc, NotFound) and exc.field is None:
            raise
        errors = field_errors(request, exc, ["rating", "evaluation"])
        return await _projects_page(request, actor, sent_back(project_id, data, errors))
    flash(request, t(request, "Done."))
    return back("/projects")


@post("/projects/{project_id:int}/{action:str}")
async def project_action(
    request: Request, project_id: int, action: str, settings: Settings
) -> Redirect:
    """publish, start, complete, confirm (one service's hours) or announce."""
    data = await form_dict(request)

    async def act(actor):
        if action == "publish":
            return await projects.publish(actor=actor, project_id=project_id)
        if action in ("start", "complete"):
            return await projects.advance(actor=actor, project_id=project_id, action=action)
        if action == "confirm":
            ids = [int(data["claim_id"])] if str(data.get("claim_id", "")).isdigit() else []
            return await project_clusters.confirm_service(
                actor=actor, project_id=project_id, claim_ids=ids, settings=settings
            )
        return await projects.announce(actor=actor, project_id=project_id)

    return await _do(request, act, "/projects")


@get("/dashboard")
async def dashboard_page(request: Request) -> Template | Redirect:
    actor = await _coordinator(request)
    if actor is None:
        return to_login()
    communities = await record.coordinated_communities(actor)
    charts = await dashboard.figures(communities)
    tr = gettext_for(request)
    labels = {k: tr(k) for k in [*charts["per_week"], *charts["hours_by_level"]]}
    return render(
        request,
        "dashboard.html",
        actor,
        charts=charts,
        labels=labels,
        responsibility=await record.responsibility(actor=actor),
    )


ROUTES = [
    review,
    publish,
    reject,
    announce,
    matching,
    start_run,
    run_page,
    run_progress,
    commit,
    discard,
    stale,
    release,
    project_list,
    evaluate,
    project_action,
    dashboard_page,
]
