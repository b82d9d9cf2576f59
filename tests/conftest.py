"""Fixtures shared by every test package."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from portal.store import Store
from tests.auxil.portal import drop_postgres_database, open_demo_store


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    """A migrated SQLite store in tmp_path with the demo household loaded."""
    opened = await open_demo_store(tmp_path)
    try:
        yield opened
    finally:
        await opened.close()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    drop_postgres_database()
