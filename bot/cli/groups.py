"""The shared `medbot eval` and `medbot bench` groups that area modules add commands to."""

from __future__ import annotations

import click


@click.group("eval")
def eval_group() -> None:
    """Misura l'accuratezza su un file etichettato (jsonl)."""


@click.group("bench")
def bench_group() -> None:
    """Misura la velocità e stampa le cifre."""
