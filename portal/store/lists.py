"""A column compared with a list of values passed as one parameter.

On PostgreSQL `column = ANY($1::type[])`: one statement text whatever the list's length, so
asyncpg prepares it once per connection, and SQLAlchemy renders nothing per execution. An
expanding IN there became `IN ($1, ..., $n)` at every execution (a new prepared statement for
each length met, and the placeholders rendered for each item). Elsewhere (SQLite, no arrays)
the expanding IN stays.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ARRAY, any_, bindparam
from sqlalchemy.sql.elements import ColumnElement

__all__ = ["in_list"]


def in_list(column: ColumnElement[Any], name: str, *, postgres: bool,
            values: Iterable[Any] | None = None) -> ColumnElement[bool]:
    """`column` in the list bound as `name` (given here as `values`, or when executed)."""
    listed = None if values is None else list(values)
    if postgres:
        return column == any_(bindparam(name, listed, type_=ARRAY(column.type)))
    return column.in_(bindparam(name, listed, expanding=True))
