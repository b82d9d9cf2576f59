"""`medbot reminders list|run-once`: the messages the bot owes customers, and one round now."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import click
from babel.dates import format_datetime

from bot.config import get_settings
from bot.runtime import Runtime
from nlu.identifiers import IdentifierError, parse_fiscal_code
from portal.notifications import Notification
from portal.store import Store

__all__ = ["reminders_group"]

ROME = ZoneInfo("Europe/Rome")
STATUSES = ("pending", "sending", "sent", "failed", "cancelled")
# What a round did with each notice, in the operator's words.
OUTCOMES = {"sent": "inviato", "postponed": "rimandato", "retrying": "da riprovare",
            "failed": "non inviato", "cancelled": "annullato", "lost": "preso da un altro"}


@click.group("reminders")
def reminders_group() -> None:
    """Promemoria e avvisi ai clienti: la coda e un giro di invii."""


@reminders_group.command("list")
@click.option("--customer", "fiscal_code", help="Solo i messaggi di questo cliente (codice fiscale).")
@click.option("--status", type=click.Choice(STATUSES),
              help="Solo in questo stato (predefinito: tutti tranne gli annullati).")
@click.option("--json", "as_json", is_flag=True, help="Elenco in JSON.")
def list_command(fiscal_code: str | None, status: str | None, as_json: bool) -> None:
    """I messaggi in coda, inviati e non riusciti: tipo e oggetto, mai il testo."""
    rows = asyncio.run(_list(fiscal_code, status))
    if as_json:
        click.echo(json.dumps([_as_json(n, cf) for n, cf in rows], ensure_ascii=False,
                              indent=2))
        return
    if not rows:
        click.echo("Nessun messaggio.")
        return
    click.echo(f"{'N.':>5}  {'Cliente':16}  {'Tipo':18}  {'Oggetto':12}  {'Previsto':20}  Stato")
    for n, cf in rows:
        click.echo(f"{n.id:>5}  {cf:16}  {n.kind:18}  {n.subject[:12]:12}  "
                   f"{_moment(n.next_try_at if n.status == 'pending' else n.due_at):20}  "
                   f"{_status(n)}")


@reminders_group.command("run-once")
def run_once_command() -> None:
    """Un giro: prepara i promemoria dovuti e invia ora quelli in scadenza."""
    for line in asyncio.run(_run_once()):
        click.echo(line)


async def _customer_id(store: Store, fiscal_code: str | None) -> int | None:
    if fiscal_code is None:
        return None
    try:
        cf = parse_fiscal_code(fiscal_code)
    except IdentifierError as exc:
        raise click.BadParameter(str(exc), param_hint="--customer") from exc
    customer = await store.customer_by_fiscal_code(cf)
    if customer is None:
        raise click.ClickException(f"Nessun cliente con codice fiscale {cf}.")
    return customer.id


async def _codes(store: Store) -> dict[int, str]:
    return {c.id: c.fiscal_code for c in await store.customers()}


async def _list(fiscal_code: str | None, status: str | None,
                ) -> list[tuple[Notification, str]]:
    runtime = await Runtime.open(get_settings())
    try:
        store = runtime.store
        customer_id = await _customer_id(store, fiscal_code)
        found = await store.notifications(customer_id=customer_id, status=status)
        codes = await _codes(store)
        return [(n, codes.get(n.customer_id, "?")) for n in found
                if status is not None or n.status != "cancelled"]
    finally:
        await runtime.close()


async def _run_once() -> list[str]:
    from bot.reminders import configured_senders, reminders_for

    runtime = await Runtime.open(get_settings())
    try:
        async with configured_senders(runtime) as senders:
            if not senders:  # else every due message would be cancelled, nowhere to go
                raise click.ClickException(
                    "Nessun canale configurato (MEDBOT_TELEGRAM_TOKEN, MEDBOT_WHATSAPP_TOKEN): "
                    "nessun messaggio inviato.")
            done = await reminders_for(runtime, senders).run_once()
        codes = await _codes(runtime.store)
    finally:
        await runtime.close()
    lines = [f"{OUTCOMES.get(outcome, outcome):18}  {n.id:>5}  {codes.get(n.customer_id, '?'):16}"
             f"  {n.kind:18}  {n.subject}" for n, outcome in done.outcomes]
    sent = len(done.of("sent"))
    return lines + [f"Inviati {sent} di {len(done.outcomes)} messaggi dovuti."]


def _moment(value: datetime | None) -> str:
    if value is None:
        return "-"
    return format_datetime(value, "dd/MM/yyyy HH:mm", tzinfo=ROME, locale="it_IT")


def _status(n: Notification) -> str:
    if n.status == "sent":
        return f"inviato il {_moment(n.sent_at)}"
    if n.status == "pending" and n.attempts:
        return f"in coda ({n.attempts} tentativi falliti)"
    return {"pending": "in coda", "sending": "in invio", "failed": "non inviato",
            "cancelled": "annullato"}.get(n.status, n.status)


def _as_json(n: Notification, fiscal_code: str) -> dict[str, Any]:
    def iso(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {"id": n.id, "customer": fiscal_code, "kind": n.kind, "subject": n.subject,
            "occurrence": n.occurrence, "due_at": iso(n.due_at), "urgent": n.urgent,
            "status": n.status, "attempts": n.attempts, "next_try_at": iso(n.next_try_at),
            "sent_at": iso(n.sent_at)}
