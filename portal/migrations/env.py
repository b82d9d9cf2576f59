"""Alembic environment: migrates the connection the store hands over, or the configured URL."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from portal.schema import metadata

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite can alter tables only by copying them: later migrations get batch mode.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_url(url: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_run)
    finally:
        await engine.dispose()


def _run_offline(url: str) -> None:
    context.configure(url=url, target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


# Store.migrate() passes its own (sync facade of an async) connection; the alembic command
# line, if anyone uses it, passes a URL in `sqlalchemy.url`.
_connection = config.attributes.get("connection")
if _connection is not None:
    _run(_connection)
elif context.is_offline_mode():
    _run_offline(config.get_main_option("sqlalchemy.url") or "")
else:
    asyncio.run(_run_url(config.get_main_option("sqlalchemy.url") or ""))
