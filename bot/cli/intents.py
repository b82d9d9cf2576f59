"""`medbot nlu parse`, `medbot eval intents`, `medbot bench intents`."""

from __future__ import annotations

import json
import statistics
import time as clock
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from bot.cli.groups import bench_group, eval_group
from bot.cli.nlu import nlu_group

__all__ = ["bench_intents_command", "eval_intents_command", "eval_language_command",
           "nlu_parse_command"]

_TODAY = click.option(
    "--today", type=click.DateTime(["%Y-%m-%d"]), help="Il giorno di oggi (AAAA-MM-GG)."
)


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


@nlu_group.command("parse")
@click.argument("words", nargs=-1, required=True, metavar="TEXT")
@_TODAY
@click.option("--people", default="", help='I nomi della famiglia, es. "Mario,Anna,Luca,Marco".')
@click.option("--json", "as_json", is_flag=True, help="Stampa il risultato come JSON.")
def nlu_parse_command(
    words: tuple[str, ...], today: datetime | None, people: str, as_json: bool
) -> None:
    """Intento ed entità di TEXT, per esempio: medbot nlu parse a che punto è la 26000112?"""
    from nlu.intents import parse

    text = " ".join(words)
    reference = today.date() if today else date.today()
    names = [n.strip() for n in people.split(",") if n.strip()]
    parsed = parse(text, reference, names)
    entities = {k: _plain(v) for k, v in parsed.entities.items()}
    if as_json:
        click.echo(
            json.dumps(
                {
                    "text": text,
                    "today": reference.isoformat(),
                    "intent": parsed.intent,
                    "confidence": parsed.confidence,
                    "entities": entities,
                },
                ensure_ascii=False,
                sort_keys=True,
            )
        )
        return
    click.echo(f"{parsed.intent} ({parsed.confidence:.2f})")
    for key, value in entities.items():
        shown = " – ".join(value) if isinstance(value, list) else value
        click.echo(f"  {key}: {shown}")


@eval_group.command("intents")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--misses/--no-misses", default=True, show_default=True, help="Elenca le risposte sbagliate."
)
def eval_intents_command(file: Path, misses: bool) -> None:
    """Accuratezza di intenti ed entità su FILE (jsonl: text, today, intent, entities)."""
    from nlu.intents import score

    with file.open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    result = score(rows)
    if misses:
        for miss in result.misses:
            click.echo(miss)
    click.echo(
        f"Intenti: {result.intents_right}/{result.lines} corretti "
        f"({result.intent_accuracy:.1%})"
    )
    click.echo(
        f"Entità: {result.entities_right}/{result.entities} corrette "
        f"({result.entity_accuracy:.1%})"
    )


# Messages of every intent, sloppy ones included.
_BENCH = (
    "com'è messa la pratica 26000451?",
    "nn ho ancora ricevuto niente x la fattura del dentista",
    "mostra le pratiche di Anna",
    "le mie richieste di ottobre",
    "quali rimborsi sono stati pagati?",
    "rimborso visita oculistica del 12 marzo per Luca",
    "vorrei prenotare una risonanza in convenzione",
    "cliniche convenzionate a Genova",
    "strutture vicino al cap 00185",
    "mando il documento mancante",
    "voglio presentare un reclamo",
    "parlare con operatore",
    "niente più promemoria per favore",
    "torna indietro",
    "annulla tutto",
    "grazie, gentilissimi",
    "ciao!",
    "ordina una pizza",
    "where is my refund?",
)


@bench_group.command("intents")
@click.option("--rounds", default=20, show_default=True, type=click.IntRange(min=1))
def bench_intents_command(rounds: int) -> None:
    """Tempo di parse() per messaggio (p50/p99, microsecondi), dopo il primo."""
    from nlu.intents import parse

    today = date(2026, 11, 24)
    started = clock.perf_counter()
    parse(_BENCH[5], today)  # the first service loads the catalogue
    click.echo(f"primo messaggio (carica il catalogo): {1000 * (clock.perf_counter() - started):.0f} ms")
    timings: list[float] = []
    for _ in range(rounds):
        for text in _BENCH:
            started = clock.perf_counter()
            parse(text, today, ("Mario", "Anna", "Luca", "Marco"))
            timings.append(1e6 * (clock.perf_counter() - started))
    timings.sort()
    p99 = timings[min(len(timings) - 1, int(0.99 * len(timings)))]
    click.echo(
        f"parse: p50 {statistics.median(timings):.0f} µs, p99 {p99:.0f} µs "
        f"({len(timings)} messaggi)"
    )


@eval_group.command("language")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--misses/--no-misses", default=True, show_default=True, help="Elenca le risposte sbagliate."
)
def eval_language_command(file: Path, misses: bool) -> None:
    """Lingua riconosciuta su FILE (jsonl: text, language "it", "en" o null per nessuna)."""
    from nlu.language import score

    with file.open(encoding="utf-8") as lines:
        result = score(json.loads(line) for line in lines if line.strip())
    if misses:
        for miss in result.misses:
            click.echo(miss)
    click.echo(f"Lingua: {result.right}/{result.lines} corrette ({result.accuracy:.1%}); "
               f"lingua sbagliata {result.wrong_language}, cambiata su messaggi senza "
               f"lingua (ok, nomi, numeri) {result.switched_on_neutral}")
