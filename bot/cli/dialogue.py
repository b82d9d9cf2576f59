"""`medbot eval dialogue FILE`: scripted conversations through the real engine and store."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import click

from bot.cli.groups import eval_group

__all__ = ["eval_dialogue_command"]


@eval_group.command("dialogue")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]),
              help="Il giorno di oggi (AAAA-MM-GG) per i copioni che non lo dicono.")
@click.option("--failures/--no-failures", default=True, show_default=True,
              help="Elenca cosa non è andato nei copioni falliti.")
def eval_dialogue_command(file: Path, today: datetime | None, failures: bool) -> None:
    """Conversazioni scritte in FILE (jsonl: eventi e attese), per famiglia: riuscite/totale."""
    from bot.dialogue import load_scripts, run_scripts

    scripts = load_scripts(file)
    results = asyncio.run(run_scripts(scripts, today.date() if today else date.today()))
    passed: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for result in results:
        family = result.script.family
        total[family] += 1
        passed[family] += result.passed
        if failures and not result.passed:
            click.echo(f"✗ [{family}] {result.script.name}")
            for failure in result.failures:
                click.echo(f"    {failure}")
    for family in sorted(total):
        click.echo(f"{family}: {passed[family]}/{total[family]}")
    click.echo(f"Totale: {sum(passed.values())}/{sum(total.values())}")
