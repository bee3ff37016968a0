"""A confirmation page before a step that cannot be undone (cancel a wish, give back a task).

The step's own form posts without `confirmed`; the handler answers with this page, whose button
posts the same form again with `confirmed=yes`. No script is needed, and nothing happens by a
mis-tap.
"""

from __future__ import annotations

from litestar import Request
from litestar.response import Template

from marketplace.accounts.rules import Actor
from marketplace.web.common import render


def confirmed(data: dict) -> bool:
    return data.get("confirmed") == "yes"


def ask(
    request: Request,
    actor: Actor | None,
    *,
    code: str,
    back_to: str,
    keep: dict | None = None,
    **params: object,
) -> Template:
    """The page asking `code` (its `_detail` and `_yes` texts beside it) before posting again."""
    return render(
        request,
        "confirm.html",
        actor,
        code=code,
        params=params,
        action=request.url.path,
        back_to=back_to,
        keep={k: v for k, v in (keep or {}).items() if k not in ("_csrf_token", "confirmed")},
    )
