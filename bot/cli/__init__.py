"""The `medbot` command line: one click group per area, each in its own module."""

from __future__ import annotations

import click

# Each area module defines its own group and attaches its `eval` and `bench`
# subcommands to the shared groups, so areas never edit each other's files.
from bot.cli import (
    bench_start,  # noqa: F401
    bench_turns,  # noqa: F401
    catalogue,
    chat,
    db,
    dialogue,  # noqa: F401
    documents,
    estimate,
    intents,  # noqa: F401
    nlu,
    operators,
    rasa,
    reminders,
    requests,
    voice,  # noqa: F401
)
from bot.cli.facilities import facilities_group
from bot.cli.groups import bench_group, eval_group
from bot.cli.telegram import link_group, serve_command, telegram_command

__all__ = ["main"]


@click.group()
def main() -> None:
    """medbot: richieste di prestazioni mediche in chat."""


for _command in (
    catalogue.catalogue_group,
    chat.chat_command,
    db.db_group,
    documents.documents_group,
    estimate.estimate_command,
    facilities_group,
    nlu.nlu_group,
    operators.operators_group,
    rasa.rasa_actions_command,
    requests.requests_group,
    reminders.reminders_group,
    telegram_command,
    serve_command,
    link_group,
    eval_group,
    bench_group,
):
    main.add_command(_command)
