"""`medbot nlu ...`, `medbot eval dates|periods`, `medbot bench nlu`."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time as clock
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click
from babel.dates import format_date

from bot.cli.groups import bench_group, eval_group

__all__ = ["nlu_group"]

_TODAY_FORMATS = ["%Y-%m-%d"]


@click.group("nlu")
def nlu_group() -> None:
    """Comprensione del testo: date, periodi, importi, identificativi."""


def _today(value: datetime | None) -> date:
    return value.date() if value is not None else date.today()


def _short(day: date) -> str:
    return format_date(day, "d MMMM y", locale="it_IT")


@nlu_group.command("date")
@click.argument("words", nargs=-1, required=True, metavar="TEXT")
@click.option(
    "--today", type=click.DateTime(_TODAY_FORMATS), help="Il giorno di oggi (AAAA-MM-GG)."
)
@click.option(
    "--prefer",
    type=click.Choice(["past", "future"]),
    default="past",
    show_default=True,
    help="past: quando è stata fatta la prestazione; future: quando è l'appuntamento.",
)
@click.option("--json", "as_json", is_flag=True, help="Stampa il risultato come JSON.")
def date_command(
    words: tuple[str, ...], today: datetime | None, prefer: str, as_json: bool
) -> None:
    """Il giorno che TEXT indica, per esempio: medbot nlu date martedì scorso."""
    from nlu.dates import describe_date, parse_date_detail

    text = " ".join(words)
    reference = _today(today)
    reading = parse_date_detail(text, reference, prefer)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "text": text,
                    "today": reference.isoformat(),
                    "prefer": prefer,
                    "date": reading.day.isoformat() if reading else None,
                    "time": reading.time.strftime("%H:%M") if reading and reading.time else None,
                    "literal": reading.literal if reading else None,
                    "description": describe_date(reading.day) if reading else None,
                },
                ensure_ascii=False,
            )
        )
    elif reading is None:
        click.echo("Nessun giorno preciso.")
    else:
        at = f", alle {reading.time:%H:%M}" if reading.time else ""
        how = "scritto per intero" if reading.literal else "dedotto, da confermare"
        click.echo(f"{describe_date(reading.day)}{at} ({reading.day.isoformat()}, {how})")
    if reading is None:
        raise SystemExit(1)


@nlu_group.command("period")
@click.argument("words", nargs=-1, required=True, metavar="TEXT")
@click.option(
    "--today", type=click.DateTime(_TODAY_FORMATS), help="Il giorno di oggi (AAAA-MM-GG)."
)
@click.option("--json", "as_json", is_flag=True, help="Stampa il risultato come JSON.")
def period_command(words: tuple[str, ...], today: datetime | None, as_json: bool) -> None:
    """Il periodo che TEXT indica, per esempio: medbot nlu period negli ultimi 30 giorni."""
    from nlu.dates import parse_period

    text = " ".join(words)
    reference = _today(today)
    period = parse_period(text, reference)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "text": text,
                    "today": reference.isoformat(),
                    "start": period[0].isoformat() if period else None,
                    "end": period[1].isoformat() if period else None,
                },
                ensure_ascii=False,
            )
        )
    elif period is None:
        click.echo("Nessun periodo.")
    else:
        start, end = period
        span = _short(start) if start == end else f"dal {_short(start)} al {_short(end)}"
        click.echo(f"{span} ({start.isoformat()} – {end.isoformat()})")
    if period is None:
        raise SystemExit(1)


# -- evaluation ----------------------------------------------------------------------------


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


@dataclass(frozen=True)
class _Score:
    correct: int
    total: int
    misses: list[str]

    def report(self, what: str, show_misses: bool) -> None:
        if show_misses:
            for miss in self.misses:
                click.echo(miss)
        share = self.correct / self.total if self.total else 0.0
        click.echo(f"{what}: {self.correct}/{self.total} corretti ({share:.1%})")


def _score_dates(rows: Iterable[dict[str, Any]]) -> _Score:
    from nlu.dates import parse_date

    correct, total, misses = 0, 0, []
    for row in rows:
        total += 1
        prefer = row.get("prefer", "past")
        got = parse_date(row["text"], date.fromisoformat(row["today"]), prefer)
        expected: list[str] = row["expect"]
        if (got is None and not expected) or (got is not None and got.isoformat() in expected):
            correct += 1
        else:
            wanted = " o ".join(expected) if expected else "nessun giorno"
            misses.append(
                f"✗ {row['text']!r} ({prefer}, oggi {row['today']}): "
                f"letto {got.isoformat() if got else 'nessun giorno'}, atteso {wanted}"
            )
    return _Score(correct, total, misses)


def _score_periods(rows: Iterable[dict[str, Any]]) -> _Score:
    from nlu.dates import parse_period

    correct, total, misses = 0, 0, []
    for row in rows:
        total += 1
        got = parse_period(row["text"], date.fromisoformat(row["today"]))
        read = f"{got[0].isoformat()} – {got[1].isoformat()}" if got else "nessun periodo"
        wanted = f"{row['start']} – {row['end']}" if row.get("start") else "nessun periodo"
        if read == wanted:
            correct += 1
        else:
            misses.append(f"✗ {row['text']!r} (oggi {row['today']}): letto {read}, atteso {wanted}")
    return _Score(correct, total, misses)


_EVAL_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
_MISSES = click.option(
    "--misses/--no-misses", default=True, show_default=True, help="Elenca le risposte sbagliate."
)


@eval_group.command("dates")
@click.argument("file", type=_EVAL_FILE)
@_MISSES
def eval_dates_command(file: Path, misses: bool) -> None:
    """Accuratezza di parse_date su FILE (jsonl: text, prefer, today, expect)."""
    _score_dates(_read_jsonl(file)).report("Giorni", misses)


@eval_group.command("periods")
@click.argument("file", type=_EVAL_FILE)
@_MISSES
def eval_periods_command(file: Path, misses: bool) -> None:
    """Accuratezza di parse_period su FILE (jsonl: text, today, start, end)."""
    _score_periods(_read_jsonl(file)).report("Periodi", misses)


# -- benchmark -----------------------------------------------------------------------------

# Answers of every family the parsers know, sloppy ones included.
_BENCH_DATES = (
    "ieri",
    "l'altro ieri",
    "stamattina",
    "3 giorni fa",
    "tre settimane fa",
    "un mese fa",
    "martedì scorso",
    "giovedi",
    "settimana scorsa martedì",
    "lunedì prossimo",
    "tra due settimane",
    "il 5 novembre 2025",
    "12/3",
    "12-03-2026",
    "12.03.26",
    "2026-03-12",
    "primo ottobre",
    "dodici marzo",
    "12 setembre",
    "l'8 marzo",
    "il giorno 3",
    "il mese scorso il 5",
    "la visita era il 3/11",
    "5/11 alle 10",
    "martedì 1 dicembre alle 16",
    "natale",
    "la vigilia di natale",
    "ferragosto 2025",
    "31/02",
    "ottobre 2025",
    "la prossima settimana",
    "dal 3 al 5 novembre",
    "boh",
    "sono andato dal medico il 14 settembre verso le 9 e mezza",
)
_BENCH_PERIODS = (
    "a marzo",
    "la settimana scorsa",
    "il mese scorso",
    "quest'anno",
    "negli ultimi 30 giorni",
    "da settembre",
    "dal 1 al 15 ottobre",
    "tra agosto e settembre",
    "prima di giugno",
    "dopo il 10 novembre",
    "l'estate scorsa",
    "nel 2025",
    "le mie richieste di ottobre",
    "ieri",
)


def _timings(parse: Callable[[str], object], texts: Iterable[str], rounds: int) -> list[float]:
    """Microseconds per call, each text parsed `rounds` times."""
    timings = []
    for _ in range(rounds):
        for text in texts:
            started = clock.perf_counter_ns()
            parse(text)
            timings.append((clock.perf_counter_ns() - started) / 1000)
    return timings


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


_STARTUP_PROBE = """
import time
started = time.perf_counter()
from datetime import date
from nlu.dates import parse_date
imported = time.perf_counter()
parse_date("martedì scorso", date(2026, 11, 24))
first = time.perf_counter()
parse_date("yesterday", date(2026, 11, 24))  # the dateparser fallback, loaded on first use
fallback = time.perf_counter()
print(imported - started, first - imported, fallback - first)
"""


def _startup() -> tuple[float, float, float]:
    """Seconds, in a fresh interpreter: import, first answer, first dateparser fallback."""
    probe = subprocess.run(
        [sys.executable, "-c", _STARTUP_PROBE], capture_output=True, text=True, check=True
    )
    imported, first, fallback = (float(value) for value in probe.stdout.split())
    return imported, first, fallback


@bench_group.command("nlu")
@click.option("--rounds", default=200, show_default=True, help="Quante volte leggere ogni frase.")
@click.option(
    "--startup/--no-startup",
    default=True,
    show_default=True,
    help="Misura anche l'avvio, in un processo nuovo.",
)
def bench_nlu_command(rounds: int, startup: bool) -> None:
    """Tempo di lettura per risposta (p50/p99, microsecondi), dopo l'avvio."""
    from nlu.dates import parse_date, parse_period
    from nlu.money import AmountError, parse_amount

    if startup:
        imported, first, fallback = _startup()
        click.echo(
            f"avvio (processo nuovo): import di nlu.dates {1000 * imported:.0f} ms, "
            f"prima risposta {1000 * first:.1f} ms, "
            f"primo ricorso a dateparser {1000 * fallback:.0f} ms"
        )
    today = date(2026, 11, 24)

    def amount(text: str) -> object:
        try:
            return parse_amount(text)
        except AmountError:
            return None

    benches: list[tuple[str, Callable[[str], object], tuple[str, ...]]] = [
        ("parse_date", lambda text: parse_date(text, today), _BENCH_DATES),
        ("parse_period", lambda text: parse_period(text, today), _BENCH_PERIODS),
        ("parse_amount", amount, ("120", "€ 1.234,56", "centoventi euro", "120.50 euro", "-5")),
    ]
    for name, parse, texts in benches:
        _timings(parse, texts, 1)  # warm-up
        timings = _timings(parse, texts, rounds)
        click.echo(
            f"{name}: p50 {statistics.median(timings):.0f} µs, "
            f"p99 {_percentile(timings, 0.99):.0f} µs ({len(timings)} letture)"
        )
