"""Store helpers for tests: a migrated store with the demo, PostgreSQL when reachable, drafts."""

from __future__ import annotations

import asyncio
import dataclasses
import importlib.util
import os
import socket
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

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
    "BACKENDS",
    "POSTGRES_SKIP",
    "POSTGRES_URL",
    "backend_url",
    "demo_store_on",
    "drop_postgres_database",
    "fresh_postgres_url",
    "make_draft",
    "open_demo_store",
    "open_store",
    "postgres_available",
    "sqlite_url",
]

# MEDBOT_TEST_POSTGRES_URL names a PostgreSQL server and a database to administer it from
# (.ci/run sets postgresql://postgres@127.0.0.1:5432/test when a server answers there); the
# store and turn tests then run on it too, each test run in a database of its own, created
# there, so that suites running at the same time never see each other's tables.
_ADMIN_URL = make_url(os.environ.get("MEDBOT_TEST_POSTGRES_URL")
                      or "postgresql://postgres@127.0.0.1:5432/test")
_POSTGRES_DATABASE = f"medbot_test_{os.getpid()}"
POSTGRES_URL = _ADMIN_URL.set(drivername="postgresql+asyncpg",
                              database=_POSTGRES_DATABASE).render_as_string(hide_password=False)
POSTGRES_SKIP = ("PostgreSQL run off: set MEDBOT_TEST_POSTGRES_URL (e.g. "
                 "postgresql://postgres@127.0.0.1:5432/test; .ci/run does when one answers)")
_postgres_ready: bool | None = None
# Further databases this run made (fresh_postgres_url), dropped with the run's own.
_made: list[str] = []


# The backends a store test runs on: `@pytest.fixture(params=BACKENDS)` with backend_url().
BACKENDS = ("sqlite", "postgresql")


def backend_url(backend: str) -> str | None:
    """The store URL for a test on `backend`: None (SQLite under the test's home) or this
    run's PostgreSQL database; the test is skipped when no PostgreSQL server answers."""
    if backend == "sqlite":
        return None
    if not postgres_available():
        pytest.skip(POSTGRES_SKIP)
    return POSTGRES_URL


def sqlite_url(home: Path) -> str:
    return f"sqlite+aiosqlite:///{home}/medbot.sqlite3"


def postgres_available() -> bool:
    """True when MEDBOT_TEST_POSTGRES_URL is set and its server answers; the run's own
    database is created the first time."""
    global _postgres_ready
    if _postgres_ready is None:
        _postgres_ready = _server_answers() and _run_admin(
            f'DROP DATABASE IF EXISTS "{_POSTGRES_DATABASE}"',
            f'CREATE DATABASE "{_POSTGRES_DATABASE}"')
    return _postgres_ready


def fresh_postgres_url(label: str) -> str | None:
    """A new, empty database of this run's for `label` (a test that runs processes of its
    own, which must not see the store tests' tables), or None when no server answers."""
    if not postgres_available():
        return None
    name = f"{_POSTGRES_DATABASE}_{label}"
    if not _run_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
                      f'CREATE DATABASE "{name}"'):
        return None
    _made.append(name)
    return _ADMIN_URL.set(drivername="postgresql+asyncpg",
                          database=name).render_as_string(hide_password=False)


def drop_postgres_database() -> None:
    """Drops the run's databases, if this run created any."""
    if _postgres_ready:
        _run_admin(*(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
                     for name in [*_made, _POSTGRES_DATABASE]))


def _server_answers() -> bool:
    if not os.environ.get("MEDBOT_TEST_POSTGRES_URL") or importlib.util.find_spec(
            "asyncpg") is None:
        return False
    try:
        with socket.create_connection((_ADMIN_URL.host or "127.0.0.1", _ADMIN_URL.port or 5432),
                                      timeout=0.5):
            return True
    except OSError:
        return False


def _run_admin(*statements: str) -> bool:
    """Runs statements on the server's `test` database, in a thread of its own so that it
    works from inside a running event loop too."""
    import asyncpg

    async def run() -> None:
        admin = _ADMIN_URL.set(drivername="postgresql").render_as_string(hide_password=False)
        conn = await asyncpg.connect(admin, timeout=5)
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


@asynccontextmanager
async def demo_store_on(backend: str, home: Path) -> AsyncIterator[Store]:
    """The demo store on `backend` (see backend_url), closed afterwards."""
    store = await open_demo_store(home, backend_url(backend))
    try:
        yield store
    finally:
        await store.close()


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
