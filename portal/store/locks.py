"""One conversation at a time across processes: a PostgreSQL advisory lock per conversation,
held around a whole turn (read, engine, write, replies).

Why an advisory lock, not `SELECT ... FOR UPDATE` on the conversation's row: a turn's read and
write are two short transactions by design (one read, one write, writes grouped into shared
commits: portal.store.lanes), so a row lock would need one transaction left open across the
engine and the channel's network calls, and a first turn has no row to lock yet. The lock is
keyed by the conversation, exists before its row, waits in the server (no polling), and goes
with its transaction: released at the end of the block, or by the server if the process dies.
The version check in `save_turn` stays as the safety net.

In the process, an asyncio lock per conversation comes first (on SQLite it is the only one: one
machine, one process serving): turns of one conversation arriving together run in the order
they came, and only one of them per process waits on the server's lock.
"""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from portal.store.database import Database
from portal.store.rawpg import RawPostgres

__all__ = ["ConversationLocks", "lock_key"]

# Connections for locks, apart from the turns' own: a turn holds its lock's connection while
# it reads and writes on others, so sharing one pool could exhaust it with lock holders.
# With the engine's 30 and the reads' 10 (portal.store.lanes), a replica opens at most 72
# connections: under PostgreSQL's default max_connections (100), with room for admin and
# migrations. More concurrent turns than this wait for a lock connection.
LOCK_CONNECTIONS = 32

# The locks this task (and the tasks it starts) already holds: taken again, they are no-ops.
_held: contextvars.ContextVar[frozenset[int]] = contextvars.ContextVar(
    "medbot_conversation_locks", default=frozenset())


def lock_key(channel: str, user_key: str) -> int:
    """The advisory lock's 64-bit key for a conversation."""
    digest = hashlib.blake2b(f"medbot\x00{channel}\x00{user_key}".encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big", signed=True)


class ConversationLocks(Database):
    """`conversation_lock(channel, user_key)`: the block runs with no other process (or task)
    running a turn of that conversation."""

    _lock_connections: RawPostgres | None = None
    # The process's locks, by key, with how many hold or wait for each (dropped at zero).
    _local_locks: dict[int, tuple[asyncio.Lock, int]] | None = None

    @asynccontextmanager
    async def conversation_lock(self, channel: str, user_key: str) -> AsyncIterator[None]:
        key = lock_key(channel, user_key)
        held = _held.get()
        if key in held:
            yield
            return
        async with self._local_lock(key):
            token = _held.set(held | {key})
            try:
                if self.backend != "postgresql":
                    yield
                else:
                    async with self._server_lock(key):
                        yield
            finally:
                _held.reset(token)

    @asynccontextmanager
    async def _local_lock(self, key: int) -> AsyncIterator[None]:
        if self._local_locks is None:
            self._local_locks = {}
        locks = self._local_locks
        lock, users = locks.get(key, (asyncio.Lock(), 0))
        locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = locks[key]
            if users == 1:
                del locks[key]
            else:
                locks[key] = (lock, users - 1)

    @asynccontextmanager
    async def _server_lock(self, key: int) -> AsyncIterator[None]:
        if self._lock_connections is None:
            self._lock_connections = RawPostgres(self._url, LOCK_CONNECTIONS)
        pool = await self._lock_connections.pool()
        connection = await pool.acquire()
        try:
            try:
                # Transaction-scoped, one round trip (a simple query; the key is an int).
                await connection.execute(f"BEGIN; SELECT pg_advisory_xact_lock({int(key)})")
            except BaseException:
                connection.terminate()  # whether it got the lock is unknown: the server drops it
                raise
            try:
                yield
            finally:
                try:
                    await connection.execute("ROLLBACK")  # releases it
                except BaseException:
                    connection.terminate()
                    raise
        finally:
            await pool.release(connection)

    async def close(self) -> None:
        await super().close()
        if self._lock_connections is not None:
            await self._lock_connections.close()
            self._lock_connections = None
