"""Where the turn's SQL runs: one read per turn, and writes of concurrent turns grouped into
one transaction and one commit (group commit).

Measured first (a one-row SELECT: 50 us in sqlite3, 70 us through aiosqlite, ~1 ms through
SQLAlchemy's async layer; then `medbot bench turns`): the async adaptation, not the driver,
was the floor, and on a busy machine every hop to another thread costs milliseconds. So on
SQLite the turn's SQL is plain synchronous SQLAlchemy Core with statements built once (the
hottest on the driver's connection: portal.store.prepared), run on the event loop's thread
on connections of its own: a whole read is one call, a whole batch of turns one
transaction. On PostgreSQL (or an in-memory SQLite) the same synchronous functions run
through the async engine with `run_sync`, except the turn's own statements on PostgreSQL:
those run on asyncpg connections of the store's own (see Reads and Writes below).

Durability: SQLite runs in WAL with synchronous=FULL, so a commit returns only after the
WAL is on disk, and a turn is acknowledged (its replies sent) only after its commit. A
process crash or a power cut loses no acknowledged turn; a turn in flight is lost whole
(the customer saw no answer and writes again). The fsync is shared instead of skipped:
turns ready to save while a batch is forming join it, so N concurrent turns cost one
fsync, not N, and none waits behind another's.

Reads: a read that is one statement (the turn's conversation: `read_one`, a
portal.store.prepared statement) runs alone, outside any transaction: on SQLite without
BEGIN/COMMIT (one statement is its own snapshot), on PostgreSQL on an asyncpg connection
of its own (portal.store.rawpg). A read of several statements (`read`: the household) keeps
one transaction on SQLite for one snapshot; on PostgreSQL its statements run outside one
(READ COMMITTED: each statement has its own snapshot either way).

Writes are grouped the same way on both, one transaction per batch on one connection:
BEGIN, each turn's statements, COMMIT. A savepoint per turn would cost two more statements
each (two more round trips on PostgreSQL; on SQLite ~0.06 of the ~0.15 ms of CPU the
store's part of a turn took at 8 customers), so a turn that fails undoes the batch's
transaction instead, and the others run again without it (turns are functions of the
connection only: running one again in a new transaction is running it once). Each turn is
still acknowledged only once the transaction holding it has committed. A batch that finds
SQLite's write lock taken is tried again whole. On PostgreSQL a batch whose turns all have
a raw form (`Write.raw`: the plain turn, its conversation's UPDATE and its inbox message)
runs the same way on an asyncpg connection (`run_together_raw`). Measured with
`medbot bench turns --database-url ...`: a transaction and a pool connection per turn left
32 concurrent customers queueing for connections (the default pool of 5 + 10 overflow
ones, closed and reopened) and for each other's BEGIN/COMMIT round trips.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from collections.abc import Awaitable, Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.exc import OperationalError

from portal.store.prepared import Prepared
from portal.store.rawpg import RawPostgres

if TYPE_CHECKING:  # the async layer is imported only by what uses it
    from sqlalchemy.ext.asyncio import AsyncEngine


__all__ = ["AsyncLanes", "Lanes", "SqliteLanes", "is_lock_error", "run_together"]

log = logging.getLogger(__name__)

T = TypeVar("T")
Job = Callable[[Connection], Any]
# The same write on an asyncpg connection (and the dialect its statements are compiled for).
RawJob = Callable[[Any, Dialect], Awaitable[Any]]

# A batch that could not take the write lock (another process holds it past busy_timeout)
# is tried again this many times, after these pauses, before its turns fail.
LOCK_RETRIES = (0.05, 0.2, 0.5)
# More turns than this wait for the next commit: one batch must not hold the lock for long.
MAX_BATCH = 64
# PostgreSQL connections for one-statement reads (a round trip each), apart from the engine's.
READ_CONNECTIONS = 10


def is_lock_error(error: BaseException) -> bool:
    """SQLite's "database is locked" / "busy" (another writer holds the lock)."""
    text = str(getattr(error, "orig", error)).lower()
    return isinstance(error, OperationalError) and ("locked" in text or "busy" in text)


@dataclass(slots=True)
class _Outcome:
    value: Any = None
    error: BaseException | None = None


def _settled(outcomes: list[_Outcome | None], values: dict[int, Any]) -> list[_Outcome]:
    """The batch's outcomes once its transaction committed `values` (the jobs that raised
    were set aside with their errors before)."""
    for index, value in values.items():
        outcomes[index] = _Outcome(value)
    return [outcome if outcome is not None else _Outcome(error=AssertionError("not run"))
            for outcome in outcomes]


def run_together(conn: Connection, jobs: Sequence[Job]) -> list[_Outcome]:
    """Every job in one transaction without savepoints; a job that raises is set aside with
    its exception and the others run again in a new transaction. A failure outside the
    jobs (the commit, the connection) or SQLite's lock is the whole batch's: raised (a
    locked batch is tried again whole)."""
    outcomes: list[_Outcome | None] = [None] * len(jobs)
    todo = list(range(len(jobs)))
    while todo:
        values: dict[int, Any] = {}
        running: int | None = None
        transaction = conn.begin()
        try:
            for running in todo:
                values[running] = jobs[running](conn)
            running = None
            transaction.commit()
        except Exception as error:
            transaction.rollback()
            if running is None or conn.invalidated or is_lock_error(error):
                raise
            outcomes[running] = _Outcome(error=error)  # handed to the job's caller
            todo.remove(running)
            continue
        except BaseException:
            transaction.rollback()
            raise
        return _settled(outcomes, values)
    return _settled(outcomes, {})


@dataclass(frozen=True, slots=True)
class Write:
    """A turn's write: `fn(conn)` in SQLAlchemy Core; `raw`, when the write has one, the
    same on an asyncpg connection (a PostgreSQL batch of only such writes runs raw)."""

    fn: Job
    raw: RawJob | None = None

    def __call__(self, conn: Connection) -> Any:
        return self.fn(conn)


async def run_together_raw(connection: Any, dialect: Dialect,
                           jobs: list[RawJob]) -> list[_Outcome]:
    """`run_together` on an asyncpg connection: one transaction (BEGIN, the jobs, COMMIT);
    a job that raises is set aside and the others run again; a failure of the connection
    or of the commit is the whole batch's: raised."""
    outcomes: list[_Outcome | None] = [None] * len(jobs)
    todo = list(range(len(jobs)))
    while todo:
        values: dict[int, Any] = {}
        running: int | None = None
        await connection.execute("BEGIN")
        try:
            for running in todo:
                values[running] = await jobs[running](connection, dialect)
            running = None
            await connection.execute("COMMIT")
        except Exception as error:
            if connection.is_closed() or running is None:
                raise  # the commit's outcome unknown or the connection gone: the batch's
            await connection.execute("ROLLBACK")
            outcomes[running] = _Outcome(error=error)  # handed to the job's caller
            todo.remove(running)
            continue
        return _settled(outcomes, values)
    return _settled(outcomes, {})


@dataclass(slots=True)
class _GroupCommit:
    """Turns' writes queued while a batch is being committed form the next batch."""

    commit: Callable[[list[Write]], Any]  # async: list[Write] -> list[_Outcome]
    pending: list[tuple[Write, asyncio.Future[Any]]] = field(default_factory=list)
    running: asyncio.Task[None] | None = None

    async def submit(self, job: Write) -> Any:
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self.pending.append((job, future))
        if self.running is None:
            self.running = asyncio.create_task(self._drain(), name="medbot-group-commit")
        return await asyncio.shield(future)

    async def _drain(self) -> None:
        try:
            # Turns that are ready to save too join this commit: one fsync for all of them.
            await asyncio.sleep(0)
            while self.pending:
                batch, self.pending = self.pending[:MAX_BATCH], self.pending[MAX_BATCH:]
                try:
                    outcomes = await self._commit_with_retries([job for job, _ in batch])
                except BaseException as error:  # nothing of the batch was committed
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(error)
                    if not isinstance(error, Exception):
                        raise
                    continue
                for (_, future), outcome in zip(batch, outcomes, strict=True):
                    if future.done():
                        continue
                    if outcome.error is not None:
                        future.set_exception(outcome.error)
                    else:
                        future.set_result(outcome.value)
        finally:
            self.running = None

    async def _commit_with_retries(self, jobs: list[Write]) -> list[_Outcome]:
        for pause in (*LOCK_RETRIES, None):
            try:
                outcomes: list[_Outcome] = await self.commit(jobs)
                return outcomes
            except OperationalError as error:
                if pause is None or not is_lock_error(error):
                    raise
                log.warning("write lock busy, batch of %d tried again", len(jobs))
                await asyncio.sleep(pause)
        raise AssertionError("unreachable")


class Lanes:
    """`read(fn)`: fn(conn) in one round trip; `write(fn)`: fn(conn) in a shared transaction,
    returning once that transaction is committed. fn is synchronous SQLAlchemy Core."""

    def __init__(self) -> None:
        self._group = _GroupCommit(self._commit)

    async def read(self, fn: Callable[[Connection], T]) -> T:
        raise NotImplementedError

    async def read_one(self, statement: Prepared,
                       params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """A read that is one statement (a `Prepared`): its first row, or None."""
        raise NotImplementedError

    async def write(self, fn: Callable[[Connection], T], raw: RawJob | None = None) -> T:
        """`raw`: the same write on an asyncpg connection, if it has one (PostgreSQL)."""
        result: T = await self._group.submit(Write(fn, raw))
        return result

    async def _commit(self, jobs: list[Write]) -> list[_Outcome]:
        raise NotImplementedError

    async def close(self) -> None:
        if self._group.running is not None:
            await self._group.running


class SqliteLanes(Lanes):
    """SQLite: reads and writes on the event loop's own thread, each with its connection;
    a read of a few rows or a batch's commit costs less there than the hop to another
    thread (measured: `medbot bench turns`). A WAL reader never waits for a writer. A batch
    that finds the write lock taken by another process does not block the loop: it goes to
    a writer thread that waits for the lock (busy_timeout) there."""

    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self._engine = engine
        self._reader: Connection | None = None
        self._inline: Connection | None = None
        self._waiter = ThreadPoolExecutor(1, thread_name_prefix="medbot-write")
        self._local = threading.local()

    def _open(self, begin: str, busy_ms: int | None = None) -> Connection:
        conn = self._engine.connect().execution_options(medbot_begin=begin)
        if busy_ms is not None:  # on the driver's connection: no transaction, no lock
            conn.connection.dbapi_connection.execute(  # type: ignore[union-attr]
                f"PRAGMA busy_timeout={int(busy_ms)}")
        return conn

    async def read(self, fn: Callable[[Connection], T]) -> T:
        reader = self._reader or self._open_reader()
        try:
            with reader.begin():  # one snapshot for the whole read, no lock taken
                return fn(reader)
        except OperationalError:
            self._close_reader()
            raise

    async def read_one(self, statement: Prepared,
                       params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        # No BEGIN/COMMIT: outside a transaction one statement is its own snapshot.
        reader = self._reader or self._open_reader()
        try:
            return statement.one_sqlite(reader.connection.dbapi_connection,
                                        reader.dialect, params)
        except sqlite3.OperationalError:
            self._close_reader()
            raise

    def _open_reader(self) -> Connection:
        self._reader = self._open("DEFERRED")
        return self._reader

    def _close_reader(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    async def _commit(self, jobs: list[Write]) -> list[_Outcome]:
        if self._inline is None:
            self._inline = self._open("IMMEDIATE", busy_ms=0)  # never wait on the loop
        try:
            return run_together(self._inline, jobs)
        except OperationalError as error:
            self._inline.close()
            self._inline = None
            if not is_lock_error(error):
                raise
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._waiter, self._commit_waiting, jobs)

    def _commit_waiting(self, jobs: list[Write]) -> list[_Outcome]:
        conn: Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._open("IMMEDIATE")
        try:
            return run_together(conn, jobs)
        except BaseException:
            self._close_waiting()  # a fresh connection next time, whatever went wrong
            raise

    def _close_waiting(self) -> None:
        conn: Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    async def close(self) -> None:
        await super().close()
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._waiter, self._close_waiting)
        self._waiter.shutdown(wait=True)
        for conn in (self._reader, self._inline):
            if conn is not None:
                conn.close()
        self._reader = self._inline = None
        self._engine.dispose()


class AsyncLanes(Lanes):
    """PostgreSQL (and in-memory SQLite): the same functions through the async engine.
    On PostgreSQL reads run outside transactions, one-statement ones on asyncpg
    connections of their own; writes are grouped with `run_together` (module's notes)."""

    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__()
        self._engine = engine
        self._postgres = engine.dialect.name == "postgresql"
        # One-statement reads on asyncpg connections of their own (portal.store.rawpg).
        self._raw = RawPostgres(engine.url, READ_CONNECTIONS) if self._postgres else None
        # Reads without BEGIN/ROLLBACK round trips where the server allows it.
        self._read_options: dict[str, Any] = (
            {"isolation_level": "AUTOCOMMIT"} if self._postgres else {}
        )

    async def read(self, fn: Callable[[Connection], T]) -> T:
        async with self._engine.connect() as conn:
            if self._read_options:
                await conn.execution_options(**self._read_options)
            return await conn.run_sync(fn)

    async def read_one(self, statement: Prepared,
                       params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        if self._raw is None:  # in-memory SQLite: through the engine
            row = await self.read(lambda conn: conn.execute(statement.statement,
                                                            dict(params)).first())
            return None if row is None else tuple(row)
        pool = await self._raw.pool()
        async with pool.acquire() as connection:
            return await statement.one_asyncpg(connection, self._engine.dialect, params)

    async def close(self) -> None:
        await super().close()
        if self._raw is not None:
            await self._raw.close()

    async def _commit(self, jobs: list[Write]) -> list[_Outcome]:
        raws = [job.raw for job in jobs if job.raw is not None]
        if self._raw is not None and len(raws) == len(jobs):
            # Every turn of the batch has its raw form: no SQLAlchemy async layer.
            pool = await self._raw.pool()
            async with pool.acquire() as connection:
                return await run_together_raw(connection, self._engine.dialect, raws)
        async with self._engine.connect() as conn:
            if not self._postgres:
                await conn.execution_options(medbot_begin="IMMEDIATE")
            return await conn.run_sync(run_together, jobs)
