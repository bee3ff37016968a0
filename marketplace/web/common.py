"""What every page handler shares: who is signed in, rendering with the language, flashes."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from litestar import Request
from litestar.response import Redirect, Template

from marketplace.accounts import service as accounts
from marketplace.accounts.rules import Actor, Role
from marketplace.core import vocabulary
from marketplace.errors import DomainError, NotFound
from marketplace.privacy import mask_name
from marketplace.web import messages as words
from marketplace.web.i18n import language, translations

LANG_COOKIE = "lang"
BIG_COOKIE = "big"


async def page_actor(request: Request) -> Actor | None:
    """The signed-in person from the same server-side session the API uses (while it lives:
    idle timeout, absolute lifetime, credentials epoch), or None; with the menu's unread count."""
    from marketplace.accounts.sessions import live_person
    from marketplace.notifications.service import unread_count

    signed_in = live_person(request, request.app.state.settings)
    if signed_in is None:
        return None
    actor = await accounts.load_actor(person_id=signed_in[0], epoch=signed_in[1])
    if actor is not None:  # the menu's count of unread messages
        request.state.unread = await unread_count(person_id=actor.person_id)
    return actor


@lru_cache
def words_for(lang: str) -> Callable[[str], str]:
    """The pages' `_`: a code of the vocabulary (category, skill, duty type, status...) reads as
    its label; any other message through the babel catalogue."""
    gettext = translations(lang).gettext
    api_lang = "en" if lang == "en" else "zh-CN"

    def _(message: str) -> str:
        if vocabulary.known(message):
            word = vocabulary.label(message, api_lang)
            # a label standing alone (a status, a category) starts with a capital in English
            return word[:1].upper() + word[1:] if api_lang == "en" else word
        return gettext(message)

    return _


def gettext_for(request: Request):
    return words_for(language(request.cookies.get(LANG_COOKIE)))


def t(request: Request, message: str) -> str:
    """Translate a message for this request's language (extracted with `pybabel -k t:2`)."""
    return gettext_for(request)(message)


def flash(request: Request, message: str, kind: str = "ok") -> None:
    """A message shown once on the next page (kept in the session)."""
    data = dict(request.session or {})
    data["flash"] = {"message": message, "kind": kind}
    request.set_session(data)


def _take_flash(request: Request) -> dict | None:
    if "session" not in request.scope:
        return None  # an unrouted path (404 page): the session middleware never ran
    data = dict(request.session or {})
    message = data.pop("flash", None)
    if message is not None:
        request.set_session(data)
    return message


def render(
    request: Request, template: str, actor: Actor | None, status_code: int = 200, **context: Any
) -> Template:
    """Render a page with the language, the text size and the person's roles in its context."""
    lang = language(request.cookies.get(LANG_COOKIE))
    return Template(
        template_name=template,
        status_code=status_code,
        context={
            "_": words_for(lang),
            "lang": lang,
            "big": request.cookies.get(BIG_COOKIE) == "1",
            "actor": actor,
            "roles": {r.role.value for r in actor.roles} if actor else set(),
            "masked": mask_name,
            "flash": _take_flash(request),
            "path": request.url.path,
            "unread": request.state.get("unread", 0) if actor else 0,
            **context,
        },
    )


def to_login() -> Redirect:
    return Redirect(path="/login")


def back(path: str) -> Redirect:
    """After a successful form post: Post/Redirect/Get."""
    return Redirect(path=path, status_code=303)


def has(actor: Actor | None, *roles: Role) -> bool:
    return actor is not None and any(actor.has(r) for r in roles)


def page_language(request: Request) -> str:
    return language(request.cookies.get(LANG_COOKIE))


def field_errors(request: Request, error: Exception, fields: list[str]) -> dict[str, str]:
    """Every complaint of a form or a service beside the field it concerns (or at the form's
    top), in the page's language, chosen by its code."""
    from marketplace.web.forms import FormInvalid

    if isinstance(error, FormInvalid):
        return words.beside_fields(page_language(request), error.problems, fields)
    if isinstance(error, DomainError):
        return words.beside_fields(page_language(request), [error], fields)
    raise error


def say(request: Request, error: DomainError) -> str:
    """A service's refusal in the page's language (for a flash)."""
    return words.say(page_language(request), error)


async def perform(request: Request, actor: Actor | None, action, to: str) -> Redirect:
    """Run a page's action for the signed-in person and come back to `to`; a flash says it was
    done, or why not. An object they may not see stays a 404."""
    from marketplace.web.forms import FormInvalid

    if actor is None:
        return to_login()
    try:
        await action(actor)
        flash(request, t(request, "Done."))
    except FormInvalid as exc:
        flash(request, " ".join(field_errors(request, exc, []).values()), "error")
    except NotFound:
        raise
    except DomainError as exc:
        flash(request, say(request, exc), "error")
    return back(to)
