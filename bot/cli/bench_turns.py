"""`medbot bench turns`: concurrent customers through the engine and the store, against a raw
one-commit-per-turn loop on the same database measured in the same run."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import math
import os
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import click

from bot.cli.groups import bench_group

__all__ = ["bench_turns_command"]

# Each customer: a whole reimbursement (about 15 turns), then status questions.
QUESTIONS = ("a che punto è la pratica {number}?", "richieste sospese",
             "è stato pagato il rimborso di Luca?")
MAX_TURNS_PER_REQUEST = 40
# What the customer answers at each step; a step not listed gets its first button.
TYPED = {"year": "quest'anno", "beneficiary": "io", "service_query": "visita cardiologica",
         "service": "la prima", "exp_amount": "85,00", "exp_number": "7"}
TAPPED = {None: "rimborso", "exp_more": "continua", "summary": "invia"}
# The row the raw loop writes per commit: about the size of a conversation's state.
ANCHOR_PAYLOAD = json.dumps({"flow": "rimborso", "draft": "x" * 900})


@dataclass(slots=True)
class Figures:
    backend: str
    customers: int
    turns: int
    seconds: float
    turns_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    anchor_commits_per_s: float
    ratio: float
    # The store's part alone: the turn's read and write (no engine), same customers.
    store_turns_per_s: float
    store_p99_ms: float
    store_ratio: float
    # CPU time of the process per turn and per raw commit: on a shared machine the rates
    # above swing with the disk's flush and with other processes; the CPU a turn costs does
    # not. cpu_ratio: the raw commit's CPU over the turn's (what the ratio would be if CPU
    # were the only limit).
    cpu_ms_per_turn: float
    anchor_cpu_ms_per_commit: float
    cpu_ratio: float
    # Each customer's pause between an answer and the next message (--think-ms); 0: none,
    # the most the process can do (the loop saturated, latencies include queueing).
    think_ms: float = 0.0


def _receipt(label: str) -> bytes:
    """A distinct photo of a receipt (a different text gives a different file)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (300, 400), "white")
    ImageDraw.Draw(image).text((20, 20), label, fill="black")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


class _Customer:
    """Answers whatever the bot asks, as a customer sending a reimbursement would."""

    def __init__(self, runtime: Any, customer_id: int, key: str, latencies: list[float],
                 think: float = 0.0) -> None:
        self.runtime = runtime
        self.customer_id = customer_id
        self.key = key
        self.latencies = latencies
        self.requests = 0
        # Seconds between an answer and the next message (0: at once). Each pause is drawn
        # around it so that customers drift apart instead of sending in lockstep.
        self.think = think
        self._pauses = random.Random(key)

    async def _turn(self, inbound: Any) -> Any:
        if self.think:
            await asyncio.sleep(self.think * self._pauses.uniform(0.5, 1.5))
        started = time.perf_counter()
        result = await self.runtime.conversations.handle("bench", self.key, self.customer_id,
                                                         inbound)
        self.latencies.append(time.perf_counter() - started)
        return result

    async def reimbursement(self, receipt: bytes, day: str) -> str:
        from dialogs.events import Inbound, IncomingFile

        result = await self._turn(Inbound(text="Buongiorno"))
        for _ in range(MAX_TURNS_PER_REQUEST):
            if result.request_number:
                self.requests += 1
                return str(result.request_number)
            step = result.step
            choices = [c for r in result.replies for c in r.choices]
            if step == "exp_file":
                inbound = Inbound(file=IncomingFile(receipt, "ricevuta.png"))
            elif step == "exp_date":
                inbound = Inbound(text=day)
            elif step in TYPED:
                inbound = Inbound(text=TYPED[step])
            elif choices:
                wanted = TAPPED.get(step)
                chosen = next((c for c in choices if wanted and wanted in c.label.lower()),
                              choices[0])
                inbound = Inbound(choice=chosen.id)
            else:
                inbound = Inbound(text="sì")
            result = await self._turn(inbound)
        raise click.ClickException(f"no request after {MAX_TURNS_PER_REQUEST} turns "
                                   f"(stuck at {result.flow}/{result.step})")

    async def questions(self, number: str) -> None:
        from dialogs.events import Inbound

        for question in QUESTIONS:
            await self._turn(Inbound(text=question.format(number=number)))


async def _medbot(runtime: Any, customer_id: int, customers: int, cycles: int,
                  tag: str, think: float = 0.0) -> tuple[int, float, list[float], int, float]:
    """Turns, seconds, each turn's latency, requests sent, and the CPU seconds used."""
    day = runtime.clock.today().strftime("%d/%m/%Y")
    receipts = [[_receipt(f"Ricevuta {tag} {i}-{k}") for k in range(cycles)]
                for i in range(customers)]
    latencies: list[float] = []
    people = [_Customer(runtime, customer_id, f"{tag}-{i}", latencies, think)
              for i in range(customers)]

    async def one(i: int) -> None:
        for k in range(cycles):
            number = await people[i].reimbursement(receipts[i][k], day)
            await people[i].questions(number)

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(one(i) for i in range(customers)))
    seconds = time.perf_counter() - started
    return (len(latencies), seconds, latencies, sum(p.requests for p in people),
            time.process_time() - cpu)


async def _store_only(store: Any, customer_id: int, customers: int, turns: int,
                      tag: str) -> tuple[float, float]:
    """Turns/s and p99 (ms) of the store's part of a turn alone: `load_turn`, then
    `save_turn` with a state the size of a reimbursement's, `customers` at once."""
    state = json.loads(ANCHOR_PAYLOAD)
    latencies: list[float] = []

    async def one(i: int) -> None:
        for _ in range(turns):
            started = time.perf_counter()
            record, _household = await store.load_turn("bench", f"{tag}-{i}", customer_id)
            await store.save_turn("bench", f"{tag}-{i}", customer_id, state,
                                  record.version if record else 0)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(customers)))
    seconds = time.perf_counter() - started
    latencies.sort()
    return (len(latencies) / seconds,
            1000 * latencies[max(0, math.ceil(0.99 * len(latencies)) - 1)])


async def _raw_sqlite(path: str, seconds: float) -> tuple[float, float]:
    """One connection, one INSERT + COMMIT per 'turn', WAL and synchronous=FULL like the
    store: SQLite has one writer, so more connections only add waiting. Commits per second
    and CPU milliseconds per commit."""
    import aiosqlite

    async with aiosqlite.connect(path, isolation_level=None) as db:
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "busy_timeout=10000"):
            await db.execute(f"PRAGMA {pragma}")
        await db.execute("CREATE TABLE IF NOT EXISTS bench_commits "
                         "(id INTEGER PRIMARY KEY, payload TEXT NOT NULL)")
        done, started, cpu = 0, time.perf_counter(), time.process_time()
        while time.perf_counter() - started < seconds:
            await db.execute("BEGIN IMMEDIATE")
            await db.execute("INSERT INTO bench_commits (payload) VALUES (?)", (ANCHOR_PAYLOAD,))
            await db.execute("COMMIT")
            done += 1
        rate = done / (time.perf_counter() - started)
        cpu_ms = 1000 * (time.process_time() - cpu) / max(1, done)
        await db.execute("DROP TABLE bench_commits")
    return rate, cpu_ms


async def _raw_postgres(url: str, connections: int, seconds: float) -> tuple[float, float]:
    """`connections` asyncpg connections, each one INSERT + COMMIT per 'turn': commits per
    second and the client's CPU milliseconds per commit."""
    import asyncpg

    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    pool = await asyncpg.create_pool(dsn, min_size=connections, max_size=connections)
    try:
        await pool.execute("CREATE TABLE IF NOT EXISTS bench_commits "
                           "(id BIGSERIAL PRIMARY KEY, payload TEXT NOT NULL)")
        counts = [0] * connections
        started, cpu = time.perf_counter(), time.process_time()

        async def loop(i: int) -> None:
            async with pool.acquire() as conn:
                statement = await conn.prepare(
                    "INSERT INTO bench_commits (payload) VALUES ($1)")
                while time.perf_counter() - started < seconds:
                    async with conn.transaction():
                        await statement.fetch(ANCHOR_PAYLOAD)
                    counts[i] += 1

        await asyncio.gather(*(loop(i) for i in range(connections)))
        rate = sum(counts) / (time.perf_counter() - started)
        cpu_ms = 1000 * (time.process_time() - cpu) / max(1, sum(counts))
        await pool.execute("DROP TABLE bench_commits")
    finally:
        await pool.close()
    return rate, cpu_ms


def _reads_nothing(data: bytes, media_type: str = "") -> Any:
    """A receipt reader that finds nothing: the customer types amount, date and number."""
    from nlu.receipts import Receipt

    return Receipt()


async def _prepared(home: Path, database_url: str | None, read_receipts: bool = False) -> Any:
    """A Runtime on `home` (SQLite) or `database_url`, with the demo household. Receipts are
    read (OCR, ~0.5 s of CPU a photo) only with `read_receipts`: the turn path is measured
    without it, and `--read-receipts` shows what reading adds."""
    from bot.config import Settings
    from bot.runtime import Runtime
    from portal.demo import load_demo

    runtime = await Runtime.open(Settings(home=home, database_url=database_url),
                                 reader=None if read_receipts else _reads_nothing)
    if not await runtime.store.has_customers():
        await load_demo(runtime.store)
    return runtime


async def _run(counts: list[int], database_url: str | None, min_turns: int,
               anchor_seconds: float, say: Callable[[str], None],
               read_receipts: bool = False, think_ms: float = 0.0) -> list[Figures]:
    from nlu.identifiers import parse_fiscal_code

    home = Path(tempfile.mkdtemp(prefix="medbot-bench-"))
    figures = []
    own_database = None if database_url is None else await _own_postgres(database_url)
    try:
        runtime = await _prepared(home, own_database, read_receipts)
        try:
            mario = await runtime.store.customer_by_fiscal_code(
                parse_fiscal_code(runtime.settings.console_customer))
            if mario is None:
                raise click.ClickException("the demo customer is missing")
            backend = runtime.store.engine.dialect.name
            url = runtime.settings.resolved_database_url
            # Warm-up: the catalogue, compiled statements, the first connections.
            await _medbot(runtime, mario.id, 1, 1, f"warm{time.time_ns()}")
            for n in counts:
                cycles = max(1, math.ceil(min_turns / (18 * n)))
                anchor: Awaitable[tuple[float, float]]
                if backend == "sqlite":
                    anchor = _raw_sqlite(str(runtime.store.engine.url.database), anchor_seconds)
                else:
                    anchor = _raw_postgres(url, n, anchor_seconds)
                rate, anchor_cpu_ms = await anchor
                turns, seconds, latencies, requests, cpu = await _medbot(
                    runtime, mario.id, n, cycles, f"b{n}-{time.time_ns()}", think_ms / 1000)
                store_rate, store_p99 = await _store_only(
                    runtime.store, mario.id, n, max(1, turns // n), f"s{n}-{time.time_ns()}")
                latencies.sort()
                per_s = turns / seconds
                row = Figures(backend, n, turns, round(seconds, 3), round(per_s, 1),
                              round(1000 * statistics.median(latencies), 2),
                              round(1000 * latencies[max(0, math.ceil(0.99 * turns) - 1)], 2),
                              requests, round(rate, 1), round(per_s / rate, 3),
                              round(store_rate, 1), round(store_p99, 2),
                              round(store_rate / rate, 3), round(1000 * cpu / turns, 3),
                              round(anchor_cpu_ms, 3),
                              round(anchor_cpu_ms / (1000 * cpu / turns), 3), think_ms)
                figures.append(row)
                paced = f" (pause di ~{think_ms:g} ms tra i messaggi)" if think_ms else ""
                say(f"{backend}, {n} clienti{paced}: {row.turns_per_s} turni/s ({turns} turni, "
                    f"{requests} richieste), p50 {row.p50_ms} ms, p99 {row.p99_ms} ms; "
                    f"ciclo grezzo INSERT+COMMIT {row.anchor_commits_per_s}/s; "
                    f"rapporto {row.ratio}x; solo la parte dello store (lettura e scrittura "
                    f"del turno): {row.store_turns_per_s} turni/s, p99 {row.store_p99_ms} ms, "
                    f"rapporto {row.store_ratio}x; CPU per turno {row.cpu_ms_per_turn} ms, "
                    f"per commit grezzo {row.anchor_cpu_ms_per_commit} ms, "
                    f"rapporto in CPU {row.cpu_ratio}x")
        finally:
            await runtime.close()
    finally:
        shutil.rmtree(home, ignore_errors=True)
        if database_url is not None and own_database is not None:
            await _drop_postgres(database_url, own_database)
    return figures


# Each run on a database of its own, made on the server named and dropped at the end: runs
# left requests behind in a shared database, and every later run read a bigger archive
# (CPU per turn rose from ~3 to ~11 ms over one morning's runs).
async def _own_postgres(url: str) -> str:
    """A new empty database on `url`'s server (made from `url`'s database); its URL."""
    from sqlalchemy.engine import make_url

    name = f"medbot_bench_{os.getpid()}"
    await _administer(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
                      f'CREATE DATABASE "{name}"')
    return make_url(url).set(database=name).render_as_string(hide_password=False)


async def _drop_postgres(url: str, own: str) -> None:
    from sqlalchemy.engine import make_url

    await _administer(url, f'DROP DATABASE IF EXISTS "{make_url(own).database}" WITH (FORCE)')


async def _administer(url: str, *statements: str) -> None:
    import asyncpg
    from sqlalchemy.engine import make_url

    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


@bench_group.command("turns")
@click.option("--customers", default="1,8,32", show_default=True,
              help="Quanti clienti insieme (più valori separati da virgole).")
@click.option("--database-url", default=None,
              help="PostgreSQL (postgresql://...): sul suo server crea un database apposito con il "
                   "cliente demo, eliminato alla fine. "
                   "Senza: SQLite in una cartella temporanea.")
@click.option("--min-turns", default=300, show_default=True,
              help="Turni minimi per misura (ogni cliente ripete rimborso e domande).")
@click.option("--anchor-seconds", default=2.0, show_default=True,
              help="Durata del ciclo grezzo INSERT+COMMIT di riferimento.")
@click.option("--read-receipts", is_flag=True,
              help="Legge le ricevute caricate (OCR): senza, il cliente scrive importo e data.")
@click.option("--think-ms", type=click.FloatRange(min=0), default=0.0, show_default=True,
              help="Pausa di ogni cliente tra una risposta e il messaggio dopo (tra metà e una "
                   "volta e mezza questo valore): la latenza a un carico dato invece che a "
                   "processo saturo. Con pause, turni/s e rapporto misurano il carico offerto.")
@click.option("--json", "as_json", is_flag=True, help="Le cifre in JSON.")
def bench_turns_command(customers: str, database_url: str | None, min_turns: int,
                        anchor_seconds: float, read_receipts: bool, think_ms: float,
                        as_json: bool) -> None:
    """Turni durevoli al secondo (rimborsi completi e domande di stato) contro un ciclo
    grezzo di un INSERT+COMMIT per turno sullo stesso database. Le ricevute caricate non
    sono lette (OCR) se non con --read-receipts."""
    try:
        counts = [int(c) for c in customers.split(",") if c.strip()]
    except ValueError as exc:
        raise click.BadParameter("numeri separati da virgole", param_hint="--customers") from exc
    if not counts or min(counts) < 1:
        raise click.BadParameter("almeno un cliente", param_hint="--customers")
    say: Callable[[str], None] = (lambda _line: None) if as_json else click.echo
    quiet = logging.root.manager.disable
    logging.disable(logging.WARNING)  # the console SMS and the turns' own logs
    try:
        figures = asyncio.run(_run(counts, database_url, min_turns, anchor_seconds, say,
                                   read_receipts, think_ms))
    finally:
        logging.disable(quiet)
    if as_json:
        click.echo(json.dumps([asdict(f) for f in figures], indent=2))


# -- the archive: list questions in a household with many requests ---------------------------

LIST_QUESTIONS = ("richieste sospese", "le mie richieste", "rimborsi pagati nel 2025",
                  "richieste di Luca di marzo")
_SPREAD = ("inviata", "in_lavorazione", "sospesa", "liquidata", "chiusa", "respinta")


async def _fill_archive(runtime: Any, customer_id: int, count: int) -> str:
    """`count` more requests for the household (copies of one of its own, each with a
    receipt and its history), spread over two years, statuses and people; one number."""
    from datetime import timedelta

    from sqlalchemy import insert, select

    from portal.schema import documents, requests, status_history

    store = runtime.store
    household = await store.household(customer_id)
    members = [m.id for m in household.members]
    async with store.engine.begin() as conn:
        template = (await conn.execute(
            select(requests).where(requests.c.customer_id == customer_id).limit(1))).first()
        receipt = (await conn.execute(select(documents).limit(1))).first()
        if template is None or receipt is None:
            raise click.ClickException("the demo household has no request to copy")
        base = {k: v for k, v in template._mapping.items() if k != "id"}
        now = runtime.clock.now()
        rows = []
        for i in range(count):
            at = now - timedelta(hours=3 * i + 1)
            rows.append({**base, "number": f"9{i:07d}", "submission_key": f"bench-{i}",
                         "beneficiary_id": members[i % len(members)],
                         "status": _SPREAD[i % len(_SPREAD)], "created_at": at,
                         "updated_at": at, "year": at.year})
        await conn.execute(insert(requests), rows)
        ids = (await conn.execute(select(requests.c.id, requests.c.number, requests.c.status,
                                         requests.c.created_at)
                                  .where(requests.c.submission_key.like("bench-%")))).all()
        doc = {k: v for k, v in receipt._mapping.items() if k not in ("id", "request_id")}
        await conn.execute(insert(documents), [
            {**doc, "request_id": r.id, "expense_date": r.created_at.date()} for r in ids])
        await conn.execute(insert(status_history), [
            {"request_id": r.id, "status": s, "changed_at": r.created_at, "changed_by": "bench",
             "note": ""}
            for r in ids for s in (("inviata",) if r.status == "inviata"
                                   else ("inviata", r.status))])
    return str(ids[len(ids) // 2].number)


async def _archive(count: int, rounds: int, say: Callable[[str], None]) -> dict[str, Any]:
    from dialogs.events import Inbound
    from nlu.identifiers import parse_fiscal_code

    home = Path(tempfile.mkdtemp(prefix="medbot-bench-archive-"))
    try:
        runtime = await _prepared(home, None)
        try:
            mario = await runtime.store.customer_by_fiscal_code(
                parse_fiscal_code(runtime.settings.console_customer))
            assert mario is not None
            number = await _fill_archive(runtime, mario.id, count)

            async def timed(text: str) -> float:
                times = []
                for _ in range(rounds):
                    started = time.perf_counter()
                    await runtime.conversations.handle("bench", "archive", mario.id,
                                                       Inbound(text=text))
                    times.append(time.perf_counter() - started)
                return round(1000 * statistics.median(times), 1)

            await timed("ciao")  # warm-up
            figures = {"requests": count, "anchor_number_ms": await timed(f"pratica {number}")}
            figures["questions_ms"] = {q: await timed(q) for q in LIST_QUESTIONS}
        finally:
            await runtime.close()
    finally:
        shutil.rmtree(home, ignore_errors=True)
    say(f"{count} richieste nella famiglia; «pratica {number}»: "
        f"{figures['anchor_number_ms']} ms (riferimento)")
    for question, ms in figures["questions_ms"].items():
        say(f"«{question}»: {ms} ms")
    return figures


@bench_group.command("archive")
@click.option("--requests", "count", default=5000, show_default=True,
              help="Richieste aggiunte alla famiglia demo.")
@click.option("--rounds", default=5, show_default=True, help="Ripetizioni per domanda (mediana).")
@click.option("--json", "as_json", is_flag=True, help="Le cifre in JSON.")
def bench_archive_command(count: int, rounds: int, as_json: bool) -> None:
    """Domande sull'elenco delle richieste (turno intero) con molte richieste nella famiglia,
    contro «pratica N» nello stesso giro."""
    say: Callable[[str], None] = (lambda _line: None) if as_json else click.echo
    quiet = logging.root.manager.disable
    logging.disable(logging.WARNING)
    try:
        figures = asyncio.run(_archive(count, rounds, say))
    finally:
        logging.disable(quiet)
    if as_json:
        click.echo(json.dumps(figures, indent=2, ensure_ascii=False))
