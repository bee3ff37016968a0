"""Pages to sign in by code (验证码登录), sign up (注册) and set or reset a password: the same
flows as the API (marketplace/accounts/signin.py), one step per screen, zh-CN first."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.response import Redirect, Template

from marketplace.accounts import signin
from marketplace.accounts.rules import check_name, normalise_phone
from marketplace.errors import DomainError, NotFound
from marketplace.org import service as org
from marketplace.settings import Settings
from marketplace.web.common import back, field_errors, flash, page_actor, render, t
from marketplace.web.forms import FormInvalid, blank, form_dict, refuse, rule, sent_back

PHONE = ["phone"]
CODE = ["code"]
SIGN_UP = ["name", "compound_id", "code"]
PASSWORD = ["code", "password"]
CHANGE = ["current_password", "new_password"]


def _password_problems(data: dict, phone: str | None) -> list:
    """What the password form can tell before a code's try is spent: a blank code, a new
    password the policy refuses (too short, common, the phone number)."""
    from marketplace.accounts.rules import check_password_policy

    password = data.get("password") or ""
    return blank(data, "code") + rule(lambda: check_password_policy(password, phone=phone))


@get("/login/code")
async def code_form(request: Request) -> Template:
    """Step 1: the phone number."""
    return render(request, "login_code.html", await page_actor(request), step="phone", errors={})


@post("/login/code/send")
async def code_send(request: Request, settings: Settings) -> Template:
    """Text the code; step 2 asks for it."""
    data = await form_dict(request)
    phone = data.get("phone") or ""
    purpose = "password" if data.get("purpose") == "password" else "sign_in"
    page = "password.html" if purpose == "password" else "login_code.html"
    try:
        phone = await signin.request_code(request, phone=phone, purpose=purpose, settings=settings)
    except DomainError as exc:
        return render(
            request,
            page,
            None,
            status_code=exc.status_code,
            step="phone",
            phone=phone,
            errors=field_errors(request, exc, PHONE),
        )
    return render(request, page, None, step="code", phone=phone, errors={})


@post("/login/code")
async def code_login(request: Request, settings: Settings) -> Template | Redirect:
    """Step 2: the code. A phone with no account goes on to the sign-up with the same code."""
    data = await form_dict(request)
    phone, code = data.get("phone") or "", data.get("code") or ""
    try:
        await signin.sign_in_with_code(request, phone=phone, code=code, settings=settings)
    except NotFound as exc:
        if exc.code != "accounts_not_registered":
            raise
        return await _signup_page(request, phone=phone, code=code, errors={})
    except DomainError as exc:
        return render(
            request,
            "login_code.html",
            None,
            status_code=exc.status_code,
            step="code",
            phone=phone,
            code=code,
            errors=field_errors(request, exc, CODE),
        )
    return back("/")


async def _signup_page(request: Request, *, phone: str, code: str, errors: dict, **kw) -> Template:
    return render(
        request,
        "signup.html",
        None,
        status_code=400 if errors else 200,
        phone=phone,
        code=code,
        tree=await org.tree(),
        errors=errors,
        **kw,
    )


@get("/signup")
async def signup_start(request: Request) -> Redirect:
    """Signing up starts like a code sign-in: the phone number, then the code."""
    return Redirect(path="/login/code")


@post("/signup")
async def signup(request: Request, settings: Settings) -> Template | Redirect:
    """注册: name and compound for the phone the code was sent to."""
    data = await form_dict(request)
    phone, code, name = data.get("phone") or "", data.get("code") or "", data.get("name") or ""
    compound = data.get("compound_id") or ""
    compound_id = int(compound) if compound.isdigit() else 0
    try:  # what the form itself can tell, all at once, before the code is spent
        refuse(rule(lambda: check_name(name)) + blank(data, "compound_id"))
        await signin.sign_up_with_code(
            request,
            phone=phone,
            code=code,
            name=name,
            compound_id=compound_id,
            settings=settings,
        )
    except (FormInvalid, DomainError) as exc:
        errors = field_errors(request, exc, SIGN_UP)
        return await _signup_page(
            request, phone=phone, code=code, errors=errors, name=name, compound_id=compound_id
        )
    flash(request, t(request, "Welcome! You are signed up."))
    return back("/")


@get("/password")
async def password_form(request: Request) -> Template:
    """Set or reset the password: the phone number, then the code and the new password."""
    return render(request, "password.html", await page_actor(request), step="phone", errors={})


@post("/password")
async def password_set(request: Request, settings: Settings) -> Template | Redirect:
    """Every problem of the form at once, beside its field, the code kept (never the password);
    the code's try is spent only when the rest is right."""
    data = await form_dict(request)
    phone = data.get("phone") or ""
    try:
        refuse(_password_problems(data, _phone_or_none(phone)))
        await signin.set_password_with_code(
            request,
            phone=phone,
            code=data.get("code") or "",
            password=data.get("password") or "",
            settings=settings,
        )
    except (FormInvalid, DomainError) as exc:
        return render(
            request,
            "password.html",
            None,
            status_code=exc.status_code if isinstance(exc, DomainError) else 400,
            step="code",
            phone=phone,
            code=data.get("code") or "",
            errors=field_errors(request, exc, PASSWORD),
        )
    flash(request, t(request, "Your password is set. Other devices have been signed out."))
    return back("/")


def _phone_or_none(phone: str) -> str | None:
    try:
        return normalise_phone(phone)
    except DomainError:
        return None  # the service refuses it, beside the form


ROUTES = [code_form, code_send, code_login, signup_start, signup, password_form, password_set]


@get("/my-data")
async def my_data(request: Request) -> Template | Redirect:
    """我的数据: everything held about me, with the ways to correct, download, withdraw, close."""
    from marketplace.accounts import mydata
    from marketplace.web.common import to_login

    actor = await page_actor(request)
    if actor is None:
        return to_login()
    return render(request, "my_data.html", actor, data=await mydata.export(actor=actor), errors={})


@post("/my-data/password")
async def my_password(request: Request, settings: Settings) -> Template | Redirect:
    """Change the password with the current one; a refusal keeps the page with the error
    beside its field."""
    from marketplace.accounts import mydata
    from marketplace.accounts.rules import check_password_policy
    from marketplace.web.common import to_login

    actor = await page_actor(request)
    if actor is None:
        return to_login()
    form = await form_dict(request)
    data = await mydata.export(actor=actor)
    new = form.get("new_password") or ""
    try:  # both fields' problems at once; the current password is tried only then
        refuse(
            blank(form, "current_password")
            + rule(
                lambda: check_password_policy(
                    new, phone=data["person"].get("phone"), field="new_password"
                )
            )
        )
        await signin.change_password(
            request,
            person_id=actor.person_id,
            current=form.get("current_password") or "",
            new=new,
            settings=settings,
        )
    except (FormInvalid, DomainError) as exc:
        return render(
            request,
            "my_data.html",
            actor,
            status_code=exc.status_code if isinstance(exc, DomainError) else 400,
            data=data,
            errors=field_errors(request, exc, CHANGE),
        )
    flash(request, t(request, "Your password is changed. Other devices have been signed out."))
    return back("/my-data")


@post("/my-data")
async def my_data_correct(request: Request) -> Template | Redirect:
    """Correct my name or address; a refusal keeps what was typed, beside its field."""
    from marketplace.accounts import mydata
    from marketplace.web.common import to_login

    actor = await page_actor(request)
    if actor is None:
        return to_login()
    form = await form_dict(request)
    try:
        await mydata.correct(actor=actor, name=form.get("name"), address=form.get("address"))
    except DomainError as exc:
        return render(
            request,
            "my_data.html",
            actor,
            status_code=exc.status_code,
            data=await mydata.export(actor=actor),
            errors=field_errors(request, exc, ["name", "address"]),
            values=form,
        )
    flash(request, t(request, "Done."))
    return back("/my-data")


@post("/my-data/withdraw")
async def my_data_withdraw(request: Request) -> Redirect:
    from marketplace.accounts import mydata
    from marketplace.web.common import perform

    return await perform(
        request,
        await page_actor(request),
        lambda a: mydata.withdraw_priority_consent(actor=a),
        "/my-data",
    )


@post("/my-data/close")
async def my_data_close(request: Request) -> Template | Redirect:
    """注销; a refusal (points not yet given up, tasks still held) comes back beside the
    close form's box, as ticked."""
    from marketplace.accounts import mydata
    from marketplace.web.common import to_login

    actor = await page_actor(request)
    if actor is None:
        return to_login()
    form = await form_dict(request)
    try:
        await mydata.close_account(actor=actor, confirm_forfeit=form.get("confirm") == "on")
    except DomainError as exc:
        errors = field_errors(request, exc, ["confirm_forfeit"])
        if "confirm_forfeit" in errors:  # the form's box is named `confirm`
            errors["confirm"] = errors.pop("confirm_forfeit")
        return render(
            request,
            "my_data.html",
            actor,
            status_code=exc.status_code,
            data=await mydata.export(actor=actor),
            errors={},
            closing=sent_back("close", form, errors),
        )
    request.clear_session()
    return back("/")


ROUTES += [my_data, my_password, my_data_correct, my_data_withdraw, my_data_close]
