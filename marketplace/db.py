"""The database engine, transactions that commit side effects only on success, and engine swaps."""

from __future__ import annotations

import asyncio
import contextvars
import functools
import itertools
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import msgspec
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.querystring import QueryString
from piccolo.table import Table

from marketplace.settings import Settings

AfterCommit = Callable[[], Awaitable[None]]
MAX_PARAMS = 30_000  # parameters per statement (PostgreSQL takes 32,767, SQLite 32,766)
_after_commit: contextvars.ContextVar[list[AfterCommit] | None] = contextvars.ContextVar(
    "after_commit", default=None
)


def make_engine(settings: Settings) -> Engine:
    """PostgreSQL when DATABASE_URL says so, otherwise the embedded SQLite file."""
    url = settings.database_url
    if url and url.startswith(("postgres://", "postgresql://")):
        config = {
            "dsn": url,
            "timeout": settings.db_connect_timeout_s,  # connect: a frozen server fails, not hangs
            "command_timeout": settings.db_statement_timeout_s,
        }
        return PostgresEngine(config=config, log_queries=False)
    if url and url.startswith("sqlite:///"):
        return sqlite_engine(url.removeprefix("sqlite:///"))
    if url:
        raise ValueError(
            f"DATABASE_URL must be postgresql://... or sqlite:///path, got {url[:12]}..."
        )
    settings.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    return sqlite_engine(str(settings.sqlite_path))


def sqlite_engine(path: str) -> SQLiteEngine:
    """A SQLite engine that waits for the write lock rather than failing at once."""
    return SQLiteEngine(path=path, timeout=30)


def engine() -> Engine:
    """The engine the tables are bound to now."""
    from marketplace import piccolo_conf

    return piccolo_conf.DB


@asynccontextmanager
async def atomic() -> AsyncIterator[None]:
    """One transaction; callbacks registered with after_commit run only once it has committed.

    SQLite gets BEGIN IMMEDIATE so read-then-write transactions queue for the lock instead of
    failing with "database is locked". Nested calls join the outer transaction.
    """
    db = engine()
    outer = _after_commit.get()
    if outer is not None:
        yield
        return
    callbacks: list[AfterCommit] = []
    token = _after_commit.set(callbacks)
    try:
        if isinstance(db, SQLiteEngine):
            txn = db.transaction(transaction_type=TransactionType.immediate)
        else:
            txn = db.transaction()
        async with txn:
            yield
    finally:
        _after_commit.reset(token)
    for callback in callbacks:
        await callback()


def after_commit(callback: AfterCommit) -> None:
    """Run callback after the current transaction commits (at once if there is none)."""
    pending = _after_commit.get()
    if pending is None:
        raise RuntimeError("after_commit() called outside atomic()")
    pending.append(callback)


def all_tables() -> list[type[Table]]:
    """Every table of the app, plus Piccolo's migration bookkeeping table."""
    from piccolo.apps.migrations.tables import Migration

    from marketplace.piccolo_app import APP_CONFIG

    return [*APP_CONFIG.table_classes, Migration]


async def use_engine(new: Engine) -> None:
    """Bind every table (and the migration runner) to another engine: tests and tools use this."""
    from marketplace import piccolo_conf

    piccolo_conf.DB = new
    for table in all_tables():
        table._meta.db = new


_pool_users: dict[int, int] = {}


async def _no_reset(connection) -> None:
    """Skip asyncpg's reset query (RESET ALL, UNLISTEN, ...) when a connection goes back to the
    pool: a round trip per statement outside a transaction. The app keeps no session state (no
    SET, LISTEN or advisory locks on pooled connections); asyncpg still rolls back an open
    transaction before this hook."""


class WaitingPool:
    """An asyncpg pool whose acquire waits at most `timeout` seconds (Piccolo acquires without
    one, so a pool exhausted by a frozen server would hang every request), first come first
    served: asyncpg's queue lets a newcomer take a connection handed to a woken waiter, who then
    queues again at the back, so under load one request could wait out the timeout while others
    went by. A FIFO semaphore of the pool's size hands out the turns; the pool never queues."""

    def __init__(self, pool: Any, timeout: float) -> None:
        self._pool = pool
        self._timeout = timeout
        self._turns = asyncio.Semaphore(pool.get_max_size())

    def acquire(self, *, timeout: float | None = None) -> _Acquire:
        return _Acquire(self, timeout or self._timeout)

    async def take(self, wait_s: float) -> Any:
        async with asyncio.timeout(wait_s):
            await self._turns.acquire()
            try:
                return await self._pool.acquire()
            except BaseException:
                self._turns.release()
                raise

    async def release(self, connection: Any, **options: Any) -> None:
        try:
            await self._pool.release(connection, **options)
        finally:
            self._turns.release()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pool, name)


class _Acquire:
    """`await pool.acquire()` (then `pool.release`) or `async with pool.acquire() as c`."""

    def __init__(self, pool: WaitingPool, timeout: float) -> None:
        self._pool = pool
        self._timeout = timeout
        self._connection: Any = None

    def __await__(self) -> Any:
        return self._pool.take(self._timeout).__await__()

    async def __aenter__(self) -> Any:
        self._connection = await self._pool.take(self._timeout)
        return self._connection

    async def __aexit__(self, *_: object) -> None:
        await self._pool.release(self._connection)


async def prepare_engine(db: Engine, settings: Settings | None = None) -> None:
    """Per-process setup: WAL for SQLite, a bounded connection pool for PostgreSQL (sizes and
    timeouts from the settings; shared by every app instance in the process and closed when the
    last one stops)."""
    if isinstance(db, SQLiteEngine):
        await db.run_ddl("PRAGMA journal_mode=WAL")
    elif isinstance(db, PostgresEngine):
        settings = settings or Settings()
        users = _pool_users.get(id(db), 0)
        if users == 0:
            await db.start_connection_pool(
                min_size=min(settings.db_pool_min, settings.db_pool_max),
                max_size=settings.db_pool_max,
                timeout=settings.db_connect_timeout_s,
                command_timeout=settings.db_statement_timeout_s,
                reset=_no_reset,
            )
            db.pool = WaitingPool(db.pool, settings.db_acquire_timeout_s)  # type: ignore[assignment]
        _pool_users[id(db)] = users + 1


async def release_engine(db: Engine) -> None:
    """Close what prepare_engine opened, once its last user is done."""
    if isinstance(db, PostgresEngine) and _pool_users.get(id(db), 0) > 0:
        _pool_users[id(db)] -= 1
        if _pool_users[id(db)] == 0 and getattr(db, "pool", None) is not None:
            await db.close_connection_pool()


async def insert_many(
    table: type[Table],
    columns: Sequence[str],
    rows: Sequence[tuple],
    returning: tuple[str, ...] = (),
) -> list[dict]:
    """Insert plain rows (values in `columns` order, JSON columns as text) in few statements
    with the values as parameters; the `returning` columns of each row (in no promised order:
    SQLite's RETURNING does not keep it). Piccolo's insert builds a Table object and a nested
    query string per row: measured 3.4 s of Python for a district proposal's 20,000 rows."""
    per = max(1, MAX_PARAMS // max(1, len(columns)))
    saved: list[dict] = []
    for start in range(0, len(rows), per):
        chunk = rows[start : start + per]
        sql = _insert_sql(table, tuple(columns), len(chunk), returning)
        saved += await raw(sql, *itertools.chain.from_iterable(chunk)) or []
    return saved


_MARK = -918_273_645  # stands for the id in a select built once (no row has a negative id)


class ById:
    """A select of one row by id whose SQL Piccolo builds once per engine: on the hot paths
    (a claim reads its task and wish) building the joins and aliases cost more than running
    them. `build(marker)` makes the query with `marker` in place of the id; `json` names the
    columns to decode, as `.output(load_json=True)` would."""

    def __init__(self, build: Callable[[int], Any], json: Sequence[str] = ()) -> None:
        self._build = build
        self._json = tuple(json)
        self._compiled: dict[str, tuple[str, list[Any], list[int]]] = {}

    def _sql(self, engine_type: str) -> tuple[str, list[Any], list[int]]:
        if engine_type not in self._compiled:
            query = self._build(_MARK).limit(1)
            sql, args = query.querystrings[0].compile_string(engine_type=engine_type)
            marks = [i for i, a in enumerate(args) if a == _MARK]
            assert marks, "the query must use the marker"
            self._compiled[engine_type] = (sql, args, marks)
        return self._compiled[engine_type]

    async def first(self, row_id: int) -> dict | None:
        db = engine()
        sql, args, marks = self._sql(db.engine_type)
        values = list(args)
        for i in marks:
            values[i] = row_id
        compiled = QueryString("")
        compiled._frozen_compiled_strings = (sql, values)  # Piccolo's own freeze, per run
        rows = await db.run_querystring(compiled)
        if not rows:
            return None
        row = dict(db.transform_response_to_dicts(rows)[0])
        for name in self._json:
            if isinstance(row.get(name), str | bytes):
                row[name] = msgspec.json.decode(row[name])
        return row


async def fetch_pg(sql: str, *args: Any) -> list[Any]:
    """asyncpg records of one PostgreSQL statement ($1, $2... parameters), in the current
    transaction if there is one, else on a pooled connection."""
    db = engine()
    transaction = db.current_transaction.get()  # type: ignore[attr-defined]
    if transaction is not None:
        return await transaction.connection.fetch(sql, *args)
    if getattr(db, "pool", None) is None:  # no pool started (scripts, tests): as Piccolo does
        connection = await db.get_new_connection()  # type: ignore[attr-defined]
        try:
            return await connection.fetch(sql, *args)
        finally:
            await connection.close()
    async with db.pool.acquire() as connection:  # type: ignore[attr-defined]
        return await connection.fetch(sql, *args)


@functools.lru_cache(maxsize=256)
def _numbered(sql: str) -> str:
    """Piccolo's {} placeholders as PostgreSQL's $1, $2..."""
    parts = sql.split("{}")
    return "".join(f"{part}${i}" for i, part in enumerate(parts[:-1], start=1)) + parts[-1]


async def raw(sql: str, *args: Any) -> list[Any]:
    """Rows of one hand-written statement with {} placeholders: on asyncpg directly for
    PostgreSQL (records), through Piccolo for SQLite (dicts). Both read by column name."""
    db = engine()
    if db.engine_type == "postgres":
        return await fetch_pg(_numbered(sql), *args)
    return await db.run_querystring(QueryString(sql, *args))


@functools.lru_cache(maxsize=128)
def _insert_sql(
    table: type[Table], columns: tuple[str, ...], count: int, returning: tuple[str, ...]
) -> str:
    names = ", ".join(f'"{c}"' for c in columns)
    row = "(" + ", ".join("{}" for _ in columns) + ")"
    sql = f'INSERT INTO "{table._meta.tablename}" ({names}) VALUES {", ".join([row] * count)}'
    return sql + (" RETURNING " + ", ".join(f'"{c}"' for c in returning) if returning else "")


@functools.cache
def _json_columns(table: type[Table]) -> frozenset[str]:
    return frozenset(c._meta.name for c in table._meta.json_columns)


def _encoded(table: type[Table], values: dict[str, Any]) -> tuple:
    """A row's values in order, its JSON columns encoded as text."""
    json_columns = _json_columns(table)
    return tuple(
        msgspec.json.encode(v).decode() if name in json_columns else v for name, v in values.items()
    )


async def insert(table: type[Table], **values: Any) -> int:
    """Insert one row of the given columns (the others take their defaults); its id. For the
    hot writes: Piccolo builds an insert of every column on each save."""
    sql = _insert_sql(table, tuple(values), 1, ("id",))
    rows = await raw(sql, *_encoded(table, values))
    return rows[0]["id"]


async def insert_rows(
    table: type[Table], rows: Sequence[dict[str, Any]], returning: tuple[str, ...] = ("id",)
) -> list[dict]:
    """insert_many for rows as dicts of the same columns (JSON columns encoded here)."""
    if not rows:
        return []
    return await insert_many(table, tuple(rows[0]), [_encoded(table, r) for r in rows], returning)
