"""Signing in through the page form (with its CSRF token), and posting forms."""

from __future__ import annotations

import re

import httpx

from tests.factories import PASSWORD

_TOKEN = re.compile(r'name="_csrf_token" value="([^"]+)"')


def token(html: str) -> str:
    match = _TOKEN.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


async def page_login(
    client: httpx.AsyncClient, phone: str, password: str = PASSWORD
) -> httpx.Response:
    form = await client.get("/login")
    return await client.post(
        "/login", data={"phone": phone, "password": password, "_csrf_token": token(form.text)}
    )


async def post_form(
    client: httpx.AsyncClient, page: str, action: str, data: dict | None = None
) -> httpx.Response:
    """Open `page`, take its CSRF token, post `data` to `action`."""
    html = (await client.get(page)).text
    return await client.post(action, data={**(data or {}), "_csrf_token": token(html)})


def beside(html: str, message: str, field: str) -> bool:
    """The message is the field's own error, placed right after the field (not at the top)."""
    at = html.find(f'id="error-{field}"')
    return html.find(f'name="{field}"') < at < html.find(message) < html.find("</p>", at)
