"""Refusals with a code shown in the page's language from the message catalogue (the domains'
messages.py), beside the field they name: zh-CN first."""

from __future__ import annotations

from litestar import Request
from litestar.response import Redirect

from marketplace import messages
from marketplace.accounts.rules import Actor
from marketplace.errors import DomainError, NotFound
from marketplace.web.common import LANG_COOKIE, back, field_errors, flash, t, to_login
from marketplace.web.forms import FormInvalid


def lang_of(request: Request) -> str:
    return "en" if request.cookies.get(LANG_COOKIE) == "en" else "zh-CN"


def errors_for(request: Request, exc: Exception, fields: list[str]) -> dict[str, str]:
    """{field: message}: a domain error with its own code rendered from the catalogue, else the
    page's usual rewording of the form decoder's or a service's message (generic codes keep
    their words)."""
    if (
        isinstance(exc, DomainError)
        and exc.code != type(exc).default_code
        and exc.code in messages.catalogue()
    ):
        text = messages.render(exc.code, lang_of(request), exc.params, exc.message)
        return {exc.field if exc.field in fields else "_form": text}
    return field_errors(request, exc, fields)


async def act(request: Request, actor: Actor | None, action, to: str) -> Redirect:
    """Run an action for the signed-in person and come back to `to`, with a flash saying it was
    done or why not (in the page's language); an object they may not see stays a 404."""
    if actor is None:
        return to_login()
    try:
        await action(actor)
        flash(request, t(request, "Done."))
    except NotFound:
        raise
    except (FormInvalid, DomainError) as exc:
        flash(request, next(iter(errors_for(request, exc, []).values())), "error")
    return back(to)
