"""The OpenAPI document says what the API answers, described once here for every operation.

Litestar documents its own error body (`{status_code, detail, extra}`) and only a 400; the API
answers `{status_code, code, message, field, errors}` (app.py) with the statuses below. The
document is rebuilt from the routes by Litestar, then completed here in one pass:

- only the JSON API (`/api/`); the pages are for people and answer HTML or redirects;
- the error body as the `Error` component, used by every error response;
- the statuses each operation can answer, from what it takes and whether it needs a session;
- public operations (no session needed) with an empty security requirement, the others with
  the session cookie;
- request bodies that refuse unknown fields (`schemas.Input`) with `additionalProperties: false`,
  and id parameters with the range the id guard enforces (marketplace/core/ids.py).
"""

from __future__ import annotations

from litestar import Litestar
from litestar._openapi.plugin import OpenAPIPlugin
from litestar.openapi.spec import (
    OpenAPI,
    OpenAPIFormat,
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Parameter,
    Reference,
    RequestBody,
    Schema,
)

from marketplace.core.ids import MAX_ID, is_id
from marketplace.schemas import Input

ERROR = "Error"
SESSION = "sessionCookie"
UPLOAD = "multipart/form-data"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}

REASONS = {
    400: "The input is refused: each bad field is named in `errors`.",
    401: "No session, or it has ended: sign in.",
    403: "Signed in, but this person's roles do not allow it.",
    404: "No such object, or not one this person may see.",
    409: "The object's state refuses the change.",
    413: "The request body is too large.",
    415: "The body is not JSON (or, for the .xlsx uploads, not multipart).",
    429: "Too many requests: wait as Retry-After says.",
    503: "The database or Redis is unavailable: retry after Retry-After seconds.",
}
RETRY_AFTER = OpenAPIHeader(
    schema=Schema(type=OpenAPIType.INTEGER), description="seconds to wait before retrying"
)


def _text(nullable: bool = False) -> Schema:
    if nullable:
        return Schema(one_of=[Schema(type=OpenAPIType.STRING), Schema(type=OpenAPIType.NULL)])
    return Schema(type=OpenAPIType.STRING)


def error_schema() -> Schema:
    """The API's one error body, in the reader's language (Accept-Language; zh-CN by default)."""
    item = Schema(
        type=OpenAPIType.OBJECT,
        properties={"field": _text(nullable=True), "code": _text(), "message": _text()},
        required=["field", "code", "message"],
        additional_properties=False,
    )
    return Schema(
        type=OpenAPIType.OBJECT,
        title=ERROR,
        description="An error: a stable `code` to branch on, a `message` a person can read, "
        "the `field` it concerns, and every refused field in `errors`.",
        properties={
            "status_code": Schema(type=OpenAPIType.INTEGER),
            "code": _text(),
            "message": _text(),
            "field": _text(nullable=True),
            "errors": Schema(type=OpenAPIType.ARRAY, items=item),
        },
        required=["status_code", "code", "message", "field", "errors"],
        additional_properties=False,
    )


def error_statuses(method: str, operation: Operation, public: bool, ids_in_body: bool) -> set[int]:
    """The error statuses an operation can answer, from what it takes and who may call it."""
    params = [p for p in operation.parameters or [] if isinstance(p, Parameter)]
    body = operation.request_body is not None
    statuses = {429, 503}  # rate limits and outages reach every operation
    if body or params:
        statuses.add(400)
    if body:
        statuses |= {413, 415}
    if not public:
        statuses |= {401, 403}
    elif method in UNSAFE:
        statuses.add(401)  # a public write checks credentials or a code
    if ids_in_body or any(p.param_in == "path" or is_id(p.name) for p in params):
        statuses.add(404)  # an unknown or unseen object; an id out of range
    if method in UNSAFE:
        statuses.add(409)
    return statuses


def _names_ids(schema: object, components: dict, seen: set[str]) -> bool:
    """True when a body schema has an id property (`..._id`, `..._ids`), however deep."""
    if isinstance(schema, Reference):
        name = schema.ref.rsplit("/", 1)[-1]
        if name in seen:
            return False
        seen.add(name)
        return _names_ids(components.get(name), components, seen)
    if not isinstance(schema, Schema):
        return False
    props = schema.properties or {}
    if any(is_id(k) or k.endswith("_ids") for k in props):
        return True
    parts = [*props.values(), schema.items, *(schema.one_of or []), *(schema.any_of or [])]
    return any(_names_ids(p, components, seen) for p in parts)


def _ids_in_body(operation: Operation, components: dict) -> bool:
    body = operation.request_body
    if not isinstance(body, RequestBody):
        return False
    return any(_names_ids(m.schema, components, set()) for m in body.content.values())


def _error_response(status: int) -> OpenAPIResponse:
    media = OpenAPIMediaType(schema=Reference(ref=f"#/components/schemas/{ERROR}"))
    headers = {"Retry-After": RETRY_AFTER} if status in (429, 503) else None
    return OpenAPIResponse(
        description=REASONS[status], content={"application/json": media}, headers=headers
    )


def _bound_ids(operation: Operation) -> None:
    for p in operation.parameters or []:
        schema = p.schema if isinstance(p, Parameter) and is_id(p.name) else None
        if isinstance(schema, Schema) and schema.type == OpenAPIType.INTEGER:
            schema.minimum, schema.maximum = 1, MAX_ID


def _one_file(operation: Operation) -> None:
    """An upload is a form with one file, in the part `file` (marketplace/core/uploads.py)."""
    body = operation.request_body
    media = body.content.get(UPLOAD) if isinstance(body, RequestBody) else None
    if media is not None:
        binary = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)
        media.schema = Schema(
            type=OpenAPIType.OBJECT, properties={"file": binary}, required=["file"]
        )


def _describe(method: str, operation: Operation, public: bool, components: dict) -> None:
    responses = {k: v for k, v in (operation.responses or {}).items() if int(k) < 400}
    statuses = error_statuses(method, operation, public, _ids_in_body(operation, components))
    for status in sorted(statuses):
        responses[str(status)] = _error_response(status)
    operation.responses = responses
    operation.security = [] if public else [{SESSION: []}]
    _bound_ids(operation)
    _one_file(operation)


def _input_structs() -> set[str]:
    found, todo = set(), [Input]
    while todo:
        cls = todo.pop()
        found.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return found


def complete(openapi: OpenAPI, routes) -> OpenAPI:
    """Complete Litestar's document (see the module's docstring); `routes` are the app's."""
    paths = openapi.paths or {}
    schemas = openapi.components.schemas
    for route in routes:
        item = paths.get(route.path_format or "/")
        if item is None or not route.path.startswith("/api/"):
            continue
        for handler in route.route_handlers:
            public = bool(handler.opt.get("exclude_from_auth"))
            for method in handler.http_methods:
                operation = getattr(item, method.lower(), None)
                if operation is not None:
                    _describe(method, operation, public, schemas)
    openapi.paths = {p: item for p, item in paths.items() if p.startswith("/api/")}
    closed = _input_structs()
    for name, schema in schemas.items():
        if name in closed and schema.title == name:
            schema.additional_properties = False
    schemas[ERROR] = error_schema()
    return openapi


class DocumentedOpenAPIPlugin(OpenAPIPlugin):
    """Litestar's OpenAPI plugin, whose document is completed by `complete`."""

    __slots__ = ()

    def _build_openapi(self) -> OpenAPI:
        return complete(super()._build_openapi(), self.included_routes.values())


def document(app: Litestar) -> Litestar:
    """Have the app's OpenAPI plugin complete its document when it is first built (lazily, as
    Litestar builds it). The registry finds the plugin by its exact type, so the instance keeps
    its place and takes the subclass's behaviour (same slots, one method more)."""
    plugin = app.plugins.get(OpenAPIPlugin)
    plugin.__class__ = DocumentedOpenAPIPlugin
    return app
