"""`medbot requests ...`."""

from __future__ import annotations

import click


@click.group("requests")
def requests_group() -> None:
    """L'archivio delle richieste."""
