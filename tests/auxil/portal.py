"""Store helpers for tests: a migrated store with the demo, PostgreSQL when reachable, drafts."""

from __future__ import annotations

import dataclasses
import importlib.util
import socket
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
    "make_draft",
    "open_demo_store",
    "open_store",
    "postgres_available",
    "sqlite_url",
]

# Trust auth on a local server; the store tests run there too when it answers.
POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


def sqlite_url(home: Path) -> str:
    return f"sqlite+aiosqlite:///{home}/medbot.sqlite3"


def postgres_available() -> bool:
    if importlib.util.find_spec("asyncpg") is None:
        return False
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return True
    except OSError:
        return False


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
