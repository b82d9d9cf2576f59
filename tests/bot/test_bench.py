"""`medbot bench turns`: real turns through the engine and the store, figures as JSON."""

from __future__ import annotations

import json

from click.testing import CliRunner

from bot.cli import main


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
