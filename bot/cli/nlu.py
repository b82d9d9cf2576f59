"""`medbot nlu ...`, `medbot eval dates|periods`, `medbot bench nlu`."""

from __future__ import annotations

import click


@click.group("nlu")
def nlu_group() -> None:
    """Comprensione del testo: date, periodi, importi, identificativi."""
