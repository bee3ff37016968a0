"""The SMS senders: the console backend, and Tencent Cloud's signature v3 checked against the
example values of Tencent's own documentation ("Signature v3", the CVM DescribeInstances POST).
No test reaches the provider: sending goes through a mock transport."""

from __future__ import annotations

import json
import logging
from dataclasses import replace

import httpx
import pytest

from marketplace.settings import Settings
from marketplace.sms import tencent
from marketplace.sms.sender import ConsoleSender, SmsFailed, sender_for

# The documentation's example: SecretId/SecretKey (as published, masked), timestamp
# 1551113065 (2019-02-25 UTC), service cvm, and this exact JSON body.
DOC_SECRET_ID = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******"
DOC_SECRET_KEY = "Gu5t9xGARNpq86cd98joQYCN3*******"
DOC_TIMESTAMP = 1551113065
DOC_HOST = "cvm.tencentcloudapi.com"
DOC_PAYLOAD = (
    b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
)
DOC_HASHED_PAYLOAD = "35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
DOC_HASHED_CANONICAL = "5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
DOC_SIGNATURE = "2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c"


def test_signature_v3_matches_the_documented_example_step_by_step():
    canonical = tencent.canonical_request(host=DOC_HOST, payload=DOC_PAYLOAD)
    assert canonical == (
        "POST\n/\n\ncontent-type:application/json; charset=utf-8\n"
        f"host:{DOC_HOST}\n\ncontent-type;host\n{DOC_HASHED_PAYLOAD}"
    )
    to_sign = tencent.string_to_sign(timestamp=DOC_TIMESTAMP, service="cvm", canonical=canonical)
    assert to_sign == (
        f"TC3-HMAC-SHA256\n{DOC_TIMESTAMP}\n2019-02-25/cvm/tc3_request\n{DOC_HASHED_CANONICAL}"
    )
    sig = tencent.signature(
        secret_key=DOC_SECRET_KEY, timestamp=DOC_TIMESTAMP, service="cvm", to_sign=to_sign
    )
    assert sig == DOC_SIGNATURE
    assert tencent.authorization(
        secret_id=DOC_SECRET_ID,
        secret_key=DOC_SECRET_KEY,
        timestamp=DOC_TIMESTAMP,
        service="cvm",
        host=DOC_HOST,
        payload=DOC_PAYLOAD,
    ) == (
        f"TC3-HMAC-SHA256 Credential={DOC_SECRET_ID}/2019-02-25/cvm/tc3_request, "
        f"SignedHeaders=content-type;host, Signature={DOC_SIGNATURE}"
    )


def _sender(**overrides) -> tencent.TencentSmsSender:
    base = tencent.TencentSmsSender(
        secret_id=DOC_SECRET_ID,
        secret_key=DOC_SECRET_KEY,
        app_id="1400006666",
        sign_name="连心",
        templates={"login_code": "1110"},
    )
    return replace(base, **overrides)


def test_send_sms_request_is_built_as_the_api_reference_says():
    headers, payload = _sender().build_request(
        phone="13812345678",
        template="login_code",
        params={"minutes": "5", "code": "042917"},
        timestamp=DOC_TIMESTAMP,
    )
    body = json.loads(payload)
    assert body == {
        "PhoneNumberSet": ["+8613812345678"],
        "SmsSdkAppId": "1400006666",
        "SignName": "连心",
        "TemplateId": "1110",
        "TemplateParamSet": ["042917", "5"],  # the template's order: {1}=code, {2}=minutes
    }
    assert headers["X-TC-Action"] == "SendSms" and headers["X-TC-Version"] == "2021-01-11"
    assert headers["X-TC-Region"] == "ap-guangzhou" and headers["Host"] == tencent.HOST
    assert headers["X-TC-Timestamp"] == str(DOC_TIMESTAMP)
    expected = tencent.authorization(
        secret_id=DOC_SECRET_ID,
        secret_key=DOC_SECRET_KEY,
        timestamp=DOC_TIMESTAMP,
        service="sms",
        host=tencent.HOST,
        payload=payload,
    )
    assert headers["Authorization"] == expected
    assert "/2019-02-25/sms/tc3_request," in expected


async def test_send_posts_the_signed_request_and_reads_the_answer():
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        ok = {"SendStatusSet": [{"Code": "Ok", "Message": "send success"}], "RequestId": "r1"}
        return httpx.Response(200, json={"Response": ok})

    sender = _sender(transport=httpx.MockTransport(answer))
    await sender.send(
        phone="186 7612 8384", template="login_code", params={"code": "1", "minutes": "5"}
    )
    assert seen[0].url == "https://sms.tencentcloudapi.com/"
    assert seen[0].headers["authorization"].startswith("TC3-HMAC-SHA256 Credential=")
    assert json.loads(seen[0].content)["PhoneNumberSet"] == ["+8618676128384"]


@pytest.mark.parametrize(
    "response",
    [
        {"Error": {"Code": "AuthFailure.SignatureFailure", "Message": "bad"}, "RequestId": "x"},
        {"SendStatusSet": [{"Code": "LimitExceeded.PhoneNumberDailyLimit"}], "RequestId": "x"},
    ],
)
async def test_a_refusal_raises_sms_failed(response):
    transport = httpx.MockTransport(lambda r: httpx.Response(200, json={"Response": response}))
    with pytest.raises(SmsFailed):
        await _sender(transport=transport).send(
            phone="13812345678", template="login_code", params={"code": "1", "minutes": "5"}
        )


async def test_console_backend_is_the_default_and_logs_the_code(caplog):
    sender = sender_for(Settings())
    assert isinstance(sender, ConsoleSender)
    with caplog.at_level(logging.WARNING, logger="marketplace.sms"):
        await sender.send(
            phone="13812345678", template="login_code", params={"code": "123456", "minutes": "5"}
        )
    assert "123456" in caplog.text


def test_tencent_backend_needs_its_configuration():
    with pytest.raises(ValueError, match="TENCENTCLOUD_SECRET_ID"):
        sender_for(Settings(sms_backend="tencent"))
    configured = Settings(
        sms_backend="tencent",
        sms_secret_id="id",
        sms_secret_key="key",
        sms_app_id="1400006666",
        sms_sign_name="连心",
        sms_templates=(("login_code", "1110"),),
    )
    assert isinstance(sender_for(configured), tencent.TencentSmsSender)
