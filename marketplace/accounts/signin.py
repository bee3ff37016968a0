"""Sign-in by code, sign-up and password setting as whole requests, for the API and the pages
alike: normalise the phone once, apply the limits, call the code service, start the session."""

from __future__ import annotations

from typing import Any

from marketplace.accounts import codes, limits
from marketplace.accounts.rules import check_name, normalise_phone
from marketplace.accounts.sessions import start_session
from marketplace.errors import InvalidInput
from marketplace.settings import Settings
from marketplace.sms.sender import Sender


def sender_of(request: Any) -> Sender:
    return request.app.state["sms_sender"]


async def request_code(request: Any, *, phone: str, purpose: str, settings: Settings) -> str:
    """Text a code to the phone; returns the normalised phone."""
    normalised = normalise_phone(phone)
    await codes.send_code(
        phone=normalised,
        purpose=purpose,
        client=limits.client_of(request),
        store=request.app.stores.get("login_limits"),
        sender=sender_of(request),
        settings=settings,
    )
    return normalised


async def _guarded(request: Any, settings: Settings, action) -> tuple[int, int]:
    """Run a code check under the client and overall sign-in limits; a wrong code counts as
    a failed sign-in there (the code itself allows 5 tries)."""
    guard = limits.for_request(request, settings)
    client = limits.client_of(request)
    await guard.check(phone=None, client=client)
    try:
        return await action()
    except InvalidInput as exc:
        if exc.code in ("accounts_code_invalid", "accounts_code_too_many_tries"):
            await guard.failed(phone=None, client=client)
        raise


async def sign_in_with_code(request: Any, *, phone: str, code: str, settings: Settings) -> int:
    """验证码登录. Raises NotFound(accounts_not_registered) for a phone with no account: the
    caller then offers the sign-up, with the same code."""
    normalised = normalise_phone(phone)
    person_id, epoch = await _guarded(
        request,
        settings,
        lambda: codes.sign_in_by_code(phone=normalised, code=code, settings=settings),
    )
    await start_session(request, person_id=person_id, epoch=epoch)
    return person_id


async def sign_up_with_code(
    request: Any, *, phone: str, code: str, name: str, compound_id: int, settings: Settings
) -> int:
    """注册 with the code just sent; the new resident is signed in."""
    normalised = normalise_phone(phone)
    check_name(name)
    person_id, epoch = await _guarded(
        request,
        settings,
        lambda: codes.sign_up(
            phone=normalised, code=code, name=name, compound_id=compound_id, settings=settings
        ),
    )
    await start_session(request, person_id=person_id, epoch=epoch)
    return person_id


async def set_password_with_code(
    request: Any, *, phone: str, code: str, password: str, settings: Settings
) -> int:
    """Set or reset the password by code; every other session of the person ends and this
    request gets a fresh one."""
    normalised = normalise_phone(phone)
    person_id, epoch = await _guarded(
        request,
        settings,
        lambda: codes.set_password_by_code(
            phone=normalised, code=code, password=password, settings=settings
        ),
    )
    await start_session(request, person_id=person_id, epoch=epoch)
    return person_id


async def change_password(
    request: Any, *, person_id: int, current: str, new: str, settings: Settings
) -> None:
    """Change the password while signed in: a wrong current password counts as a failed
    sign-in of the client; every other session ends and this one is renewed."""
    from marketplace.accounts import service

    guard = limits.for_request(request, settings)
    client = limits.client_of(request)
    await guard.check(phone=None, client=client)
    try:
        epoch = await service.change_password(person_id=person_id, current=current, new=new)
    except InvalidInput as exc:
        if exc.code == "accounts_current_password_wrong":
            await guard.failed(phone=None, client=client)
        raise
    await start_session(request, person_id=person_id, epoch=epoch)
