"""Tencent Cloud SMS (腾讯云短信) SendSms through its documented HTTP API, signed with
TC3-HMAC-SHA256 (signature v3). Configured by the environment:

    LIANXIN_SMS_BACKEND=tencent
    TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY   the API key pair
    LIANXIN_SMS_APP_ID       SmsSdkAppId (e.g. 1400006666)
    LIANXIN_SMS_SIGN_NAME    the approved signature (e.g. 连心)
    LIANXIN_SMS_TEMPLATES    logical template = approved TemplateId, e.g.
                             login_code=1110,password_code=1111
    LIANXIN_SMS_REGION       ap-guangzhou by default

The provider's templates are positional ({1}, {2}); the parameters are passed in the order
they appear in sender.TEMPLATES.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import string
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx

from marketplace.settings import Settings
from marketplace.sms.sender import TEMPLATES, SmsFailed, log

HOST = "sms.tencentcloudapi.com"
SERVICE = "sms"
ACTION = "SendSms"
VERSION = "2021-01-11"
CONTENT_TYPE = "application/json; charset=utf-8"
ALGORITHM = "TC3-HMAC-SHA256"


def _sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def canonical_request(*, host: str, payload: bytes, content_type: str = CONTENT_TYPE) -> str:
    """Step 1 of signature v3: a POST to / with the content-type and host headers signed."""
    return "\n".join(
        [
            "POST",
            "/",
            "",
            f"content-type:{content_type}\nhost:{host}\n",
            "content-type;host",
            _sha256_hex(payload),
        ]
    )


def _date(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")


def string_to_sign(*, timestamp: int, service: str, canonical: str) -> str:
    """Step 2: the algorithm, the time, the credential scope and the hashed canonical request."""
    scope = f"{_date(timestamp)}/{service}/tc3_request"
    return f"{ALGORITHM}\n{timestamp}\n{scope}\n{_sha256_hex(canonical.encode('utf-8'))}"


def signature(*, secret_key: str, timestamp: int, service: str, to_sign: str) -> str:
    """Step 3: the key derived from the date and the service signs the string."""
    secret_date = _hmac(("TC3" + secret_key).encode("utf-8"), _date(timestamp))
    secret_service = _hmac(secret_date, service)
    secret_signing = _hmac(secret_service, "tc3_request")
    return hmac.new(secret_signing, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def authorization(
    *, secret_id: str, secret_key: str, timestamp: int, service: str, host: str, payload: bytes
) -> str:
    """Step 4: the Authorization header of a request."""
    canonical = canonical_request(host=host, payload=payload)
    to_sign = string_to_sign(timestamp=timestamp, service=service, canonical=canonical)
    sig = signature(secret_key=secret_key, timestamp=timestamp, service=service, to_sign=to_sign)
    scope = f"{_date(timestamp)}/{service}/tc3_request"
    return (
        f"{ALGORITHM} Credential={secret_id}/{scope}, "
        f"SignedHeaders=content-type;host, Signature={sig}"
    )


def template_order(template: str) -> list[str]:
    """The parameter names of a logical template, in the order the provider's {1}, {2} take."""
    text = TEMPLATES.get(template, "")
    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


@dataclass
class TencentSmsSender:
    secret_id: str
    secret_key: str
    app_id: str
    sign_name: str
    templates: dict[str, str]
    region: str = "ap-guangzhou"
    timeout_s: float = 10.0
    transport: httpx.AsyncBaseTransport | None = field(default=None, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> TencentSmsSender:
        missing = [
            name
            for name, value in (
                ("TENCENTCLOUD_SECRET_ID", settings.sms_secret_id),
                ("TENCENTCLOUD_SECRET_KEY", settings.sms_secret_key),
                ("LIANXIN_SMS_APP_ID", settings.sms_app_id),
                ("LIANXIN_SMS_SIGN_NAME", settings.sms_sign_name),
            )
            if not value
        ]
        if missing:
            raise ValueError(f"LIANXIN_SMS_BACKEND=tencent needs {', '.join(missing)}")
        return cls(
            secret_id=settings.sms_secret_id,
            secret_key=settings.sms_secret_key,
            app_id=settings.sms_app_id,
            sign_name=settings.sms_sign_name,
            templates=dict(settings.sms_templates),
            region=settings.sms_region,
        )

    def build_request(
        self, *, phone: str, template: str, params: dict[str, str], timestamp: int
    ) -> tuple[dict[str, str], bytes]:
        """The headers and body of a SendSms call (no I/O: the tests check these)."""
        template_id = self.templates.get(template)
        if not template_id:
            raise ValueError(f"no Tencent TemplateId configured for template {template!r}")
        order = template_order(template) or list(params)
        body = {
            "PhoneNumberSet": ["+86" + re.sub(r"\D", "", phone)[-11:]],
            "SmsSdkAppId": self.app_id,
            "SignName": self.sign_name,
            "TemplateId": template_id,
            "TemplateParamSet": [str(params[name]) for name in order],
        }
        payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        headers = {
            "Authorization": authorization(
                secret_id=self.secret_id,
                secret_key=self.secret_key,
                timestamp=timestamp,
                service=SERVICE,
                host=HOST,
                payload=payload,
            ),
            "Content-Type": CONTENT_TYPE,
            "Host": HOST,
            "X-TC-Action": ACTION,
            "X-TC-Timestamp": str(timestamp),
            "X-TC-Version": VERSION,
            "X-TC-Region": self.region,
        }
        return headers, payload

    async def send(self, *, phone: str, template: str, params: dict[str, str]) -> None:
        headers, payload = self.build_request(
            phone=phone, template=template, params=params, timestamp=int(time.time())
        )
        try:
            async with httpx.AsyncClient(timeout=self.timeout_s, transport=self.transport) as c:
                response = await c.post(f"https://{HOST}/", headers=headers, content=payload)
            answer = response.json().get("Response", {})
        except (httpx.HTTPError, ValueError) as exc:
            log.error("Tencent SMS unreachable: %s", type(exc).__name__)
            raise SmsFailed("The text message could not be sent.") from None
        check_answer(answer)


def check_answer(answer: dict) -> None:
    """Raise SmsFailed unless the provider accepted the message."""
    error = answer.get("Error")
    statuses = answer.get("SendStatusSet") or []
    if error or not statuses or statuses[0].get("Code") != "Ok":
        code = (error or {}).get("Code") or (statuses[0].get("Code") if statuses else "empty")
        log.error("Tencent SMS refused: %s (request %s)", code, answer.get("RequestId"))
        raise SmsFailed("The text message could not be sent.")
