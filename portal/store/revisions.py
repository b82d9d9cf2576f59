"""The schema: Alembic migrations applied to the store's database, and the revision reached."""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import column, func, select, table
from sqlalchemy.engine import Connection

from portal.store.database import Database

__all__ = ["MIGRATIONS", "Revisions"]

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
_ALEMBIC_VERSION = table("alembic_version", column("version_num"))


def _upgrade(connection: Connection) -> None:
    # Alembic (and mako, pygments) is imported only when there is something to migrate.
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, "heads")


@lru_cache(maxsize=1)
def script_heads() -> frozenset[str]:
    """The revisions no other revision builds on, read from the scripts' source."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        # Only the module's head, where the identifiers are: parsing whole scripts at
        # every start cost more than the rest of the check.
        head = path.read_text(encoding="utf-8").split("\ndef ", 1)[0]
        for node in ast.parse(head).body:
            target = node.target if isinstance(node, ast.AnnAssign) else (
                node.targets[0] if isinstance(node, ast.Assign) else None)
            value: Any = getattr(node, "value", None)
            if not isinstance(target, ast.Name) or value is None:
                continue
            if target.id == "revision":
                revisions.add(ast.literal_eval(value))
            elif target.id == "down_revision":
                down = ast.literal_eval(value)
                parents.update([down] if isinstance(down, str) else down or ())
    return frozenset(revisions - parents)


def _applied(connection: Connection) -> frozenset[str]:
    if not connection.dialect.has_table(connection, "alembic_version"):
        return frozenset()
    return frozenset(connection.scalars(select(_ALEMBIC_VERSION.c.version_num)))


class Revisions(Database):
    """Migrating the database to the code's schema."""

    async def migrate(self) -> None:
        """`alembic upgrade heads` on this database: every feature's branch of revisions.
        A database already at the scripts' heads is left alone without loading Alembic."""
        if await self._lanes.read(_applied) == script_heads():
            return
        async with self.engine.begin() as conn:
            await conn.run_sync(_upgrade)

    async def schema_current(self) -> bool:
        """True when the database answers and has every migration of the code applied (a
        query on the server: raises if it is unreachable)."""
        async with self.engine.connect() as conn:
            return bool(await conn.run_sync(_applied) == script_heads())

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
