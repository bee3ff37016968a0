"""Faults under load: `make chaos` (not part of CI).

Starts its OWN PostgreSQL and Redis (ports 8850, 8851; never the shared servers) and the app under
uvicorn (port 8852), then for each fault — stop, freeze (SIGSTOP) and restart, of Redis and of
PostgreSQL — runs a steady mix of reads (GET /me) and writes (POST /wishes, each with a unique
title) and prints: requests, status counts, lost writes (201 answered, no row), duplicated writes
(two rows for one title), and the time from the end of the fault to the first success.
"""

from __future__ import annotations

import asyncio
import collections
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid

import asyncpg
import httpx

PG_PORT, REDIS_PORT, APP_PORT = 8850, 8851, 8852
FAULT_AT_S, FAULT_FOR_S, AFTER_S = 1.5, 3.0, 6.0
CLIENTS = 4
PAUSE_S = 0.2  # 4 clients at ~5 requests/s each


class Servers:
    def __init__(self) -> None:
        self.tmp = tempfile.mkdtemp(prefix="lianxin-chaos-")
        self.pg: subprocess.Popen | None = None
        self.redis: subprocess.Popen | None = None
        self.app: subprocess.Popen | None = None
        self.pg_url = f"postgresql://postgres@127.0.0.1:{PG_PORT}/postgres"
        self.redis_url = f"redis://127.0.0.1:{REDIS_PORT}/0"

    def _as_postgres(self, argv: list[str]) -> list[str]:
        """PostgreSQL refuses to run as root: drop to the postgres user (exec, no extra fork)."""
        if os.geteuid() != 0:
            return argv
        shutil.chown(self.tmp, "postgres")
        return ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", *argv]

    def start_pg(self) -> None:
        data = os.path.join(self.tmp, "pg")
        if not os.path.exists(data):
            subprocess.run(
                self._as_postgres(["initdb", "-D", data, "-U", "postgres", "--auth=trust"]),
                check=True,
                capture_output=True,
            )
        argv = ["postgres", "-D", data, "-p", str(PG_PORT), "-k", self.tmp, "-h", "127.0.0.1"]
        self.pg = subprocess.Popen(
            self._as_postgres(argv),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: freeze the backends too
        )

    def start_redis(self) -> None:
        self.redis = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(REDIS_PORT),
                "--dir",
                self.tmp,
                "--appendonly",
                "yes",
                "--save",
                "",
            ],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )

    def start_app(self) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": self.pg_url,
            "REDIS_URL": self.redis_url,
            "LIANXIN_EXECUTOR": "inprocess",
            "LIANXIN_ENV_FILE": "",
            "LIANXIN_LOG_LEVEL": "ERROR",
            # six faults in a row exceed a minute's budget of one person: the faults are measured
            "LIANXIN_RATE_LIMIT_PERSON_PER_MINUTE": "100000",
            "LIANXIN_RATE_LIMIT_ANONYMOUS_PER_MINUTE": "100000",
        }
        py = sys.executable
        subprocess.run(
            [py, "-m", "marketplace.cli", "migrate"], env=env, check=True, capture_output=True
        )
        subprocess.run(
            [py, "-m", "marketplace.cli", "demo"], env=env, check=True, capture_output=True
        )
        self.app = subprocess.Popen(
            [
                py,
                "-m",
                "uvicorn",
                "marketplace.asgi:app",
                "--port",
                str(APP_PORT),
                "--no-access-log",
                "--log-level",
                "error",
            ],
            env=env,
        )

    def signal(self, name: str, sig: int) -> None:
        """To the server's whole process group (PostgreSQL's backends are its children)."""
        os.killpg(getattr(self, name).pid, sig)

    def stop(self, name: str) -> None:
        proc = getattr(self, name)
        if name != "app":
            self.signal(name, signal.SIGCONT)
        proc.send_signal(signal.SIGINT if name == "pg" else signal.SIGTERM)  # pg: fast shutdown
        proc.wait(30)

    def close(self) -> None:
        for name in ("app", "redis", "pg"):
            proc = getattr(self, name)
            if proc and proc.poll() is None:
                try:
                    self.stop(name)
                except Exception:  # never leave a server behind on the chaos ports
                    proc.kill()
        shutil.rmtree(self.tmp, ignore_errors=True)


def ports_free() -> None:
    """A server left on a chaos port would take the load instead of the one under test."""
    import socket

    for port in (PG_PORT, REDIS_PORT, APP_PORT):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                raise SystemExit(f"port {port} is in use: stop what listens there first")


async def wait_ready(base: str) -> None:
    async with httpx.AsyncClient(base_url=base) as client:
        for _ in range(300):
            try:
                if (await client.get("/healthz")).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit("the app did not start")


async def login(base: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=base, timeout=30)
    r = await client.post(
        "/api/v1/auth/login", json={"phone": "13900000001", "password": "lianxin2026"}
    )
    r.raise_for_status()
    return client


async def load(client: httpx.AsyncClient, tag: str, stop_at: float, log: list) -> None:
    """Alternate a read and a write until stop_at; record (time, kind, status, title)."""
    n = 0
    while time.monotonic() < stop_at:
        n += 1
        write = n % 2 == 0
        title = f"{tag}-{uuid.uuid4().hex[:10]}"
        try:
            if write:
                r = await client.post(
                    "/api/v1/wishes",
                    json={"title": title, "category": "errands", "description": "chaos"},
                )
            else:
                r = await client.get("/api/v1/me")
            status = r.status_code
        except httpx.HTTPError as exc:
            status = type(exc).__name__
        log.append((time.monotonic(), "w" if write else "r", status, title))
        await asyncio.sleep(PAUSE_S)


async def connect(url: str) -> asyncpg.Connection:
    """The check's own connection, once the server accepts it again."""
    for _ in range(300):
        try:
            return await asyncpg.connect(url)
        except (OSError, asyncpg.PostgresError):
            await asyncio.sleep(0.1)
    raise SystemExit("PostgreSQL did not come back")


async def one_fault(servers: Servers, target: str, fault: str, clients: list) -> dict:
    tag = f"chaos-{target}-{fault}-{uuid.uuid4().hex[:6]}"
    log: list = []
    start = time.monotonic()
    stop_at = start + FAULT_AT_S + FAULT_FOR_S + AFTER_S
    loads = [asyncio.create_task(load(c, tag, stop_at, log)) for c in clients]
    await asyncio.sleep(FAULT_AT_S)
    if fault == "freeze":
        servers.signal(target, signal.SIGSTOP)
        await asyncio.sleep(FAULT_FOR_S)
        servers.signal(target, signal.SIGCONT)
    elif fault == "stop":
        await asyncio.to_thread(servers.stop, target)
        await asyncio.sleep(FAULT_FOR_S)
        getattr(servers, f"start_{target}")()
    else:  # restart: down only as long as a restart takes
        await asyncio.to_thread(servers.stop, target)
        getattr(servers, f"start_{target}")()
    healed = time.monotonic()
    await asyncio.gather(*loads)
    counts = collections.Counter(str(s) for _, _, s, _ in log)
    ok_after = [t for t, _, s, _ in log if t >= healed and s in (200, 201)]
    created = {title for _, k, s, title in log if k == "w" and s == 201}
    conn = await connect(servers.pg_url)
    try:
        rows = await conn.fetch("SELECT title FROM wish WHERE title LIKE $1", tag + "%")
    finally:
        await conn.close()
    titles = collections.Counter(r["title"] for r in rows)
    return {
        "fault": f"{target} {fault}",
        "requests": len(log),
        "statuses": " ".join(f"{k}:{v}" for k, v in sorted(counts.items())),
        "lost": len(created - set(titles)),
        "duplicated": sum(1 for n in titles.values() if n > 1),
        "unconfirmed_rows": len(set(titles) - created),
        "recover_s": round(ok_after[0] - healed, 2) if ok_after else None,
    }


async def main() -> None:
    for tool in ("initdb", "postgres", "redis-server"):
        if not shutil.which(tool):
            raise SystemExit(f"make chaos needs {tool} on PATH")
    ports_free()
    servers = Servers()
    try:
        servers.start_pg()
        servers.start_redis()
        await (await connect(servers.pg_url)).close()
        servers.start_app()
        base = f"http://127.0.0.1:{APP_PORT}"
        await wait_ready(base)
        clients = [await login(base) for _ in range(CLIENTS)]
        rows = []
        for target in ("redis", "pg"):
            for fault in ("stop", "freeze", "restart"):
                rows.append(await one_fault(servers, target, fault, clients))
                print(rows[-1], flush=True)
                await asyncio.sleep(3)  # let the breaker close and the pools refill
        for c in clients:
            await c.aclose()
        head = f"{'fault':<14} {'requests':>8} {'lost':>4} {'dup':>3} {'recover_s':>9}  statuses"
        print("\n" + head)
        for r in rows:
            print(
                f"{r['fault']:<14} {r['requests']:>8} {r['lost']:>4} {r['duplicated']:>3} "
                f"{r['recover_s']!s:>9}  {r['statuses']}"
                + (
                    f"  (rows whose answer was lost: {r['unconfirmed_rows']})"
                    if r["unconfirmed_rows"]
                    else ""
                )
            )
    finally:
        servers.close()


if __name__ == "__main__":
    asyncio.run(main())
