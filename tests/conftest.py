"""Fixtures shared by every test package."""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncIterator, Iterator
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


@pytest.fixture(autouse=True)
def _logging_restored() -> Iterator[None]:
    """Commands run in-process set up logging as a process would (bot.logs): undone after
    each test, so no test sees another's handlers, levels or exception hook."""
    root = logging.getLogger()
    handlers, level, hook = list(root.handlers), root.level, sys.excepthook
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)
    sys.excepthook = hook


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    drop_postgres_database()
