"""The `medbot` command line: one click group per area, each in its own module.

A command's module is imported only when that command runs: `medbot chat` does not load the
benchmarks, Babel's calendars or the Telegram channel (issue 14, the start's imports).
"""

from __future__ import annotations

import gc
import importlib

import click

__all__ = ["AREAS", "COMMANDS", "main", "run"]

# Each command: the module and the name of its click object.
COMMANDS = {
    "catalogue": ("bot.cli.catalogue", "catalogue_group"),
    "chat": ("bot.cli.chat", "chat_command"),
    "db": ("bot.cli.db", "db_group"),
    "documents": ("bot.cli.documents", "documents_group"),
    "estimate": ("bot.cli.estimate", "estimate_command"),
    "facilities": ("bot.cli.facilities", "facilities_group"),
    "nlu": ("bot.cli.nlu", "nlu_group"),
    "operators": ("bot.cli.operators", "operators_group"),
    "rasa-actions": ("bot.cli.rasa", "rasa_actions_command"),
    "requests": ("bot.cli.requests", "requests_group"),
    "receipts": ("bot.cli.receipts", "receipts_group"),
    "reminders": ("bot.cli.reminders", "reminders_group"),
    "telegram": ("bot.cli.telegram", "telegram_command"),
    "serve": ("bot.cli.telegram", "serve_command"),
    "link": ("bot.cli.telegram", "link_group"),
    "eval": ("bot.cli.groups", "eval_group"),
    "bench": ("bot.cli.groups", "bench_group"),
}
# Area modules attach their own subcommands to groups they share (`eval`, `bench`, `nlu`),
# so areas never edit each other's files: a shared group is whole once all are imported.
AREAS = (
    "bot.cli.bench_start",
    "bot.cli.bench_turns",
    "bot.cli.catalogue",
    "bot.cli.dialogue",
    "bot.cli.intents",
    "bot.cli.nlu",
    "bot.cli.receipts",
    "bot.cli.telegram",
    "bot.cli.voice",
)
SHARED = frozenset({"eval", "bench", "nlu"})
# The `medbot` program (run) holds the cyclic garbage collector off while the command's modules
# load: importing makes some hundred thousand objects that live as long as the process, and the
# ~140 collections that ran meanwhile freed nothing and took ~13% of `medbot chat`'s CPU before
# its first answer (issue 14). Once loaded they are frozen out of later collections' way.
_COLLECTOR_HELD = False


def _modules_loaded() -> None:
    global _COLLECTOR_HELD
    if _COLLECTOR_HELD:
        _COLLECTOR_HELD = False
        gc.freeze()
        gc.enable()


class _LazyGroup(click.Group):
    """Lists every command, imports only the one asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        if cmd_name in SHARED:
            for area in AREAS:
                importlib.import_module(area)
        module, name = COMMANDS[cmd_name]
        command: click.Command = getattr(importlib.import_module(module), name)
        _modules_loaded()
        return command


@click.group(cls=_LazyGroup)
def main() -> None:
    """medbot: richieste di prestazioni mediche in chat."""


def run() -> None:
    """The `medbot` program: main(), the garbage collector held off until the command's modules
    are loaded (see _COLLECTOR_HELD)."""
    global _COLLECTOR_HELD
    if gc.isenabled():
        gc.disable()
        _COLLECTOR_HELD = True
    try:
        main()
    finally:
        _modules_loaded()
