"""`medbot bench telegram`: medbot's handlers against a bare echo handler, same Application."""

from __future__ import annotations

import itertools
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from telegram import Message, Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.channels.telegram._app import TelegramApp, TelegramConfig, build_application
from bot.channels.telegram._inmemory import InMemoryBotApi
from bot.channels.telegram._linking import CHANNEL
from bot.config import Settings
from bot.runtime import Runtime

__all__ = ["BenchResult", "run_bench"]

# Users of the echo handler: ids from here up; medbot's users below.
ECHO_USERS = 9_000_000_000
MEDBOT_USERS = 5_000_000_000
# What each medbot user does, in a loop: typed words and taps ("tap" + the label's start,
# or None for the first button), reading the archive and starting and cancelling a request.
SCRIPT: tuple[tuple[str, str | None], ...] = (
    ("text", "ciao"),
    ("tap", "Le mie richieste"),
    ("tap", None),
    ("text", "rimborso"),
    ("tap", None),
    ("text", "annulla"),
    ("tap", "Sì"),
    ("text", "aiuto"),
)


class _NoSms:
    async def send(self, to: str, text: str) -> None:
        raise AssertionError("the bench links its users without SMS")


@dataclass(frozen=True, slots=True)
class Figures:
    """Milliseconds per update."""

    median: float
    p90: float
    mean: float

    @classmethod
    def of(cls, values: list[float]) -> Figures:
        ordered = sorted(values)
        return cls(statistics.median(ordered), ordered[int(0.9 * (len(ordered) - 1))],
                   statistics.fmean(ordered))


@dataclass(slots=True)
class BenchResult:
    updates: int
    users: int
    floor: Figures  # the echo handler alone on a bare Application (no limiter, no medbot)
    echo: Figures  # the echo handler on medbot's Application
    medbot: Figures
    turn: Figures  # of medbot's updates: the conversation turn alone (engine and store)
    layer: Figures  # of medbot's updates: the rest (the Telegram layer), update by update
    bot_api_calls: dict[str, float] = field(default_factory=dict)  # per medbot update
    sql_statements: float = 0.0  # per medbot update
    # The same updates in CPU time of the process (milliseconds, medians): on a shared
    # machine the wall times above swing with the disk's flush and other processes; the
    # CPU an update costs does not.
    cpu_floor: float = 0.0
    cpu_medbot: float = 0.0
    cpu_layer: float = 0.0  # medbot's update minus its turn's CPU, update by update

    @property
    def ratio(self) -> float:
        """medbot's update against the bare echo floor."""
        return self.medbot.median / self.floor.median

    @property
    def same_app_ratio(self) -> float:
        """medbot's update against the echo handler on the same Application."""
        return self.medbot.median / self.echo.median

    @property
    def layer_ratio(self) -> float:
        """The Telegram layer alone (an update minus its turn) against the echo floor."""
        return self.layer.median / self.floor.median

    @property
    def cpu_ratio(self) -> float:
        """medbot's update against the echo floor, in CPU time."""
        return self.cpu_medbot / self.cpu_floor if self.cpu_floor else 0.0

    @property
    def cpu_layer_ratio(self) -> float:
        """The Telegram layer alone against the echo floor, in CPU time."""
        return self.cpu_layer / self.cpu_floor if self.cpu_floor else 0.0

    def as_json(self) -> dict[str, Any]:
        return {
            "updates": self.updates, "users": self.users,
            "floor_ms": _dict(self.floor), "echo_ms": _dict(self.echo),
            "medbot_ms": _dict(self.medbot), "turn_ms": _dict(self.turn),
            "layer_ms": _dict(self.layer),
            "ratio": round(self.ratio, 2), "same_app_ratio": round(self.same_app_ratio, 2),
            "telegram_layer_ratio": round(self.layer_ratio, 2),
            "bot_api_calls_per_update": self.bot_api_calls,
            "sql_statements_per_update": round(self.sql_statements, 2),
            "cpu_ms": {"floor": round(self.cpu_floor, 3), "medbot": round(self.cpu_medbot, 3),
                       "layer": round(self.cpu_layer, 3)},
            "cpu_ratio": round(self.cpu_ratio, 2),
            "cpu_telegram_layer_ratio": round(self.cpu_layer_ratio, 2),
        }


def _dict(figures: Figures) -> dict[str, float]:
    return {"median": round(figures.median, 3), "p90": round(figures.p90, 3),
            "mean": round(figures.mean, 3)}


async def run_bench(updates: int = 400, users: int = 50, warmup: int = 40) -> BenchResult:
    """`updates` medbot updates (users taking turns through SCRIPT), each followed by one
    echo update, after `warmup` of each; one at a time, timed from the update to its end."""
    from portal.demo import load_demo

    home = Path(tempfile.mkdtemp(prefix="medbot-bench-"))
    try:
        runtime = await Runtime.open(Settings(home=home, database_url=None))
        try:
            await load_demo(runtime.store)
            customers = await runtime.store.customers()
            for n in range(users):
                await runtime.store.link_user(CHANNEL, str(MEDBOT_USERS + n), customers[0].id)
            return await _measure(runtime, updates, users, warmup)
        finally:
            await runtime.close()
    finally:
        shutil.rmtree(home, ignore_errors=True)


async def _floor(updates: int, warmup: int) -> tuple[list[float], list[float]]:
    """The echo handler alone on a bare Application (PTB's defaults, the in-memory Bot API):
    wall and CPU milliseconds per update."""
    api = InMemoryBotApi()
    application = (Application.builder().token("1:bench").base_url("http://bench.invalid/bot")
                   .request(api).get_updates_request(api).build())
    application.add_handler(MessageHandler(filters.TEXT, _echo))
    times: list[float] = []
    cpu: list[float] = []
    async with application:
        for n in range(warmup + updates):
            took, used = await _process(application, _echo_update(application, n + 1))
            if n >= warmup:
                times.append(took)
                cpu.append(used)
    return times, cpu


async def _measure(runtime: Runtime, updates: int, users: int, warmup: int) -> BenchResult:
    floor, floor_cpu = await _floor(updates // 2, warmup)
    api = InMemoryBotApi()
    config = TelegramConfig(token="1:bench", api_url="http://bench.invalid/bot",
                            file_url="http://bench.invalid/file/bot")
    application = build_application(runtime, _NoSms(), config, updater=False, request=api)
    application.add_handler(MessageHandler(_EchoChats() & filters.TEXT, _echo),
                            group=-1)
    turn_times: list[float] = []
    turn_cpu: list[float] = []
    conversations = runtime.conversations
    handle = conversations.handle

    async def timed_handle(*args: Any, **kwargs: Any) -> Any:
        started, cpu = time.perf_counter_ns(), time.process_time_ns()
        try:
            return await handle(*args, **kwargs)
        finally:
            turn_times.append((time.perf_counter_ns() - started) / 1e6)
            turn_cpu.append((time.process_time_ns() - cpu) / 1e6)

    conversations.handle = timed_handle  # type: ignore[method-assign]
    statements = _StatementCounter(runtime)
    ids = itertools.count(1)
    steps = _steps(users)
    async with application:
        for _ in range(warmup):
            user, step = next(steps)
            await _process(application, _update(application, api, next(ids), user, step))
            await _process(application, _echo_update(application, next(ids)))
        turn_times.clear()
        turn_cpu.clear()
        api.calls.clear()
        statements.count = 0
        medbot: list[float] = []
        turns: list[float] = []  # the turns' time in each medbot update
        echo: list[float] = []
        medbot_cpu: list[float] = []
        layer_cpu: list[float] = []
        for _ in range(updates):
            user, step = next(steps)
            update = _update(application, api, next(ids), user, step)
            turn_times.clear()
            turn_cpu.clear()
            took, used = await _process(application, update)
            medbot.append(took)
            medbot_cpu.append(used)
            turns.append(sum(turn_times))
            layer_cpu.append(used - sum(turn_cpu))
            echo.append((await _process(application, _echo_update(application, next(ids))))[0])
    more, more_cpu = await _floor(updates - updates // 2, warmup)
    floor += more
    floor_cpu += more_cpu
    calls = {method: round(count / updates, 2) for method, count in sorted(api.calls.items())}
    # The echo's own sendMessage is not medbot's.
    calls["sendMessage"] = round(calls.get("sendMessage", 0) - 1, 2)
    return BenchResult(updates, users, Figures.of(floor), Figures.of(echo), Figures.of(medbot),
                       Figures.of(turns),
                       Figures.of([whole - turn for whole, turn in zip(medbot, turns, strict=True)]),
                       {k: v for k, v in calls.items() if v > 0},
                       statements.count / updates, statistics.median(floor_cpu),
                       statistics.median(medbot_cpu), statistics.median(layer_cpu))


async def _process(application: TelegramApp, update: Update) -> tuple[float, float]:
    """Milliseconds from handing the update to the Application to its end, through the
    Application's own update processor (medbot's per-user ordering): wall and CPU time."""
    started, cpu = time.perf_counter_ns(), time.process_time_ns()
    await application.update_processor.process_update(update, application.process_update(update))
    return (time.perf_counter_ns() - started) / 1e6, (time.process_time_ns() - cpu) / 1e6


async def _echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.message
    assert message is not None and message.text is not None
    await message.reply_text(message.text)
    raise ApplicationHandlerStop


class _EchoChats(filters.MessageFilter):
    """The echo users' chats."""

    def filter(self, message: Message) -> bool:
        return message.chat_id >= ECHO_USERS


def _steps(users: int) -> Iterator[tuple[int, tuple[str, str | None]]]:
    """Users take turns: each does the next step of its script."""
    for round_ in itertools.count():
        for n in range(users):
            yield MEDBOT_USERS + n, SCRIPT[round_ % len(SCRIPT)]


def _user(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Utente", "language_code": "it"}


def _message(update_id: int, user_id: int, text: str) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": update_id, "date": int(time.time()), "text": text,
        "chat": {"id": user_id, "type": "private"}, "from": _user(user_id),
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0,
                                "length": len(text.split()[0])}]
    return message


def _update(application: TelegramApp, api: InMemoryBotApi, update_id: int, user_id: int,
            step: tuple[str, str | None]) -> Update:
    kind, value = step
    if kind == "tap":
        buttons = api.last_keyboard(user_id)
        found = [data for label, data in buttons if value is not None and label.startswith(value)]
        data = found[0] if found else (buttons[0][1] if buttons else "r")
        shown = _last_message_with(api, user_id, data)
        body = {"update_id": update_id, "callback_query": {
            "id": f"q{update_id}", "from": _user(user_id), "chat_instance": str(user_id),
            "data": data, "message": shown,
        }}
    else:
        body = {"update_id": update_id, "message": _message(update_id, user_id, value or "")}
    return Update.de_json(body, application.bot)


def _last_message_with(api: InMemoryBotApi, chat_id: int, data: str) -> dict[str, Any]:
    for message in reversed(api.chat(chat_id)):
        rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        if any(b.get("callback_data") == data for row in rows for b in row):
            return message
    return {"message_id": 1, "date": int(time.time()), "text": "",
            "chat": {"id": chat_id, "type": "private"}}


def _echo_update(application: TelegramApp, update_id: int) -> Update:
    user_id = ECHO_USERS + update_id % 64
    return Update.de_json({"update_id": update_id,
                           "message": _message(update_id, user_id, "ciao")},
                          application.bot)


class _StatementCounter:
    """Counts the SQL statements the store sends (its round-trips; on SQLite every statement
    but COMMIT, as sqlite3 runs them: the turn's prepared statements bypass SQLAlchemy)."""

    def __init__(self, runtime: Runtime) -> None:
        from sqlalchemy import event
        from sqlalchemy.engine import Engine

        self.count = 0
        engine = getattr(runtime.store, "engine", None)
        if engine is not None:
            event.listen(engine.sync_engine, "before_cursor_execute", self._seen)
        # On SQLite the turn's SQL runs on an engine of its own (portal.store.lanes), part
        # of it on the driver's connections directly (portal.store.prepared): traced there.
        lanes = getattr(runtime.store, "_lanes", None)
        lanes_engine = getattr(lanes, "_engine", None)
        if isinstance(lanes_engine, Engine) and lanes_engine is not getattr(engine, "sync_engine",
                                                                          None):
            event.listen(lanes_engine, "connect", lambda dbapi, _record: self._trace(dbapi))
            for name in ("_reader", "_inline"):
                open_ = getattr(lanes, name, None)
                if open_ is not None and not open_.closed:
                    self._trace(open_.connection.dbapi_connection)

    def _trace(self, dbapi_connection: Any) -> None:
        dbapi_connection.set_trace_callback(self._traced)

    def _traced(self, statement: str) -> None:
        if not statement.startswith(("COMMIT", "PRAGMA")):
            self.count += 1

    def _seen(self, *_args: Any) -> None:
        self.count += 1
