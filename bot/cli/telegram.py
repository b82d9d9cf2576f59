"""`medbot telegram` (long polling), `medbot serve` (webhooks) and `medbot link telegram`."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
from collections.abc import Iterator

import click

from bot.cli.groups import bench_group
from bot.config import Settings, get_settings
from bot.logs import configure_logging
from bot.runtime import Runtime
from nlu.identifiers import IdentifierError, parse_fiscal_code

__all__ = ["bench_telegram_command", "link_group", "serve_command", "telegram_command"]


@click.command("telegram")
def telegram_command() -> None:
    """Il bot Telegram in long polling (MEDBOT_TELEGRAM_TOKEN), con i promemoria."""
    from telegram.error import InvalidToken

    settings = get_settings()
    configure_logging(settings)
    try:
        asyncio.run(_telegram(settings))
    except InvalidToken:
        # Its message holds the token: said in our words instead.
        raise click.ClickException(
            "Telegram ha rifiutato il token: controlla MEDBOT_TELEGRAM_TOKEN.") from None


async def _telegram(settings: Settings) -> None:
    from bot.channels.telegram import TelegramConfig, build_application, polling
    from bot.channels.telegram.sender import TelegramSender
    from bot.reminders import serving
    from bot.sms import sms_sender

    try:
        config = TelegramConfig.from_settings(settings)
        sms = sms_sender(settings)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    runtime = await Runtime.open(settings)
    runtime.receipts.warm_up()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        application = build_application(runtime, sms, config)
        async with polling(application, config):
            # The reminder loop next to polling, stopped first: it sends through this bot.
            sender = TelegramSender(application.bot, runtime.store)
            async with serving(runtime, {sender.channel: sender}):
                await stop.wait()
    finally:
        await runtime.close()


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Indirizzo su cui ascoltare.")
@click.option("--port", default=8080, show_default=True, type=int, help="Porta.")
def serve_command(host: str, port: int) -> None:
    """Il server web: webhook di Telegram e WhatsApp, API del back office (/api/v1), promemoria
    e /healthz."""
    settings = get_settings()
    configure_logging(settings)
    asyncio.run(_serve(settings, host, port))


async def _serve(settings: Settings, host: str, port: int) -> None:
    import uvicorn

    from bot.web import create_app, default_features
    from bot.web.api import BackOffice
    from bot.web.reminders import ReminderLoop

    class Server(uvicorn.Server):
        """Stops on SIGINT/SIGTERM and returns (uvicorn would raise the signal again after
        shutting down, cutting short the runtime's own closing)."""

        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, self.handle_exit, sig, None)
            try:
                yield
            finally:
                for sig in (signal.SIGINT, signal.SIGTERM):
                    loop.remove_signal_handler(sig)

    runtime = await Runtime.open(settings)
    runtime.receipts.warm_up()
    try:
        try:
            features = default_features(runtime)
            features.append(BackOffice.from_runtime(runtime))
            # Last: started after the channels it sends through, stopped before them.
            reminders = ReminderLoop.from_runtime(runtime, features)
            if reminders is not None:
                features.append(reminders)
            app = create_app(runtime, features)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from exc
        config = uvicorn.Config(app, host=host, port=port, log_config=None, lifespan="on",
                                ws="none")
        await Server(config).serve()
    finally:
        await runtime.close()


@click.group("link")
def link_group() -> None:
    """Collega l'utente di una chat a un cliente (operatori, sviluppo)."""


@link_group.command("telegram")
@click.argument("user_id", type=int)
@click.argument("fiscal_code", required=False)
@click.option("--remove", is_flag=True, help="Scollega l'utente.")
def link_telegram(user_id: int, fiscal_code: str | None, remove: bool) -> None:
    """Collega l'utente Telegram USER_ID al cliente FISCAL_CODE, senza SMS."""
    if not remove and not fiscal_code:
        raise click.UsageError("Serve il codice fiscale del cliente (o --remove).")
    asyncio.run(_link(get_settings(), user_id, fiscal_code, remove))


async def _link(settings: Settings, user_id: int, fiscal_code: str | None, remove: bool) -> None:
    from bot.channels.telegram import CHANNEL

    runtime = await Runtime.open(settings)
    store = runtime.store
    key = str(user_id)
    try:
        if remove:
            removed = await store.unlink_user(CHANNEL, key)
            click.echo(f"Utente Telegram {user_id} scollegato." if removed
                       else f"L'utente Telegram {user_id} non era collegato.")
            return
        try:
            cf = parse_fiscal_code(fiscal_code or "")
        except IdentifierError as exc:
            raise click.BadParameter(str(exc), param_hint="FISCAL_CODE") from exc
        customer = await store.customer_by_fiscal_code(cf)
        if customer is None:
            raise click.ClickException(f"Nessun cliente con codice fiscale {cf}.")
        await store.link_user(CHANNEL, key, customer.id, runtime.clock.now())
        record = await store.load_conversation(CHANNEL, key)
        if record is not None and record.customer_id not in (None, customer.id):
            await store.forget_conversation(CHANNEL, key)
        click.echo(f"Utente Telegram {user_id} collegato a {customer.full_name} ({cf}).")
    finally:
        await runtime.close()


@bench_group.command("telegram")
@click.option("--updates", default=300, show_default=True, help="Aggiornamenti misurati.")
@click.option("--users", default=50, show_default=True, help="Utenti che si alternano.")
@click.option("--json", "as_json", is_flag=True, help="Le cifre in JSON.")
def bench_telegram_command(updates: int, users: int, as_json: bool) -> None:
    """Un aggiornamento Telegram nei gestori di medbot contro un gestore eco, stessa
    Application, Bot API in memoria (nessun socket)."""
    from bot.channels.telegram._bench import run_bench

    logging.basicConfig(level=logging.WARNING)
    result = asyncio.run(run_bench(updates=updates, users=users))
    if as_json:
        click.echo(json.dumps(result.as_json(), indent=2))
        return
    click.echo(f"{result.updates} aggiornamenti medbot e {result.updates} eco, "
               f"{result.users} utenti, uno alla volta")
    for name, figures in (("eco su Application nuda (pavimento)", result.floor),
                          ("eco sulla Application di medbot", result.echo),
                          ("medbot", result.medbot),
                          ("  di cui turno (motore e archivio)", result.turn),
                          ("  di cui strato Telegram (il resto)", result.layer)):
        click.echo(f"{name}: mediana {figures.median:.2f} ms, p90 {figures.p90:.2f} ms, "
                   f"media {figures.mean:.2f} ms")
    click.echo(f"rapporto medbot/pavimento: {result.ratio:.1f}x (mediane); "
               f"medbot/eco sulla stessa Application: {result.same_app_ratio:.1f}x; "
               f"solo lo strato Telegram: {result.layer_ratio:.1f}x")
    click.echo(f"in tempo di CPU: pavimento {result.cpu_floor:.2f} ms, medbot "
               f"{result.cpu_medbot:.2f} ms, strato Telegram {result.cpu_layer:.2f} ms (mediane); "
               f"rapporto {result.cpu_ratio:.1f}x, solo lo strato {result.cpu_layer_ratio:.1f}x")
    calls = ", ".join(f"{method} {count:g}" for method, count in result.bot_api_calls.items())
    click.echo(f"chiamate Bot API per aggiornamento: {calls}")
    click.echo(f"istruzioni SQL per aggiornamento: {result.sql_statements:.1f}")
