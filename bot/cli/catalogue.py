"""`medbot catalogue ...`, `medbot eval catalogue`, `medbot bench catalogue`."""

from __future__ import annotations

import click


@click.group("catalogue")
def catalogue_group() -> None:
    """Il catalogo delle prestazioni."""
