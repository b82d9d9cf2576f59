"""`medbot catalogue ...`, `medbot eval catalogue`, `medbot bench catalogue`."""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import time as clock
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import click

from bot.cli.groups import bench_group, eval_group

__all__ = ["catalogue_group"]

_KINDS = ("ambulatoriale", "ricovero")
_KIND = click.option(
    "--kind", type=click.Choice(_KINDS), help="Solo prestazioni ambulatoriali o solo interventi."
)


@click.group("catalogue")
def catalogue_group() -> None:
    """Il catalogo delle prestazioni."""


@catalogue_group.command("search")
@click.argument("words", nargs=-1, required=True, metavar="TEXT")
@_KIND
@click.option("--limit", default=5, show_default=True, type=click.IntRange(min=1))
@click.option("--json", "as_json", is_flag=True, help="Stampa i risultati come JSON.")
def search_command(words: tuple[str, ...], kind: str | None, limit: int, as_json: bool) -> None:
    """Le prestazioni che TEXT nomina, per esempio: medbot catalogue search eco addome.

    Con TEXT uguale a "-" legge una ricerca per riga dallo standard input e stampa, per ogni
    riga, un array JSON.
    """
    from nlu.catalogue import load_catalogue

    catalogue = load_catalogue()
    if words == ("-",):
        for line in sys.stdin:
            matches = catalogue.search(line.strip(), kind=kind, limit=limit)
            click.echo(json.dumps([asdict(match) for match in matches], ensure_ascii=False))
        return
    matches = catalogue.search(" ".join(words), kind=kind, limit=limit)
    if as_json:
        click.echo(json.dumps([asdict(match) for match in matches], ensure_ascii=False))
    elif not matches:
        click.echo("Nessuna prestazione corrispondente.")
    for match in [] if as_json else matches:
        click.echo(f"{match.score:5.1f}  {match.code:<9} {match.name}  [{match.kind}]")
    if not matches:
        sys.exit(1)


@catalogue_group.command("show")
@click.argument("code")
@_KIND
def show_command(code: str, kind: str | None) -> None:
    """Nome e descrizione ufficiale della prestazione con codice CODE."""
    from nlu.catalogue import load_catalogue

    entry = load_catalogue().get(code, kind=kind)
    if entry is None:
        click.echo(f"Nessuna prestazione con codice {code}.")
        sys.exit(1)
    click.echo(f"{entry.code} [{entry.kind}] {entry.name}\n{entry.description}")


# -- evaluation ----------------------------------------------------------------------------


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


@dataclass(frozen=True)
class _Accuracy:
    total: int
    first: int  # the first answer is acceptable
    top: int  # an acceptable answer is among the first five
    misses: list[str]

    def report(self, show_misses: bool) -> None:
        if show_misses:
            for miss in self.misses:
                click.echo(miss)
        for label, correct in (("top-1", self.first), ("top-5", self.top)):
            share = correct / self.total if self.total else 0.0
            click.echo(f"{label}: {correct}/{self.total} ({share:.1%})")


def _accuracy(
    rows: Iterable[dict[str, Any]], search: Callable[[str, str | None], Sequence[Any]]
) -> _Accuracy:
    total = first = top = 0
    misses = []
    for row in rows:
        total += 1
        accept = set(row["accept"])
        codes = [match.code for match in search(row["text"], row.get("kind"))]
        first += bool(codes) and codes[0] in accept
        top += any(code in accept for code in codes)
        if not codes or codes[0] not in accept:
            found = ", ".join(codes) if codes else "nulla"
            where = "in top-5" if any(code in accept for code in codes) else "fuori dai primi 5"
            misses.append(
                f"✗ {row['text']!r} ({row.get('kind') or 'tutti'}): trovati {found}; "
                f"atteso {' o '.join(row['accept'])} ({where})"
            )
    return _Accuracy(total, first, top, misses)


_EVAL_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@eval_group.command("catalogue")
@click.argument("file", type=_EVAL_FILE)
@click.option(
    "--misses/--no-misses", default=True, show_default=True, help="Elenca le risposte sbagliate."
)
def eval_catalogue_command(file: Path, misses: bool) -> None:
    """Accuratezza top-1 e top-5 della ricerca su FILE (jsonl: text, kind, accept)."""
    from nlu.catalogue import load_catalogue

    catalogue = load_catalogue()
    _accuracy(
        _read_jsonl(file), lambda text, kind: catalogue.search(text, kind=kind, limit=5)
    ).report(misses)


@eval_group.command("catalogue-confidence")
@click.argument("files", nargs=-1, required=True, type=_EVAL_FILE)
@click.option("--misses/--no-misses", default=True, show_default=True,
              help="Elenca i testi dalla parte sbagliata della soglia.")
def eval_catalogue_confidence_command(files: tuple[Path, ...], misses: bool) -> None:
    """Precisione e richiamo della soglia di confidenza del catalogo su FILES (jsonl): le righe
    con "accept" nominano una prestazione, quelle senza no ("boh", "luca", "annulla")."""
    from nlu.catalogue import CONFIDENT, load_catalogue

    catalogue = load_catalogue()
    services: list[tuple[float, str]] = []
    others: list[tuple[float, str]] = []
    for file in files:
        for row in _read_jsonl(file):
            found = catalogue.assess(row["text"], kind=row.get("kind"),
                                     people=row.get("people", ()))
            (services if row.get("accept") else others).append((found.confidence, row["text"]))
    for threshold in sorted({0.5, 0.55, 0.6, CONFIDENT, 0.65, 0.7}):
        kept = sum(1 for sure, _ in services if sure >= threshold)
        wrong = sum(1 for sure, _ in others if sure >= threshold)
        precision = kept / (kept + wrong) if kept + wrong else 1.0
        recall = kept / len(services) if services else 1.0
        mark = "  ← soglia" if threshold == CONFIDENT else ""
        click.echo(f"soglia {threshold:.2f}: precisione {precision:.1%} ({kept}/{kept + wrong}), "
                   f"richiamo {recall:.1%} ({kept}/{len(services)}){mark}")
    if misses:
        for sure, text in services:
            if sure < CONFIDENT:
                click.echo(f"✗ prestazione sotto la soglia ({sure:.2f}): {text!r}")
        for sure, text in others:
            if sure >= CONFIDENT:
                click.echo(f"✗ non prestazione sopra la soglia ({sure:.2f}): {text!r}")


# -- benchmark -----------------------------------------------------------------------------

_SHARED_DEV_SET = Path("/work/shared/eval/catalogue.dev.jsonl")
# What the issue quotes customers typing, for when no labelled file is at hand.
_SAMPLE_QUERIES = (
    "eco addome",
    "rmn ginocchio sx",
    "tac torace con contrasto",
    "visita cardiolgica",
    "ecg",
    "emocromo con formula",
    "89.52",
    "togliere la cistifellea",
)


def _typo(text: str, rng: random.Random) -> str:
    """``text`` with one or two keyboard slips (deletion, insertion, substitution, swap)."""
    words = text.split()
    candidates = [
        position for position, word in enumerate(words) if len(word) >= 4 and word.isalpha()
    ]
    if not candidates:
        return text
    for _ in range(rng.choice((1, 1, 2))):
        position = rng.choice(candidates)
        word = words[position]
        at = rng.randrange(1, len(word) - 1)  # customers seldom miss the first letter
        edit = rng.choice(("delete", "insert", "substitute", "swap"))
        letter = rng.choice("abcdefghilmnoprstuvz")
        if edit == "delete":
            word = word[:at] + word[at + 1 :]
        elif edit == "insert":
            word = word[:at] + letter + word[at:]
        elif edit == "substitute":
            word = word[:at] + letter + word[at + 1 :]
        else:
            word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
        words[position] = word
    return " ".join(words)


def _typo_stream(rows: Sequence[dict[str, Any]], size: int, seed: int) -> list[dict[str, Any]]:
    """``size`` labelled queries with random typos, the same for the same seed."""
    rng = random.Random(seed)
    return [
        {**row, "text": _typo(row["text"], rng)} for row in (rng.choice(rows) for _ in range(size))
    ]


@dataclass(frozen=True)
class _Latency:
    wall: list[float]  # microseconds
    cpu: list[float]

    def line(self, what: str) -> str:
        return (
            f"{what}: p50 {statistics.median(self.wall):.0f} µs, p99 {_percentile(self.wall, 0.99):.0f} µs "
            f"(tempo di CPU: p50 {statistics.median(self.cpu):.0f} µs, "
            f"p99 {_percentile(self.cpu, 0.99):.0f} µs; {len(self.wall)} ricerche)"
        )


def _latency(
    search: Callable[[str, str | None], object], rows: Iterable[dict[str, Any]]
) -> _Latency:
    wall, cpu = [], []
    for row in rows:
        started, started_cpu = clock.perf_counter_ns(), clock.thread_time_ns()
        search(row["text"], row.get("kind"))
        cpu.append((clock.thread_time_ns() - started_cpu) / 1000)
        wall.append((clock.perf_counter_ns() - started) / 1000)
    return _Latency(wall, cpu)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


_STARTUP_PROBE = """
import time
started = time.perf_counter()
from nlu.catalogue import load_catalogue, search
imported = time.perf_counter()
load_catalogue()
built = time.perf_counter()
search("eco addome")
print(imported - started, built - imported, time.perf_counter() - built)
"""


def _startup() -> tuple[float, float, float]:
    """Seconds, in a fresh interpreter: import, catalogue build, first search."""
    probe = subprocess.run(
        [sys.executable, "-c", _STARTUP_PROBE], capture_output=True, text=True, check=True
    )
    imported, built, first = (float(value) for value in probe.stdout.split())
    return imported, built, first


def _baseline(rows: Sequence[dict[str, Any]]) -> _Latency:
    """The plain fuzzy match the issue starts from: WRatio against every full description."""
    from rapidfuzz import fuzz, process, utils

    from nlu.catalogue import load_catalogue

    entries = {kind: list(load_catalogue().entries(kind)) for kind in _KINDS}
    descriptions = {kind: [entry.description for entry in entries[kind]] for kind in _KINDS}

    def search(text: str, kind: str | None) -> object:
        pool = descriptions[kind or _KINDS[0]]
        return process.extract(
            text, pool, scorer=fuzz.WRatio, processor=utils.default_process, limit=5
        )

    return _latency(search, rows)


@bench_group.command("catalogue")
@click.option(
    "--queries",
    type=_EVAL_FILE,
    help=f"Ricerche etichettate (jsonl: text, kind, accept); predefinito {_SHARED_DEV_SET}.",
)
@click.option("--rounds", default=20, show_default=True, help="Quante volte ripetere ogni ricerca.")
@click.option(
    "--typos", default=10_000, show_default=True, help="Ricerche con errori di battitura."
)
@click.option("--seed", default=2026, show_default=True, help="Seme degli errori di battitura.")
@click.option(
    "--baseline/--no-baseline",
    default=True,
    show_default=True,
    help="Misura anche il confronto fuzzy semplice (WRatio su ogni descrizione).",
)
@click.option(
    "--build/--no-build",
    default=True,
    show_default=True,
    help="Misura la costruzione dell'indice (lettura dei CSV e indice).",
)
@click.option(
    "--startup/--no-startup",
    default=True,
    show_default=True,
    help="Misura l'avvio in un processo nuovo.",
)
def bench_catalogue_command(
    queries: Path | None,
    rounds: int,
    typos: int,
    seed: int,
    baseline: bool,
    build: bool,
    startup: bool,
) -> None:
    """Costruzione dell'indice e tempo per ricerca (p50/p99), anche con errori di battitura."""
    from nlu.catalogue import load_catalogue
    from nlu.catalogue.catalogue import DEFAULT_DATA_DIR
    from nlu.catalogue.source import read_records

    if queries is None and _SHARED_DEV_SET.exists():
        queries = _SHARED_DEV_SET
    rows = (
        _read_jsonl(queries)
        if queries is not None
        else [{"text": text, "kind": None, "accept": []} for text in _SAMPLE_QUERIES]
    )
    if startup:
        imported, built, first = _startup()
        click.echo(
            f"avvio (processo nuovo): import {1000 * imported:.0f} ms, "
            f"costruzione del catalogo {1000 * built:.0f} ms, prima ricerca {1000 * first:.1f} ms"
        )
    if build:
        from nlu.catalogue import Catalogue

        started = clock.perf_counter()
        records = read_records(DEFAULT_DATA_DIR)
        read = clock.perf_counter()
        Catalogue(records)
        indexed = clock.perf_counter()
        click.echo(
            f"costruzione dell'indice: lettura dei CSV {1000 * (read - started):.0f} ms, "
            f"indice {1000 * (indexed - read):.0f} ms ({len(records)} voci)"
        )
    catalogue = load_catalogue()

    def search(text: str, kind: str | None) -> Sequence[Any]:
        return catalogue.search(text, kind=kind, limit=5)

    _latency(search, rows)  # warm-up
    source = f"{queries.name}" if queries is not None else "esempi"
    click.echo(_latency(search, rows * rounds).line(f"ricerche ({source} x {rounds})"))
    if typos:
        stream = _typo_stream(rows, typos, seed)
        click.echo(_latency(search, stream).line(f"ricerche con errori di battitura (seme {seed})"))
        if queries is not None:
            accuracy = _accuracy(stream, search)
            click.echo(
                f"accuratezza con errori di battitura: top-1 {accuracy.first / accuracy.total:.1%}, "
                f"top-5 {accuracy.top / accuracy.total:.1%}"
            )
    if baseline:
        click.echo(_baseline(rows).line("confronto fuzzy semplice (WRatio, per riferimento)"))
