"""One engine per store and the transaction helpers every kind of record shares."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, CursorResult, Engine, make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from portal.documents import DocumentStore, Keyring, private_dir
from portal.store.blobs import DatabaseBlobs
from portal.store.lanes import LOCK_RETRIES, AsyncLanes, Lanes, SqliteLanes, is_lock_error

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

__all__ = ["ROME", "Database", "NotFound", "StaleConversation", "new_id"]

# The insurer's calendar: request numbers and date filters follow Italian days and years.
ROME = ZoneInfo("Europe/Rome")
ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}
# PostgreSQL connections kept open: each concurrent turn's read takes one for a round trip,
# and a batch of writes one. With SQLAlchemy's default (5, and 10 more closed again on
# return) 32 customers queued for connections and reconnected all the time. The server's
# max_connections (100 by default) must leave room for every replica's pool.
POSTGRES_POOL = {"pool_size": 20, "max_overflow": 10}
# Where documents are kept: home's folder, or the database (every replica reads them).
DOCUMENT_STORAGES = ("files", "database")


class StaleConversation(Exception):
    """Someone else advanced the conversation first: reload it and handle the turn again."""


class NotFound(LookupError):
    """No such customer or request."""


def new_id(result: CursorResult[Any]) -> int:
    """The primary key of the row an INSERT created."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def utc(now: datetime | None) -> datetime:
    """`now` in UTC (the real now if None); a naive datetime is a mistake."""
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("naive datetime: pass an aware datetime")
    return now.astimezone(UTC)


def day_start(day: date) -> datetime:
    """Midnight of `day` in Rome, in UTC."""
    return datetime.combine(day, time(), ROME).astimezone(UTC)


def _sqlite_pragmas(engine: Engine) -> None:
    """WAL, synchronous=FULL and foreign keys on every connection; transactions opened by
    SQLAlchemy, writers' with the write lock.

    The driver's own transaction handling starts transactions only before writes, so reads
    would run outside them and DDL would not be transactional: take that over. A write
    transaction begins IMMEDIATE: a deferred one that reads first and then writes cannot
    wait for the lock when it upgrades ("database is locked" at once, busy_timeout unused).
    synchronous=FULL: a commit returns once the WAL is on disk (see portal.store.lanes).
    """

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get("medbot_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def _private_sqlite(database: Path) -> None:
    """The database file created for its owner only before SQLite opens it: SQLite gives
    the WAL and shared-memory files the database's permissions. Older files are narrowed."""
    if not database.parent.exists():
        private_dir(database.parent)
    if not database.exists():
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT, 0o600))
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm"),
                 Path(f"{database}-journal")):
        if path.exists() and path.stat().st_mode & 0o077:
            path.chmod(0o600)


class Database:
    """The engine (aiosqlite by default, asyncpg for PostgreSQL), the documents' folder, and
    the two ways in: `_read()` for queries, `_write()` for one all-or-nothing transaction."""

    def __init__(self, url: str, home: Path, document_key: str | None = None,
                 old_document_keys: Sequence[str] = (), document_storage: str = "files",
                 ) -> None:
        self.url = url
        self.home = private_dir(Path(home))
        parsed = make_url(url)
        # Plain "postgresql://" or "sqlite://" URLs get the async driver the store needs.
        if parsed.drivername in ASYNC_DRIVERS:
            parsed = parsed.set(drivername=ASYNC_DRIVERS[parsed.drivername])
        # Documents sealed with MEDBOT_DOCUMENT_KEY, else with the development key in home;
        # kept in home's folder, or in the database for replicas (portal.store.blobs).
        keyring = Keyring.load(self.home, document_key, old_document_keys)
        if document_storage not in DOCUMENT_STORAGES:
            raise ValueError(f"document storage is one of {', '.join(DOCUMENT_STORAGES)}")
        self.documents = DocumentStore(
            DatabaseBlobs(parsed) if document_storage == "database"
            else private_dir(self.home / "documents"), keyring)
        self._url = parsed
        self.backend = parsed.get_backend_name()
        on_disk = self.backend == "sqlite" and parsed.database not in (None, "", ":memory:")
        if on_disk:
            _private_sqlite(Path(parsed.database))
        self._engine: AsyncEngine | None = None
        # Households read for turns, by customer: (when read, household); see People.
        self._households: dict[int, tuple[float, Any]] = {}
        self._lanes: Lanes
        if on_disk:
            # The turn's path: synchronous Core on connections of its own (portal.store.lanes);
            # the async engine (and SQLAlchemy's asyncio layer) only once something uses it.
            sync_engine = create_engine(parsed.set(drivername="sqlite+pysqlite"), poolclass=NullPool,
                                        hide_parameters=True)
            _sqlite_pragmas(sync_engine)
            self._lanes = SqliteLanes(sync_engine)
        else:
            self._lanes = AsyncLanes(self.engine)

    @property
    def engine(self) -> AsyncEngine:
        """The async engine, made at first use."""
        if self._engine is None:
            from sqlalchemy.ext.asyncio import create_async_engine

            # Statements that fail are logged without their parameters (names, phones, states).
            pool = POSTGRES_POOL if self.backend == "postgresql" else {}
            self._engine = create_async_engine(self._url, hide_parameters=True, **pool)
            if self.backend == "sqlite":
                _sqlite_pragmas(self._engine.sync_engine)
        return self._engine

    @classmethod
    async def open(cls, url: str, home: Path, document_key: str | None = None,
                   old_document_keys: Sequence[str] = (), document_storage: str = "files",
                   ) -> Self:
        return cls(url, home, document_key, old_document_keys, document_storage)

    async def close(self) -> None:
        await self._lanes.close()
        if self._engine is not None:
            await self._engine.dispose()
        if isinstance(self.documents.blobs, DatabaseBlobs):
            self.documents.blobs.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    @asynccontextmanager
    async def _read(self) -> AsyncIterator[AsyncConnection]:
        """A connection for queries (`async with self._read() as conn`). On PostgreSQL each
        query runs alone, without the BEGIN and ROLLBACK round trips around it: at READ
        COMMITTED every statement has its own snapshot either way."""
        async with self.engine.connect() as conn:
            if self.backend == "postgresql":
                await conn.execution_options(isolation_level="AUTOCOMMIT")
            yield conn

    @asynccontextmanager
    async def _write(self) -> AsyncIterator[AsyncConnection]:
        """One transaction holding the write lock from its start (BEGIN IMMEDIATE on
        SQLite): committed when the block ends, rolled back if it raises. Taking the lock is
        tried again a few times when another writer holds it past busy_timeout."""
        async with self.engine.connect() as conn:
            await conn.execution_options(medbot_begin="IMMEDIATE")
            for pause in (*LOCK_RETRIES, None):
                try:
                    await conn.begin()
                    break
                except OperationalError as error:
                    if pause is None or not is_lock_error(error):
                        raise
                    await conn.rollback()
                    await asyncio.sleep(pause)
            try:
                yield conn
            except BaseException:
                await conn.rollback()
                raise
            await conn.commit()
