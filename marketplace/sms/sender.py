"""The SMS sender interface and the choice of backend (`LIANXIN_SMS_BACKEND`).

`console` (the default) writes the message to the server log, so the embedded demo works with
no provider; `tencent` sends through Tencent Cloud SMS (see tencent.py). A template is a
logical name ("login_code"); each backend maps it to what the provider needs.
"""

from __future__ import annotations

import logging
from typing import Protocol

from marketplace.errors import DomainError
from marketplace.settings import Settings

log = logging.getLogger("marketplace.sms")

# What each logical template says (the console backend prints it; the provider's own
# templates, approved in its console, must say the same with positional parameters).
TEMPLATES: dict[str, str] = {
    "login_code": "【连心】您的验证码是{code}，{minutes}分钟内有效。请勿告诉他人。",
    "password_code": "【连心】您正在设置登录密码，验证码{code}，{minutes}分钟内有效。",
}


class SmsFailed(DomainError):
    """The provider refused or could not be reached; nothing was sent."""

    status_code = 503
    default_code = "sms_failed"


class Sender(Protocol):
    """Sends one text message built from a template and its parameters."""

    async def send(self, *, phone: str, template: str, params: dict[str, str]) -> None: ...


class ConsoleSender:
    """Writes the message to the server log instead of sending it (development and demos)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, dict[str, str]]] = []

    async def send(self, *, phone: str, template: str, params: dict[str, str]) -> None:
        text = TEMPLATES.get(template, template).format(**params)
        self.sent.append((phone, template, dict(params)))
        log.warning("SMS (console backend, not sent) to %s: %s", phone, text)


def sender_for(settings: Settings) -> Sender:
    """The sender `settings.sms_backend` names."""
    backend = settings.sms_backend
    if backend == "console":
        return ConsoleSender()
    if backend == "tencent":
        from marketplace.sms.tencent import TencentSmsSender

        return TencentSmsSender.from_settings(settings)
    raise ValueError(f"LIANXIN_SMS_BACKEND must be console or tencent, not {backend!r}")
