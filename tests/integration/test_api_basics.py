"""The API's frame: OpenAPI with a local Swagger UI, JSON errors, no-store on personal data."""

from __future__ import annotations

from tests.factories import as_, make_world


async def test_openapi_and_swagger_served_locally(running):
    client = running.client()
    spec = await client.get("/schema/openapi.json")
    assert spec.status_code == 200
    paths = spec.json()["paths"]
    assert "/api/v1/wishes" in paths and "/api/v1/matching-runs" in paths
    page = await client.get("/schema/swagger")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower() and "unpkg" not in page.text
    assert "/static/swagger/swagger-ui-bundle.js" in page.text
    asset = await client.get("/static/swagger/swagger-ui-bundle.js")
    assert asset.status_code == 200 and len(asset.content) > 100_000


async def test_errors_are_json_a_person_can_act_on(running):
    client = running.client()
    r = await client.get("/api/v1/no-such-thing")
    assert r.status_code == 404 and r.json()["message"]
    r = await client.get("/api/v1/wishes")
    assert r.status_code == 401 and r.json()["message"]
    r = await client.delete("/api/v1/announcements")
    assert r.status_code == 405 and r.json()["message"]


async def test_personal_responses_are_not_cached_but_the_board_may_be(running):
    world = await make_world()
    resident = await as_(running, world, "resident")
    assert (await resident.get("/api/v1/me")).headers["cache-control"] == "no-store"
    board = await running.client().get("/api/v1/announcements")
    assert "public" in board.headers["cache-control"]
    assert (await running.client().get("/healthz")).json() == {"status": "ok"}
