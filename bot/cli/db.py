"""`medbot db ...`."""

from __future__ import annotations

import click


@click.group("db")
def db_group() -> None:
    """Il database incorporato."""
