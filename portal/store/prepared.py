"""The turn's hot statements on the driver's own connection (a sqlite3 cursor, an asyncpg
prepared statement), without SQLAlchemy's execution layer around each run.

Measured with cProfile of `medbot bench turns --customers 8`: executing a prebuilt statement
through SQLAlchemy (parameters, result metadata, rows) cost several times running it in the
driver. The SQL is still SQLAlchemy's: each statement is compiled once per dialect from the
tables in portal.schema, with its parameters' order and their types' bind processors (and
the selected columns' result processors), so what runs is what SQLAlchemy would run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql.expression import Executable

__all__ = ["Compiled", "Prepared"]

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class Compiled:
    """One statement as one dialect's driver runs it."""

    sql: str
    names: tuple[str, ...]  # the parameters, in the order the SQL takes them
    binds: tuple[Processor, ...]
    results: tuple[Processor, ...]  # per selected column; () for writes

    def arguments(self, params: Mapping[str, Any]) -> tuple[Any, ...]:
        return tuple(params[name] if bind is None else bind(params[name])
                     for name, bind in zip(self.names, self.binds, strict=True))

    def row(self, raw: Any) -> tuple[Any, ...]:
        return tuple(value if result is None else result(value)
                     for value, result in zip(raw, self.results, strict=True))


class Prepared:
    """A statement compiled once per dialect and run on the driver's connection:
    `one(...)` a row or None (a SELECT), `run(...)` the rows affected (an UPDATE)."""

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self._compiled: dict[tuple[str, str, str], Compiled] = {}

    def compiled(self, dialect: Dialect) -> Compiled:
        key = (dialect.name, dialect.driver, dialect.paramstyle)
        found = self._compiled.get(key)
        if found is None:
            found = self._compiled[key] = self._compile(dialect)
        return found

    def _compile(self, dialect: Dialect) -> Compiled:
        compiled: Any = self.statement.compile(dialect=dialect)
        names = tuple(compiled.positiontup or ())
        # The dialect's own form of each type (a TypeDecorator's and its impl's processing).
        binds = tuple(compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
                      for name in names)
        results = tuple(column.type.dialect_impl(dialect).result_processor(dialect, None)
                        for column in getattr(self.statement, "selected_columns", ()))
        return Compiled(str(compiled), names, binds, results)

    def one_sqlite(self, dbapi_connection: Any, dialect: Dialect,
                   params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """The first row on a sqlite3 connection (in its transaction if one is open; alone
        a statement is its own snapshot). For statements of a row or a few: all are fetched,
        so the statement is done and holds no snapshot afterwards."""
        compiled = self.compiled(dialect)
        raw = dbapi_connection.execute(compiled.sql, compiled.arguments(params)).fetchall()
        return compiled.row(raw[0]) if raw else None

    async def one_asyncpg(self, connection: Any, dialect: Dialect,
                          params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """The first row on an asyncpg connection (prepared once per connection: asyncpg
        keeps its statements by their text)."""
        compiled = self.compiled(dialect)
        raw = await connection.fetchrow(compiled.sql, *compiled.arguments(params))
        return None if raw is None else compiled.row(raw)

    async def run_asyncpg(self, connection: Any, dialect: Dialect,
                          params: Mapping[str, Any]) -> int:
        """On an asyncpg connection (in its transaction): the rows it changed."""
        compiled = self.compiled(dialect)
        status = await connection.execute(compiled.sql, *compiled.arguments(params))
        return int(status.rsplit(" ", 1)[-1])

    def one(self, conn: Connection, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """In `conn`'s transaction: on sqlite3 directly on its driver connection, elsewhere
        through SQLAlchemy. The first row, or None."""
        if conn.dialect.driver == "pysqlite":
            return self.one_sqlite(conn.connection.dbapi_connection, conn.dialect, params)
        found = conn.execute(self.statement, dict(params)).first()
        return None if found is None else tuple(found)

    def run(self, conn: Connection, params: Mapping[str, Any]) -> int:
        """In `conn`'s transaction: on sqlite3 directly on its driver connection, elsewhere
        through SQLAlchemy. The rows it changed."""
        if conn.dialect.driver != "pysqlite":
            return int(conn.execute(self.statement, dict(params)).rowcount)
        compiled = self.compiled(conn.dialect)
        cursor = conn.connection.dbapi_connection.execute(  # type: ignore[union-attr]
            compiled.sql, compiled.arguments(params))
        return int(cursor.rowcount)
