"""Operations at the edge: ids past the columns' range, unknown URLs, dependencies that fail."""

from __future__ import annotations

import asyncio
import uuid
from urllib.parse import urlparse

import pytest

from marketplace.core.ids import MAX_ID
from tests.factories import as_, make_world
from tests.faults import FaultyProxy
from tests.fixtures import REDIS_URL, redis_reason, settings_for, start_app

BIG_IDS = [MAX_ID + 1, 2**63, 0]


@pytest.mark.parametrize("big", BIG_IDS)
async def test_ids_past_the_column_range_answer_404(running, big):
    world = await make_world()
    coord = await as_(running, world, "coord")
    for method, path in [
        ("GET", f"/api/v1/wishes/{big}"),
        ("POST", f"/api/v1/wishes/{big}/publish"),
        ("GET", f"/api/v1/tasks/{big}"),
        ("POST", f"/api/v1/tasks/{big}/claim"),
        ("GET", f"/api/v1/matching-runs/{big}"),
        ("GET", f"/api/v1/partners/{big}"),
        ("GET", f"/api/v1/projects/{big}"),
        ("GET", f"/api/v1/residents/{big}"),
        ("GET", f"/api/v1/service-record/people/{big}"),
        ("GET", f"/api/v1/announcements?community_id={big}"),
    ]:
        r = await coord.request(method, path, json={} if method == "POST" else None)
        assert r.status_code == 404, (path, r.status_code, r.text)
        assert r.json()["code"] == "not_found"


async def test_an_id_past_the_range_in_a_body_is_refused_not_500(running):
    world = await make_world()
    grid = await as_(running, world, "grid")
    r = await grid.post(
        "/api/v1/wishes",
        json={"title": "需要帮忙", "description": "修水管", "resident_id": 2**40},
    )
    assert 400 <= r.status_code < 500, r.text


async def test_unknown_pages_are_a_chinese_404_page_and_the_api_keeps_json(running):
    client = running.client()
    page = await client.get("/no-such-page")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "没有找到" in page.text or "找不到" in page.text, page.text[:500]
    api = await client.get("/api/v1/no-such-thing")
    assert api.status_code == 404
    assert api.json()["code"] == "not_found"
    icon = await client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg")


async def _redis_app(proxy: FaultyProxy, **overrides):
    url = urlparse(REDIS_URL)
    overrides.setdefault("redis_socket_timeout_s", 0.5)
    settings = settings_for(
        "redis",
        redis_url=f"redis://127.0.0.1:{proxy.port}{url.path or '/0'}",
        redis_namespace=f"lianxin-test-{uuid.uuid4().hex[:8]}",
        executor="inprocess",
        **overrides,
    )
    return await start_app(settings)


@pytest.fixture
async def redis_proxy(clean):
    if reason := await redis_reason():
        pytest.skip(reason)
    url = urlparse(REDIS_URL)
    proxy = await FaultyProxy(url.hostname or "127.0.0.1", url.port or 6379).start()
    yield proxy
    await proxy.stop()


async def test_redis_down_or_frozen_answers_503_and_recovers(redis_proxy):
    world = await make_world()
    app = await _redis_app(redis_proxy)
    try:
        client = await as_(app, world, "resident")
        assert (await client.get("/api/v1/me")).status_code == 200

        redis_proxy.mode = "refuse"
        redis_proxy.cut()
        r = await client.get("/api/v1/me", headers={"accept-language": "en"})
        assert r.status_code == 503, r.text
        assert r.headers["retry-after"].isdigit()
        assert r.json()["code"] == "unavailable" and "unavailable" in r.json()["message"]
        assert "不可用" in (await client.get("/api/v1/me")).json()["message"]

        redis_proxy.mode = "freeze"
        loop = asyncio.get_running_loop()
        started = loop.time()
        statuses = [(await client.get("/api/v1/me")).status_code for _ in range(5)]
        assert statuses == [503] * 5
        assert loop.time() - started < 3, "a frozen Redis must not cost seconds per request"

        redis_proxy.mode = "forward"
        await asyncio.sleep(2.1)  # the breaker's window
        assert (await client.get("/api/v1/me")).status_code == 200, "recovers without a restart"
    finally:
        redis_proxy.mode = "forward"
        await app.stop()


async def test_a_burst_past_the_redis_pool_waits_instead_of_failing(redis_proxy):
    world = await make_world()
    # The wait is bounded by the pool's timeout; a loaded CI machine needs seconds for 200 requests.
    app = await _redis_app(
        redis_proxy, redis_pool_max=8, redis_pool_timeout_s=60.0, redis_socket_timeout_s=5.0
    )
    try:
        client = await as_(app, world, "resident")
        answers = await asyncio.gather(*[client.get("/api/v1/me") for _ in range(200)])
        codes = sorted({r.status_code for r in answers})
        assert codes == [200], codes
    finally:
        await app.stop()
