"""`medbot bench turns`: real turns through the engine and the store, figures as JSON."""

from __future__ import annotations

import asyncio
import json
import os

import pytest
from click.testing import CliRunner
from sqlalchemy.engine import make_url

from bot.cli import main
from tests.auxil.portal import POSTGRES_SKIP, fresh_postgres_url


def test_bench_turns_prints_figures_and_the_anchor_ratio() -> None:
    done = CliRunner().invoke(main, ["bench", "turns", "--customers", "2", "--min-turns", "10",
                                     "--anchor-seconds", "0.2", "--json"])
    assert done.exit_code == 0, done.output
    (row,) = json.loads(done.output)
    assert row["backend"] == "sqlite" and row["customers"] == 2
    assert row["requests"] == 2  # each customer sent a whole reimbursement
    assert row["turns"] >= 2 * 15
    assert row["anchor_commits_per_s"] > 0 and row["ratio"] > 0
    assert row["store_turns_per_s"] > 0 and row["store_ratio"] > 0
    assert row["cpu_ms_per_turn"] > 0 and row["anchor_cpu_ms_per_commit"] > 0
    assert row["cpu_ratio"] > 0
    assert row["think_ms"] == 0


def test_bench_turns_with_pauses_between_messages() -> None:
    # The latency at a given load: each customer pauses around --think-ms between messages.
    done = CliRunner().invoke(main, ["bench", "turns", "--customers", "2", "--min-turns", "10",
                                     "--anchor-seconds", "0.2", "--think-ms", "2", "--json"])
    assert done.exit_code == 0, done.output
    (row,) = json.loads(done.output)
    assert row["think_ms"] == 2 and row["requests"] == 2
    # ~17 turns a customer, one after the other, each after a pause of at least 1 ms.
    assert row["seconds"] >= 0.001 * row["turns"] / 2


def test_bench_turns_on_postgresql_runs_in_a_database_of_its_own() -> None:
    # Runs used to leave their requests in the database named, and each later run read a
    # bigger archive: now the bench makes its own database on that server and drops it.
    url = fresh_postgres_url("bench")
    if url is None:
        pytest.skip(POSTGRES_SKIP)
    done = CliRunner().invoke(main, ["bench", "turns", "--customers", "1", "--min-turns", "10",
                                     "--anchor-seconds", "0.2", "--json", "--database-url", url])
    assert done.exit_code == 0, done.output
    (row,) = json.loads(done.output)
    assert row["backend"] == "postgresql" and row["requests"] == 1

    import asyncpg

    async def left_behind() -> tuple[list[str], list[str]]:
        dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        connection = await asyncpg.connect(dsn)
        try:
            tables = await connection.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            databases = await connection.fetch(
                "SELECT datname FROM pg_database WHERE datname LIKE 'medbot_bench_%'")
        finally:
            await connection.close()
        return [r[0] for r in tables], [r[0] for r in databases]

    tables, databases = asyncio.run(left_behind())
    assert tables == [] and f"medbot_bench_{os.getpid()}" not in databases
