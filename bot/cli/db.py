"""`medbot db ...`: create or upgrade the database, load the facility network and the demo."""

from __future__ import annotations

import asyncio

import click
from sqlalchemy.engine import make_url

from bot.config import Settings, get_settings
from portal.demo import load_demo
from portal.network import load_network
from portal.store import Store

__all__ = ["db_group", "open_store"]


async def open_store(settings: Settings | None = None) -> Store:
    """The store the settings point at (not migrated: see `medbot db init`)."""
    settings = settings or get_settings()
    key, old_keys = settings.document_keys()
    return await Store.open(settings.resolved_database_url, settings.home, key, old_keys,
                            settings.document_storage)


def _where(settings: Settings) -> str:
    return make_url(settings.resolved_database_url).render_as_string(hide_password=True)


async def _init(settings: Settings, demo: bool, if_missing: bool) -> list[str]:
    store = await open_store(settings)
    try:
        before = await store.schema_revision()
        await store.migrate()
        after = await store.schema_revision()
        done: list[str] = []
        if before != after:
            done.append(f"schema {before or 'vuoto'} -> {after}")
        if demo:
            if if_missing and await store.has_customers():
                pass  # any customer counts: `make chat` must not touch a database in use
            elif await load_demo(store):
                done.append("demo caricata (famiglia Rossi)")
            else:
                done.append("demo già presente, non ricaricata")
        # Reference data for every database; after the demo, whose facilities it completes.
        network = await load_network(store)
        if network:
            done.append(f"rete convenzionata: {network} strutture aggiunte o aggiornate")
        return done
    finally:
        await store.close()


@click.group("db")
def db_group() -> None:
    """Il database incorporato."""


@db_group.command("init")
@click.option("--demo", is_flag=True, help="Carica la famiglia dimostrativa (Rossi).")
@click.option(
    "--if-missing",
    is_flag=True,
    help="Non caricare la demo se il database ha già dei clienti (per `make chat`).",
)
def init_command(demo: bool, if_missing: bool) -> None:
    """Crea o aggiorna il database; con --demo carica la famiglia dimostrativa."""
    settings = get_settings()
    done = asyncio.run(_init(settings, demo, if_missing))
    what = "; ".join(done) if done else "già pronto, nessuna modifica"
    click.echo(f"Database {_where(settings)}: {what}.")


@db_group.command("migrate")
def migrate_command() -> None:
    """Porta lo schema all'ultima migrazione."""
    settings = get_settings()

    async def run() -> str | None:
        store = await open_store(settings)
        try:
            await store.migrate()
            return await store.schema_revision()
        finally:
            await store.close()

    revision = asyncio.run(run())
    click.echo(f"Database {_where(settings)}: schema alla revisione {revision}.")
