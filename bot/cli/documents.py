"""`medbot documents new-key|dev-key|rekey|clean`: the keys documents are sealed with."""

from __future__ import annotations

import asyncio

import click

from bot.cli.db import open_store
from bot.config import get_settings
from portal.documents import DEV_KEY_FILE, DocumentKeyError, dev_key, new_key

__all__ = ["documents_group"]


@click.group("documents")
def documents_group() -> None:
    """I documenti ricevuti, cifrati su disco (AES-256-GCM) con MEDBOT_DOCUMENT_KEY."""


@documents_group.command("new-key")
def new_key_command() -> None:
    """Stampa una chiave nuova per MEDBOT_DOCUMENT_KEY (non la salva da nessuna parte)."""
    click.echo(new_key())


@documents_group.command("dev-key")
def dev_key_command() -> None:
    """Crea, se manca, la chiave di sviluppo in MEDBOT_HOME (solo per lo sviluppo)."""
    settings = get_settings()
    if settings.document_key is not None:
        click.echo("MEDBOT_DOCUMENT_KEY è impostata: la chiave di sviluppo non serve.")
        return
    dev_key(settings.home)
    click.echo(f"Chiave di sviluppo dei documenti: {settings.home / DEV_KEY_FILE} "
               "(in produzione usa MEDBOT_DOCUMENT_KEY).")


@documents_group.command("rekey")
def rekey_command() -> None:
    """Cifra di nuovo ogni documento con la chiave attuale (anche quelli in chiaro di prima):
    il passo della rotazione, dopo aver spostato la chiave vecchia in
    MEDBOT_DOCUMENT_OLD_KEYS."""

    async def run() -> tuple[int, int, str]:
        store = await open_store()
        try:
            documents = store.documents
            moved, kept = await asyncio.to_thread(documents.rekey)
            return moved, kept, documents.keyring.current_id
        finally:
            await store.close()

    try:
        moved, kept, key_id = asyncio.run(run())
    except DocumentKeyError as exc:
        raise click.ClickException(
            f"{exc}: aggiungi la chiave che manca a MEDBOT_DOCUMENT_OLD_KEYS") from exc
    click.echo(f"Documenti cifrati di nuovo con la chiave {key_id}: {moved}; "
               f"già con quella chiave: {kept}.")


@documents_group.command("clean")
@click.option("--older-than", default=3600, show_default=True, type=int,
              help="Secondi: i file temporanei più vecchi vengono rimossi.")
def clean_command(older_than: int) -> None:
    """Rimuove i file temporanei (.tmp-*) lasciati da una scrittura interrotta."""

    async def run() -> int:
        store = await open_store()
        try:
            return store.documents.clean_temporary(older_than)
        finally:
            await store.close()

    click.echo(f"File temporanei rimossi: {asyncio.run(run())}.")
