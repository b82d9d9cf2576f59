"""Store helpers for tests: a migrated store with the demo, PostgreSQL when reachable, drafts."""

from __future__ import annotations

import asyncio
import dataclasses
import importlib.util
import os
import socket
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import text

from portal.demo import load_demo
from portal.models import (
    CatalogueKind,
    DocumentDraft,
    DocumentKind,
    Household,
    RequestDraft,
    RequestType,
)
from portal.schema import metadata
from portal.store import Store

__all__ = [
    "POSTGRES_URL",
    "drop_postgres_database",
    "make_draft",
    "open_demo_store",
    "open_store",
    "postgres_available",
    "sqlite_url",
]

# Trust auth on a local server; the store tests run there too when it answers, each test run in
# a database of its own (created from the server's `test` database) so that suites running at
# the same time never see each other's tables.
_POSTGRES_SERVER = "postgres@127.0.0.1:5432"
_POSTGRES_DATABASE = f"medbot_test_{os.getpid()}"
POSTGRES_URL = f"postgresql+asyncpg://{_POSTGRES_SERVER}/{_POSTGRES_DATABASE}"
_postgres_ready: bool | None = None


def sqlite_url(home: Path) -> str:
    return f"sqlite+aiosqlite:///{home}/medbot.sqlite3"


def postgres_available() -> bool:
    """True when the local server answers; the run's own database is created the first time."""
    global _postgres_ready
    if _postgres_ready is None:
        _postgres_ready = _server_answers() and _run_admin(
            f'DROP DATABASE IF EXISTS "{_POSTGRES_DATABASE}"',
            f'CREATE DATABASE "{_POSTGRES_DATABASE}"')
    return _postgres_ready


def drop_postgres_database() -> None:
    """Drops the run's database, if this run created one."""
    if _postgres_ready:
        _run_admin(f'DROP DATABASE IF EXISTS "{_POSTGRES_DATABASE}" WITH (FORCE)')


def _server_answers() -> bool:
    if importlib.util.find_spec("asyncpg") is None:
        return False
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return True
    except OSError:
        return False


def _run_admin(*statements: str) -> bool:
    """Runs statements on the server's `test` database, in a thread of its own so that it
    works from inside a running event loop too."""
    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(f"postgresql://{_POSTGRES_SERVER}/test", timeout=5)
        try:
            for statement in statements:
                await conn.execute(statement)
        finally:
            await conn.close()

    outcome: list[BaseException | None] = []

    def target() -> None:
        try:
            asyncio.run(run())
            outcome.append(None)
        except BaseException as error:  # noqa: BLE001 - reported as "not available"
            outcome.append(error)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    return outcome == [None]


async def _empty_postgres(store: Store) -> None:
    """Drop what earlier tests left, so each test migrates from empty."""
    async with store.engine.begin() as conn:
        await conn.run_sync(metadata.drop_all)
        await conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


async def open_store(home: Path, url: str | None = None) -> Store:
    """A migrated, empty store; `url` None means SQLite under `home`."""
    store = await Store.open(url or sqlite_url(home), home)
    if store.engine.dialect.name == "postgresql":
        await _empty_postgres(store)
    await store.migrate()
    return store


async def open_demo_store(home: Path, url: str | None = None) -> Store:
    store = await open_store(home, url)
    await load_demo(store)
    return store


def make_draft(
    store: Store, household: Household, key: str = "k-1", **changes: Any
) -> RequestDraft:
    """A valid reimbursement draft for the customer: a cardiology visit with its invoice."""
    customer = household.customer
    policy = household.policies[0]
    guarantee = next(g for g in policy.guarantees if g.code == "SP-VIS")
    invoice = store.documents.put(
        b"%PDF-1.4 test invoice " + key.encode(), "application/pdf", "f.pdf"
    )
    draft = RequestDraft(
        submission_key=key,
        type=RequestType.REIMBURSEMENT,
        customer_id=customer.id,
        beneficiary_id=customer.id,
        year=2026,
        service_code="89.7A.3",
        service_name="PRMA VISITA CARDIOLOGICA",
        catalogue_kind=CatalogueKind.OUTPATIENT,
        policy_id=policy.id,
        guarantee_id=guarantee.id,
        email=customer.email or "x@example.it",
        payee_id=customer.id,
        iban=customer.iban,
        documents=(
            DocumentDraft(
                kind=DocumentKind.EXPENSE,
                file=invoice,
                amount=Decimal("1234.56"),
                number="A/1",
                issuer="Centro prova",
            ),
        ),
    )
    return dataclasses.replace(draft, **changes)
