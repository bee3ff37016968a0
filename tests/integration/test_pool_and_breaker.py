"""Under load every request gets its turn: the connection pool serves waiters first come first
served, and a request that waited out a timeout while others were answered does not open the
breaker for everyone (a busy server is not a frozen one)."""

from __future__ import annotations

import asyncio

import pytest

from marketplace.core.outage import Breaker
from marketplace.db import WaitingPool
from tests.conftest import PG_URL
from tests.fixtures import _pg_reachable


async def _served_order(pool) -> list[int]:
    """Requests arriving in bursts, each taking a connection for one statement."""
    taken: list[int] = []

    async def request(arrival: int) -> None:
        async with pool.acquire() as connection:
            taken.append(arrival)
            await connection.fetchval("SELECT 1")

    tasks = []
    for arrival in range(300):
        tasks.append(asyncio.create_task(request(arrival)))
        if arrival % 4 == 3:
            await asyncio.sleep(0)
    await asyncio.gather(*tasks)
    return taken


def _most_overtaken(taken: list[int]) -> int:
    """The most later arrivals served before any one request."""
    return max(sum(1 for other in taken[:k] if other > mine) for k, mine in enumerate(taken))


async def test_the_pool_serves_waiting_requests_first_come_first_served():
    if reason := await _pg_reachable(PG_URL):
        pytest.skip(reason)
    import asyncpg

    raw = await asyncpg.create_pool(PG_URL, min_size=2, max_size=2)
    try:
        # asyncpg's own queue lets newcomers take connections handed to woken waiters
        assert _most_overtaken(await _served_order(raw)) > 20
        assert _most_overtaken(await _served_order(WaitingPool(raw, 30))) == 0
    finally:
        await raw.close()


async def test_a_pool_wait_times_out_and_gives_its_turn_back():
    if reason := await _pg_reachable(PG_URL):
        pytest.skip(reason)
    import asyncpg

    raw = await asyncpg.create_pool(PG_URL, min_size=1, max_size=1)
    pool = WaitingPool(raw, 0.2)
    try:
        held = await pool.acquire()
        with pytest.raises(TimeoutError):
            await pool.acquire()
        await pool.release(held)
        async with pool.acquire() as connection:  # the timed-out wait left no turn behind
            assert await connection.fetchval("SELECT 1") == 1
    finally:
        await raw.close()


def test_the_breaker_opens_only_when_nothing_was_answered_during_the_wait():
    breaker = Breaker()
    breaker.last_answer = 10.0
    breaker.trip(TimeoutError(), since=9.0)  # others were answered while it waited: busy
    assert not breaker.is_open()
    breaker.trip(ConnectionRefusedError(), since=11.0)  # refused, not frozen: answered at once
    assert not breaker.is_open()
    breaker.trip(TimeoutError(), since=11.0)  # nothing answered since it began: frozen
    assert breaker.is_open()
