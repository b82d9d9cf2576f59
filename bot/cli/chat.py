"""`medbot chat`: the console channel, for people (numbered choices) and programs (--jsonl)."""

from __future__ import annotations

import asyncio
import logging
import sys

import click

from bot.channels.console import run_interactive, run_jsonl
from bot.config import get_settings
from bot.runtime import Runtime
from bot.sms import CONSOLE_LOG
from nlu.identifiers import IdentifierError, parse_fiscal_code


@click.command("chat")
@click.option("--customer", "fiscal_code", help="Codice fiscale del cliente (default: Mario Rossi).")
@click.option("--jsonl", is_flag=True, help="Un evento JSON per riga in ingresso, una risposta per riga in uscita.")
def chat_command(fiscal_code: str | None, jsonl: bool) -> None:
    """Chat nel terminale come cliente."""
    asyncio.run(_chat(fiscal_code, jsonl))


async def _chat(fiscal_code: str | None, jsonl: bool) -> None:
    settings = get_settings()
    # Development SMS (verification codes) are shown on the terminal, never on stdout in
    # --jsonl mode, which belongs to the protocol.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("[%(message)s]"))
    CONSOLE_LOG.addHandler(handler)
    CONSOLE_LOG.setLevel(logging.INFO)
    try:
        cf = parse_fiscal_code(fiscal_code or settings.console_customer)
    except IdentifierError as exc:
        raise click.BadParameter(str(exc), param_hint="--customer") from exc
    # The catalogue is loaded after the first answer (Runtime.warm_up): a greeting needs none.
    runtime = await Runtime.open(settings, catalogue_now=False)
    try:
        customer = await runtime.store.customer_by_fiscal_code(cf)
        if customer is None:
            raise click.ClickException(
                f"Nessun cliente con codice fiscale {cf}. "
                "Per i dati dimostrativi: medbot db init --demo"
            )
        if jsonl:
            await run_jsonl(runtime, customer, sys.stdin, sys.stdout)
        else:
            await run_interactive(runtime, customer)
    finally:
        await runtime.close()
