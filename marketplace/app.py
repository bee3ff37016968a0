"""create_app(settings): routes, dependency injection, sessions, stores, error handlers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import swagger_ui
from litestar import Litestar, Request, Response, Router, get
from litestar.channels import ChannelsPlugin
from litestar.channels.backends.memory import MemoryChannelsBackend
from litestar.config.app import AppConfig
from litestar.connection import ASGIConnection
from litestar.datastructures import CacheControlHeader, State
from litestar.di import Provide
from litestar.exceptions import HTTPException, ValidationException
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.security.session_auth import SessionAuth
from litestar.static_files import create_static_files_router
from litestar.stores.memory import MemoryStore
from litestar.stores.redis import RedisStore
from litestar.stores.registry import StoreRegistry

from marketplace import db, messages, openapi, validation, web
from marketplace.accounts import service as accounts
from marketplace.accounts.controllers import (
    AuthController,
    MeController,
    MyDataController,
    ResidentController,
)
from marketplace.accounts.rules import Actor
from marketplace.accounts.sessions import SESSION_COOKIE, RotatingSessionConfig, live_person
from marketplace.admin.mount import admin_handler
from marketplace.announcements.controllers import AnnouncementController
from marketplace.bootstrap import bootstrap
from marketplace.core import ids, outage
from marketplace.core.fields import field_label
from marketplace.core.redis import make_redis
from marketplace.dispatch.controllers import (
    DispatchResponseController,
    MatchingRunController,
    StaleClaimController,
)
from marketplace.dispatch.executors import Executor, InProcessExecutor, SaqExecutor
from marketplace.errors import DomainError, NotAuthenticated
from marketplace.limits import counter_for, rate_limit_middleware
from marketplace.notifications import service as notices
from marketplace.notifications.controllers import NotificationController
from marketplace.notifications.service import PluginPublisher
from marketplace.org.controllers import OrgController
from marketplace.partners.controllers import PartnerController, PartnerTaskController
from marketplace.points.controllers import PointsController
from marketplace.projects.controllers import ProjectController
from marketplace.rosters.controllers import RosterController
from marketplace.security.csrf import SessionCSRFMiddleware
from marketplace.security.middleware import JsonBodyMiddleware, security_headers_for
from marketplace.service_record.controllers import ServiceRecordController
from marketplace.settings import Settings
from marketplace.sms.sender import sender_for
from marketplace.tasks.controllers import MyClaimsController, TaskController
from marketplace.visits.controllers import VisitController
from marketplace.volunteers.controllers import (
    RoleGrantController,
    VolunteerApplicationController,
    VolunteerHomeController,
)
from marketplace.wishes import lifecycle as _wish_source  # noqa: F401  (registers the wish task source)
from marketplace.wishes.controllers import WishController

log = logging.getLogger("marketplace")
SWAGGER_ASSETS = Path(swagger_ui.__file__).resolve().parent / "static"


_STATUS_CODES = {
    400: "invalid_input",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


def _error(
    status: int,
    message: str,
    *,
    code: str | None = None,
    field: str | None = None,
    errors: list | None = None,
) -> Response:
    """The one error body of the API: {status_code, code, message, field, errors}."""
    body = {
        "status_code": status,
        "code": code or _STATUS_CODES.get(status, "error"),
        "message": message,
        "field": field,
        "errors": errors or [],
    }
    return Response(body, status_code=status)


def _is_page(request: Request) -> bool:
    """Pages (not the API, the docs or assets) answer errors with a page a person can read."""
    path = request.url.path
    return not path.startswith(("/api/", "/schema", "/static/", "/admin"))


def _lang(request: Request) -> str:
    return messages.language(request.headers.get("accept-language"))


def _domain_error(request: Request, exc: DomainError) -> Response:
    if _is_page(request):
        return web.error_page(request, exc.status_code, exc)
    lang = _lang(request)
    code = exc.code if exc.code in messages.catalogue() else type(exc).default_code
    # a refusal about a field may name it by its label in the reader's language: {label}
    params = {"label": field_label(exc.field, lang), **exc.params} if exc.field else exc.params
    text = messages.render(code, lang, params)
    errors = [{"field": exc.field, "code": code, "message": text}] if exc.field else []
    return _error(exc.status_code, text, code=code, field=exc.field, errors=errors)


def _validation_error(request: Request, exc: ValidationException) -> Response:
    """Every bad field at once, each with a plain message in the reader's language."""
    reported = [e for e in (exc.extra or []) if isinstance(e, dict)]
    lang = _lang(request)
    found = validation.request_problems(request, reported) or [
        validation.Problem(e.get("key") or "_body", "validation_invalid") for e in reported
    ]
    errors = [
        {
            "field": p.field,
            "code": p.code,
            "message": messages.render(
                p.code, lang, {**p.params, "label": field_label(p.field, lang)}
            ),
        }
        for p in found
    ]
    if len(errors) == 1:
        only = errors[0]
        return _error(400, only["message"], code=only["code"], field=only["field"], errors=errors)
    text = messages.render("validation_failed", lang, {"count": len(errors)})
    return _error(400, text, code="validation_failed", errors=errors)


def _http_error(request: Request, exc: HTTPException) -> Response:
    """Litestar's own refusals (no session, unknown URL, too large...) by their status's code."""
    code = _STATUS_CODES.get(exc.status_code, "invalid_input")
    if _is_page(request) and exc.status_code in (403, 404, 405):
        # an unknown URL never reached the session middleware: the page renders without one
        request.scope.setdefault("session", None)  # type: ignore[typeddict-unknown-key]
        return web.error_page(request, exc.status_code, code)
    response = _error(exc.status_code, messages.render(code, _lang(request)), code=code)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def _out_of_range(request: Request, exc: Exception) -> Response:
    """A number the database cannot store (an id in a body past the column's range)."""
    log.info("value out of range: %s", exc)
    lang = messages.language(request.headers.get("accept-language"))
    return _error(400, messages.render("invalid_input", lang, {}))


def _integrity_error(request: Request, exc: Exception) -> Response:
    log.info("integrity error: %s", type(exc).__name__)
    code = "integrity_conflict"
    return _error(409, messages.render(code, _lang(request)), code=code)


def _too_deep(request: Request, exc: RecursionError) -> Response:
    """A body nested deeper than the decoder can follow (e.g. JSON 50,000 levels deep)."""
    log.info("recursion error on %s %s", request.method, request.url.path)
    lang = messages.language(request.headers.get("accept-language"))
    text = messages.render(
        "security_too_deep", lang, fallback="The request body is nested too deeply."
    )
    return _error(400, text, code="security_too_deep")


def _unavailable(request: Request, exc: Exception) -> Response:
    """PostgreSQL or Redis down, frozen or saturated: 503 with Retry-After, in the reader's words."""
    state = request.app.state
    state.breaker.trip(exc, since=request.scope.get("state", {}).get(outage.BEGAN, 0.0))
    log.warning("dependency unavailable: %s: %s", type(exc).__name__, exc)
    lang = messages.language(request.headers.get("accept-language"))
    response = _error(503, messages.render("unavailable", lang, {}))
    response.headers["Retry-After"] = str(state.retry_after_s)
    return response


def _unexpected(request: Request, exc: Exception) -> Response:
    if outage.is_unavailable(exc):
        return _unavailable(request, exc)
    log.exception("unexpected error", exc_info=exc)
    lang = messages.language(request.headers.get("accept-language"))
    return _error(500, messages.render("internal_error", lang, {}), code="internal_error")


def _exception_handlers() -> dict:
    import sqlite3

    import asyncpg

    return {
        DomainError: _domain_error,
        ValidationException: _validation_error,
        HTTPException: _http_error,
        RecursionError: _too_deep,
        sqlite3.IntegrityError: _integrity_error,
        asyncpg.exceptions.IntegrityConstraintViolationError: _integrity_error,
        asyncpg.exceptions.DataError: _out_of_range,  # the server's: a value out of range
        asyncpg.exceptions._base.DataError: _out_of_range,  # the driver's: cannot encode it
        OverflowError: _out_of_range,
        **{kind: _unavailable for kind in outage.UNAVAILABLE},
        Exception: _unexpected,
    }


async def _retrieve_actor(_: dict[str, Any], connection: ASGIConnection) -> Actor | None:
    """The session's person while it lives (idle timeout, absolute lifetime, credentials epoch)."""
    signed_in = live_person(connection, connection.app.state.settings)
    if signed_in is None:
        return None
    return await accounts.load_actor(person_id=signed_in[0], epoch=signed_in[1])


async def _provide_actor(request: Request) -> Actor:
    if not isinstance(request.user, Actor):
        raise NotAuthenticated("Please sign in.", code="not_authenticated")
    return request.user


def _stores(settings: Settings) -> tuple[StoreRegistry, list]:
    """Memory stores by default; one Redis client per store user with REDIS_URL."""
    if not settings.redis_url:
        return StoreRegistry(default_factory=lambda name: MemoryStore()), []
    client = make_redis(settings)
    root = RedisStore(redis=client, namespace=settings.redis_namespace)
    return StoreRegistry(default_factory=lambda name: root.with_namespace(name)), [client]


def _channels(settings: Settings) -> tuple[ChannelsPlugin, list]:
    """Memory channels by default; Redis pub/sub with REDIS_URL so app processes share events."""
    if not settings.redis_url:
        backend: Any = MemoryChannelsBackend()
        clients: list = []
    else:
        from litestar.channels.backends.redis import RedisChannelsPubSubBackend

        # its own client (stores close theirs first); listeners wait on reads by design
        client = make_redis(settings, blocking_reads=True)
        backend, clients = RedisChannelsPubSubBackend(redis=client), [client]
    return ChannelsPlugin(backend=backend, arbitrary_channels_allowed=True), clients


def _executor(settings: Settings, publisher: PluginPublisher) -> Executor:
    use_saq = settings.executor == "saq" or (settings.executor == "auto" and settings.redis_url)
    return SaqExecutor(settings) if use_saq else InProcessExecutor(settings, publisher)


@get("/healthz", exclude_from_auth=True, include_in_schema=False)
async def healthz() -> dict:
    """Liveness and readiness: the database answers (Redis is probed by the requests' stores)."""
    await db.engine().run_ddl("SELECT 1")
    return {"status": "ok"}


FAVICON = Path(web.__file__).resolve().parent / "static" / "favicon.svg"


@get("/favicon.ico", exclude_from_auth=True, include_in_schema=False, cache=86400)
async def favicon() -> Response:
    """The 连 mark, so browsers asking for /favicon.ico get an icon, not an error."""
    return Response(FAVICON.read_bytes(), media_type="image/svg+xml")


def create_app(settings: Settings | None = None) -> Litestar:
    """The Lianxin ASGI application."""
    settings = bootstrap(settings)
    settings.check()
    stores, clients = _stores(settings)
    channels, channel_clients = _channels(settings)
    publisher = PluginPublisher(channels)
    executor = _executor(settings, publisher)
    sms_sender = sender_for(settings)
    breaker = outage.Breaker()

    def outermost(config: AppConfig) -> AppConfig:
        """The breaker goes before the session middleware, which would wait on Redis first."""
        exclude = ("/healthz", "/static")
        config.middleware.insert(
            0, outage.breaker_middleware(breaker, settings.retry_after_s, exclude)
        )
        return config

    session_auth = SessionAuth[Actor, Any](
        retrieve_user_handler=_retrieve_actor,
        session_backend_config=RotatingSessionConfig(
            key=SESSION_COOKIE,
            store="sessions",
            max_age=settings.session_max_age_seconds,
            samesite="lax",
            httponly=True,
            secure=settings.https,
        ),
        # pages read the same session themselves and redirect to /login instead of answering 401
        exclude=["^/(?!api/)[a-z-]*(/|$)"],
    )

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        engine = db.engine()
        await db.prepare_engine(engine, settings)
        notices.start_delivery(publisher=publisher, settings=settings)
        await executor.start()
        try:
            yield
        finally:
            await executor.close()
            await db.release_engine(engine)
            for client in clients + channel_clients:
                await client.aclose()

    api = Router(
        path="/api/v1",
        route_handlers=[
            AuthController,
            MeController,
            MyDataController,
            ResidentController,
            OrgController,
            WishController,
            VisitController,
            TaskController,
            MyClaimsController,
            AnnouncementController,
            NotificationController,
            MatchingRunController,
            DispatchResponseController,
            StaleClaimController,
            PartnerController,
            PartnerTaskController,
            ProjectController,
            PointsController,
            ServiceRecordController,
            VolunteerApplicationController,
            VolunteerHomeController,
            RoleGrantController,
            RosterController,
        ],
        cache_control=CacheControlHeader(no_store=True),
    )
    app = Litestar(
        route_handlers=[
            api,
            healthz,
            favicon,
            create_static_files_router(path="/static/swagger", directories=[SWAGGER_ASSETS]),
            *web.routes(),
            admin_handler(settings),
        ],
        template_config=web.template_config(),
        dependencies={
            "actor": Provide(_provide_actor),
            "settings": Provide(lambda: settings, sync_to_thread=False),
            "publisher": Provide(lambda: publisher, sync_to_thread=False),
            "executor": Provide(lambda: executor, sync_to_thread=False),
        },
        plugins=[channels],
        on_app_init=[session_auth.on_app_init, outermost],
        middleware=[
            ids.id_guard,
            JsonBodyMiddleware,
            rate_limit_middleware(counter_for(clients[0] if clients else None, settings), settings),
            # CSRF tokens keyed by the session (not Litestar's csrf_config: its token is not)
            DefineMiddleware(
                SessionCSRFMiddleware, config=web.csrf_config(settings.secret, settings.https)
            ),
        ],
        before_send=[security_headers_for(settings.map_tile_sources())],
        stores=stores,
        lifespan=[lifespan],
        exception_handlers=_exception_handlers(),
        openapi_config=OpenAPIConfig(
            title="Lianxin 连心 API",
            version="1.0",
            description="微心愿 micro-wishes and 幸福合伙人 happiness partners for urban communities.",
            path="/schema",
            render_plugins=[
                SwaggerRenderPlugin(
                    js_url="/static/swagger/swagger-ui-bundle.js",
                    css_url="/static/swagger/swagger-ui.css",
                    standalone_preset_js_url="/static/swagger/swagger-ui-standalone-preset.js",
                    favicon="<link rel='icon' href='/static/swagger/favicon-32x32.png'>",
                )
            ],
        ),
        state=State(
            {
                "settings": settings,
                "executor": executor,
                "publisher": publisher,
                "channels": channels,
                "sms_sender": sms_sender,
                "breaker": breaker,
                "retry_after_s": settings.retry_after_s,
            }
        ),
        request_max_body_size=settings.request_max_body_size,
        debug=settings.debug,
    )
    return openapi.document(app)
