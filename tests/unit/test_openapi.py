"""The OpenAPI document describes what the API answers (marketplace/openapi.py): the error body,
the statuses of each operation, who may call it, and the constraints the code enforces. What the
app really answers is checked against it by tests/security/test_schemathesis.py."""

from __future__ import annotations

import json
from functools import cache

from tests.fixtures import settings_for

ERROR_REF = "#/components/schemas/Error"
PUBLIC = {
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/codes"),
    ("POST", "/api/v1/auth/code-login"),
    ("POST", "/api/v1/auth/sign-up"),
    ("POST", "/api/v1/auth/password"),
    ("GET", "/api/v1/announcements"),
    ("GET", "/api/v1/org/config"),
    ("GET", "/api/v1/org/tree"),
}


@cache
def document() -> dict:
    from marketplace.app import create_app

    return create_app(settings_for()).openapi_schema.to_schema()


def operations() -> list[tuple[str, str, dict]]:
    return [
        (method.upper(), path, op)
        for path, item in document()["paths"].items()
        for method, op in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]


def test_the_document_is_the_json_api_only():
    paths = document()["paths"]
    assert len(operations()) >= 100
    assert all(p.startswith("/api/v1/") for p in paths), "pages are not the API"


def test_the_error_body_is_the_one_the_app_sends():
    from marketplace.app import _error

    schema = document()["components"]["schemas"]["Error"]
    body = _error(404, "没有这个对象。", field="wish_id").content
    assert set(schema["required"]) == set(schema["properties"]) == set(body)
    item = schema["properties"]["errors"]["items"]
    assert set(item["required"]) == {"field", "code", "message"}
    assert schema["additionalProperties"] is False
    assert '"detail"' not in json.dumps(document()["paths"]), "Litestar's own error body"


def test_every_error_response_is_the_error_body():
    for method, path, op in operations():
        errors = {int(s): r for s, r in op["responses"].items() if int(s) >= 400}
        assert {429, 503} <= set(errors), (method, path)
        for status, response in errors.items():
            schema = response["content"]["application/json"]["schema"]
            assert schema == {"$ref": ERROR_REF}, (method, path, status)
            if status in (429, 503):
                assert "Retry-After" in response["headers"]


def test_each_operation_documents_the_statuses_it_can_answer():
    for method, path, op in operations():
        statuses = {int(s) for s in op["responses"]}
        params = op.get("parameters", [])
        if "requestBody" in op:
            assert {400, 413, 415} <= statuses, (method, path)
        if any(p["in"] == "path" for p in params):
            assert 404 in statuses, (method, path)
        if method != "GET":
            assert 409 in statuses, (method, path)
        if (method, path) not in PUBLIC:
            assert {401, 403} <= statuses, (method, path)
        assert any(s < 300 for s in statuses), (method, path)


def test_public_operations_need_no_session_and_the_others_the_cookie():
    schemes = document()["components"]["securitySchemes"]
    assert schemes["sessionCookie"] == {
        "type": "apiKey",
        "description": "Session cookie authentication.",
        "name": "lianxin_session",
        "in": "cookie",
    }
    public = {(m, p) for m, p, op in operations() if op["security"] == []}
    assert public == PUBLIC
    for method, path, op in operations():
        if (method, path) not in PUBLIC:
            assert op["security"] == [{"sessionCookie": []}], (method, path)


def test_the_constraints_the_code_enforces_are_documented():
    schemas = document()["components"]["schemas"]
    wish = schemas["WishCreate"]
    assert wish["additionalProperties"] is False  # unknown fields are refused
    assert wish["properties"]["title"]["maxLength"] == 100
    assert schemas["SlotCreate"]["additionalProperties"] is False  # nested bodies too
    assert "additionalProperties" not in schemas["WishRead"]  # answers may grow
    ids = [
        p["schema"]
        for _, _, op in operations()
        for p in op.get("parameters", [])
        if p["name"].endswith("_id") and p["schema"].get("type") == "integer"
    ]
    assert ids and all(s["minimum"] == 1 and s["maximum"] == 2**31 - 1 for s in ids)
    upload = document()["paths"]["/api/v1/rosters/{kind}/import"]["post"]["requestBody"]
    assert upload["content"]["multipart/form-data"]["schema"]["required"] == ["file"]
