"""`medbot chat`: the console channel."""

from __future__ import annotations

import click


@click.command("chat")
def chat_command() -> None:
    """Chat nel terminale."""
