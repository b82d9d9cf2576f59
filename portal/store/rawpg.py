"""asyncpg connections of the store's own (PostgreSQL): for the turn's prepared reads and the
conversations' advisory locks, without SQLAlchemy's async layer.

Measured (`medbot bench turns --database-url ...`, cProfile): taking and releasing a lock
through SQLAlchemy's async engine (pool checkout, greenlet, execute, rollback) cost ~1.1 ms
of CPU a turn; on a raw connection it is two simple queries. Connections go back to the pool
without asyncpg's reset query (a round trip each time): what they are used for leaves no
state behind, and a transaction left open is rolled back on the way.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import URL

if TYPE_CHECKING:
    import asyncpg

__all__ = ["RawPostgres"]


async def _rolled_back(connection: Any) -> None:
    """On the way back to the pool: only a transaction left open needs undoing."""
    if connection.is_in_transaction():
        await connection.execute("ROLLBACK")


class RawPostgres:
    """A pool of up to `size` asyncpg connections to `url`, opened at first use."""

    def __init__(self, url: URL, size: int) -> None:
        self._dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._size = size
        self._pool: asyncpg.Pool | None = None
        self._opening: asyncio.Lock | None = None

    async def pool(self) -> asyncpg.Pool:
        if self._pool is not None:
            return self._pool
        if self._opening is None:
            self._opening = asyncio.Lock()
        async with self._opening:
            if self._pool is None:
                import asyncpg  # with the first use, not at start

                self._pool = await asyncpg.create_pool(
                    self._dsn, min_size=0, max_size=self._size, reset=_rolled_back)
        return self._pool

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None
