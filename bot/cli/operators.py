"""`medbot operators add|list|revoke`: who may use the back-office API, each with a token."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import click
from babel.dates import format_datetime

from bot.cli.db import open_store
from portal.store import OperatorExists, Store

__all__ = ["operators_group"]

# What the history shows as "who": letters, digits, spaces, dots, dashes, underscores.
_NAME = re.compile(r"[\w .'-]{1,64}")


async def _ready_store() -> Store:
    store = await open_store()
    if await store.schema_revision() is None:
        await store.close()
        raise click.ClickException("database vuoto: esegui prima `medbot db init`")
    await store.migrate()
    return store


def _moment(value: datetime) -> str:
    return format_datetime(value, "d MMMM y, HH:mm", tzinfo=ZoneInfo("Europe/Rome"),
                           locale="it_IT")


@click.group("operators")
def operators_group() -> None:
    """Gli operatori del back office (API /api/v1): un token ciascuno, revocabile."""


@operators_group.command("add")
@click.argument("name")
def add_command(name: str) -> None:
    """Aggiunge l'operatore NAME e stampa il suo token (una volta sola: non è conservato)."""
    name = " ".join(name.split())
    if not _NAME.fullmatch(name):
        raise click.BadParameter("da 1 a 64 tra lettere, cifre, spazi, punti, trattini",
                                 param_hint="NAME")

    async def run() -> str:
        store = await _ready_store()
        try:
            return await store.add_operator(name)
        except OperatorExists:
            raise click.ClickException(
                f"l'operatore «{name}» esiste già: revocalo prima per dargli un token nuovo"
            ) from None
        finally:
            await store.close()

    token = asyncio.run(run())
    click.echo(f"Operatore «{name}» aggiunto. Il suo token, che non verrà più mostrato "
               "(usalo come «Authorization: Bearer …»):", err=True)
    click.echo(token)


@operators_group.command("list")
def list_command() -> None:
    """Gli operatori, attivi e revocati (mai i token)."""

    async def run() -> list[str]:
        store = await _ready_store()
        try:
            found = await store.operators()
        finally:
            await store.close()
        if not found:
            return ["Nessun operatore: aggiungine uno con `medbot operators add NOME`."]
        return [f"{o.name}  aggiunto il {_moment(o.created_at)}  "
                + ("attivo" if o.revoked_at is None else f"revocato il {_moment(o.revoked_at)}")
                for o in found]

    click.echo("\n".join(asyncio.run(run())))


@operators_group.command("revoke")
@click.argument("name")
def revoke_command(name: str) -> None:
    """Revoca il token dell'operatore NAME: smette di funzionare subito."""

    async def run() -> bool:
        store = await _ready_store()
        try:
            return await store.revoke_operator(" ".join(name.split()))
        finally:
            await store.close()

    if not asyncio.run(run()):
        raise click.ClickException(f"nessun operatore attivo di nome «{name}»")
    click.echo(f"Token dell'operatore «{name}» revocato.")
