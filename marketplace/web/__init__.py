"""The pages: server-rendered (Jinja), zh-CN first, htmx for partial updates, every asset local."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from jinja2 import pass_context
from litestar.config.csrf import CSRFConfig
from litestar.contrib.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
NODE_MODULES = ROOT / "node_modules"


# China keeps one time, with no summer time: Beijing time is exactly UTC+8 all year.
BEIJING = timezone(timedelta(hours=8), "CST")


def local_time(at: datetime | None, fmt: str = "%m-%d %H:%M") -> str:
    """A stored instant (UTC) as the people reading the page count time: Beijing time."""
    if at is None:
        return ""
    aware = at if at.tzinfo else at.replace(tzinfo=UTC)
    return aware.astimezone(BEIJING).strftime(fmt)


@pass_context
def say_code(context, code: str, **params) -> str:
    """A message of the code catalogue (marketplace.messages) in the page's language."""
    from marketplace.messages import render

    return render(code, "en" if context.get("lang") == "en" else "zh-CN", params)


def _add_filters(engine: JinjaTemplateEngine) -> None:
    engine.engine.filters["local"] = local_time
    engine.engine.globals["say"] = say_code


def template_config() -> TemplateConfig:
    return TemplateConfig(
        directory=HERE / "templates", engine=JinjaTemplateEngine, engine_callback=_add_filters
    )


def csrf_config(secret: str, https: bool = False) -> CSRFConfig:
    """Forms carry a token tied to the session (marketplace/security/csrf.py); the JSON API relies
    on SameSite=Lax session cookies and JSON-only bodies."""
    return CSRFConfig(
        secret=secret,
        cookie_name="lianxin_csrf",
        cookie_secure=https,
        header_name="x-csrftoken",
        exclude=["/api", "/schema", "/static", "/healthz", "/admin"],
    )


def routes() -> list:
    from marketplace.web import (
        account,
        coordinator,
        manage,
        notices,
        partners,
        people,
        public,
        rosters,
        volunteer,
        wishes,
    )

    assets = [create_static_files_router(path="/static/app", directories=[HERE / "static"])]
    vendor = [
        ("/static/vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
        ("/static/vendor/echarts", NODE_MODULES / "echarts" / "dist"),
        ("/static/vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ]
    assets += [create_static_files_router(path=p, directories=[d]) for p, d in vendor if d.exists()]
    return [
        *public.ROUTES,
        *account.ROUTES,
        *wishes.ROUTES,
        *notices.ROUTES,
        *volunteer.ROUTES,
        *coordinator.ROUTES,
        *partners.ROUTES,
        *manage.ROUTES,
        *people.ROUTES,
        *rosters.ROUTES,
        *assets,
    ]


def error_page(request, status: int, error):
    """An error as a page: what went wrong (a DomainError, or a generic message code), in the
    person's language, and a way back."""
    from marketplace import messages
    from marketplace.web.common import page_language, render, say
    from marketplace.web.messages import api_language

    if isinstance(error, str):
        message = messages.render(error, api_language(page_language(request)))
    else:
        message = say(request, error)
    return render(request, "error.html", None, status_code=status, status=status, message=message)
