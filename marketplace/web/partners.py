"""Partner pages: register (组织备案), our units, their open tasks and sign-up."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.response import Redirect, Template

from marketplace.errors import DomainError
from marketplace.org.tables import Community, SubDistrict
from marketplace.partners import service as partners
from marketplace.partners.rules import PartnerKind
from marketplace.partners.schemas import PartnerCreate
from marketplace.web.common import back, field_errors, flash, page_actor, render, say, t, to_login
from marketplace.web.forms import FormInvalid, decode, form_dict

FIELDS = [
    "name",
    "kind",
    "sub_district_id",
    "contact_name",
    "contact_phone",
    "communities",
    "people",
    "weekly_hours",
]


@get("/partners")
async def my_partners(request: Request) -> Template | Redirect:
    actor = await page_actor(request)
    if actor is None:
        return to_login()
    return await _page(request, actor)


async def _page(request: Request, actor, errors=None, values=None, status_code: int = 200):
    units = await partners.list_partners(actor=actor, status=None, mine=True)
    open_tasks = {}
    for unit in units:
        if unit.status == "certified":
            open_tasks[unit.id] = await partners.unit_tasks(actor=actor, unit_id=unit.id)
    return render(
        request,
        "partners.html",
        actor,
        units=units,
        open_tasks=open_tasks,
        kinds=[k.value for k in PartnerKind],
        subs=await SubDistrict.select(),
        communities=await Community.select(),
        errors=errors or {},
        values=values or {},
        status_code=status_code,
    )


@post("/partners")
async def register(request: Request) -> Template | Redirect:
    actor = await page_actor(request)
    if actor is None:
        return to_login()
    data = await form_dict(request, lists=("communities", "skills"))
    try:
        await partners.register(actor=actor, data=decode(PartnerCreate, data))
    except (FormInvalid, DomainError) as exc:
        errors = field_errors(request, exc, FIELDS)  # every problem beside its field
        return await _page(request, actor, errors=errors, values=data, status_code=400)
    flash(request, t(request, "Registered. A coordinator will certify it."))
    return back("/partners")


@post("/partners/{unit_id:int}/tasks/{task_id:int}/claim")
async def sign_up(request: Request, unit_id: int, task_id: int) -> Redirect:
    actor = await page_actor(request)
    if actor is None:
        return to_login()
    try:
        await partners.claim_for_unit(actor=actor, unit_id=unit_id, task_id=task_id)
        flash(request, t(request, "Signed up."))
    except DomainError as exc:
        flash(request, say(request, exc), "error")
    return back("/partners")


ROUTES = [my_partners, register, sign_up]
