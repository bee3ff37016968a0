"""The one place Redis clients are made: bounded pools that wait, and timeouts that fail fast.

redis-py's default pool raises MaxConnectionsError when full (a burst of requests answered 500)
and its default retries made a frozen server cost seconds per request. Here a full pool waits up
to `redis_pool_timeout_s`, a silent server fails after `redis_socket_timeout_s`, and the app turns
either into a 503 with Retry-After (see marketplace.core.outage).
"""

from __future__ import annotations

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from marketplace.settings import Settings


def make_redis(settings: Settings, *, blocking_reads: bool = False) -> Redis:
    """A client with its own bounded pool. `blocking_reads` is for pub/sub listeners and queue
    consumers, whose reads wait on purpose: they get no read timeout, only a connect timeout."""
    assert settings.redis_url, "make_redis needs REDIS_URL"
    pool = BlockingConnectionPool.from_url(
        settings.redis_url,
        max_connections=settings.redis_pool_max,
        timeout=settings.redis_pool_timeout_s,
        socket_connect_timeout=settings.redis_socket_timeout_s,
        socket_timeout=None if blocking_reads else settings.redis_socket_timeout_s,
        health_check_interval=30,
        retry=Retry(NoBackoff(), 1),  # one quick retry (a restarted server's stale socket)
    )
    return Redis.from_pool(pool)
