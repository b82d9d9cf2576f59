"""The schema: Alembic migrations applied to the store's database, and the revision reached."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import column, func, select, table
from sqlalchemy.engine import Connection

from portal.store.database import Database

__all__ = ["MIGRATIONS", "Revisions"]

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
_ALEMBIC_VERSION = table("alembic_version", column("version_num"))


def _upgrade(connection: Connection, config: Config) -> None:
    config.attributes["connection"] = connection
    command.upgrade(config, "heads")


class Revisions(Database):
    """Migrating the database to the code's schema."""

    async def migrate(self) -> None:
        """`alembic upgrade heads` on this database: every feature's branch of revisions."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        async with self.engine.begin() as conn:
            await conn.run_sync(_upgrade, config)

    async def schema_revision(self) -> str | None:
        """The applied migration, or None for an empty database."""
        async with self.engine.connect() as conn:
            has_table = await conn.run_sync(
                lambda sync: sync.dialect.has_table(sync, "alembic_version")
            )
            if not has_table:
                return None
            revision = await conn.scalar(select(func.max(_ALEMBIC_VERSION.c.version_num)))
        return None if revision is None else str(revision)
