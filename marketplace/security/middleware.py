"""What every response and every API request must respect.

- Security headers on every response: nosniff, a Content-Security-Policy the pages satisfy (no
  inline script anywhere), no framing, a strict Referrer-Policy; `Cache-Control: no-store` unless
  the handler chose a policy itself (static assets, the public board).
- A response a shared cache may keep (`Cache-Control: public`) never carries `Set-Cookie`:
  otherwise a proxy would hand one person's session to the next.
- The JSON API accepts request bodies only with a JSON content type (no form posts or text/plain
  bodies that a cross-site form could send).
"""

from __future__ import annotations

import re

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

# Pages and the API: everything from this origin, nothing inline, never framed.
STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# Swagger UI (/schema) and Piccolo Admin (/admin) are third-party pages that ship inline
# bootstrap code and styles: still same-origin only and never framed.
VENDOR_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
VENDOR_PREFIXES = ("/schema", "/admin")
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


# The .xlsx uploads (rosters, places) are the API's only non-JSON bodies: multipart there only.
_UPLOADS = re.compile(r"^/api/v1/(rosters/\w+/import|org/communities/\d+/places-import)$")


def _accepted(path: str, content_type: str) -> bool:
    media = content_type.split(";")[0].strip().lower()
    return _is_json(media) or (media == "multipart/form-data" and bool(_UPLOADS.match(path)))


def _is_json(content_type: str) -> bool:
    media = content_type.split(";")[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def _has_body(headers: MutableScopeHeaders) -> bool:
    length = headers.get("content-length")
    if length is not None:
        return length.strip() not in ("", "0")
    return "transfer-encoding" in headers


def harden(headers: MutableScopeHeaders, path: str, images: tuple[str, ...] = ()) -> None:
    """Add the security headers to a response's headers (in place); `images` are the other
    origins the pages may show images from (the street map's tiles, when configured)."""
    vendor = path.startswith(VENDOR_PREFIXES)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "same-origin"
    csp = VENDOR_CSP if vendor else STRICT_CSP
    if images and not vendor:
        csp = csp.replace("img-src 'self' data:", "img-src 'self' data: " + " ".join(images))
    headers["Content-Security-Policy"] = csp
    cache = headers.get("cache-control")
    if cache is None:
        headers["Cache-Control"] = "no-store"
    elif "public" in cache.lower() and "set-cookie" in headers:
        del headers["set-cookie"]


def security_headers_for(images: tuple[str, ...] = ()):
    """The app's `before_send` hook: every HTTP response, routed or not, leaves hardened."""

    async def security_headers(message: Message, scope: Scope) -> None:
        if message["type"] == "http.response.start" and scope["type"] == ScopeType.HTTP:
            harden(MutableScopeHeaders.from_message(message), scope["path"], images)

    return security_headers


security_headers = security_headers_for()


class JsonBodyMiddleware:
    """The JSON API accepts request bodies only with a JSON content type (415 otherwise)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == ScopeType.HTTP
            and scope["path"].startswith("/api/")
            and scope["method"] in BODY_METHODS
        ):
            headers = MutableScopeHeaders(scope)
            if _has_body(headers) and not _accepted(scope["path"], headers.get("content-type", "")):
                await _refuse_media_type(send, headers.get("accept-language"))
                return
        await self.app(scope, receive, send)


async def _refuse_media_type(send: Send, accept_language: str | None) -> None:
    import json

    from marketplace import messages

    text = messages.render("security_json_only", messages.language(accept_language))
    body = json.dumps(
        {
            "status_code": 415,
            "code": "security_json_only",
            "message": text,
            "field": None,
            "errors": [],
        },
        ensure_ascii=False,
    ).encode()
    headers = MutableScopeHeaders()
    headers["content-type"] = "application/json"
    headers["content-length"] = str(len(body))
    message: Message = {"type": "http.response.start", "status": 415, "headers": headers.headers}
    await send(message)
    await send({"type": "http.response.body", "body": body, "more_body": False})
