"""`medbot nlu date|period`, `medbot eval dates|periods`, `medbot bench nlu`."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from bot.cli.groups import bench_group, eval_group
from bot.cli.nlu import nlu_group


def _nlu(*args: str) -> Result:
    return CliRunner().invoke(nlu_group, list(args), catch_exceptions=False)


def test_date_readable() -> None:
    result = _nlu("date", "martedì", "scorso", "--today", "2026-11-24")
    assert result.exit_code == 0
    assert result.output == "martedì 17 novembre 2026 (2026-11-17, dedotto, da confermare)\n"


def test_date_literal_with_time() -> None:
    result = _nlu("date", "5 ottobre 2025 alle 10:30", "--today", "2026-11-24")
    assert result.output == (
        "domenica 5 ottobre 2025, alle 10:30 (2025-10-05, scritto per intero)\n"
    )


def test_date_json_prefers_the_future() -> None:
    result = _nlu("date", "il 4 alle 11", "--today", "2026-11-24", "--prefer", "future", "--json")
    assert json.loads(result.output) == {
        "text": "il 4 alle 11",
        "today": "2026-11-24",
        "prefer": "future",
        "date": "2026-12-04",
        "time": "11:00",
        "literal": False,
        "description": "venerdì 4 dicembre 2026",
    }


def test_date_not_understood_exits_with_one() -> None:
    result = _nlu("date", "fine mese", "--today", "2026-11-24")
    assert result.exit_code == 1
    assert result.output == "Nessun giorno preciso.\n"
    result = _nlu("date", "boh", "--json")
    assert result.exit_code == 1 and json.loads(result.output)["date"] is None


def test_date_refuses_an_unknown_preference() -> None:
    result = CliRunner().invoke(nlu_group, ["date", "ieri", "--prefer", "presto"])
    assert result.exit_code == 2


def test_period_readable_and_json() -> None:
    result = _nlu("period", "dal 1 al 15 ottobre", "--today", "2026-11-24")
    assert result.output == "dal 1 ottobre 2026 al 15 ottobre 2026 (2026-10-01 – 2026-10-15)\n"
    result = _nlu("period", "ieri", "--today", "2026-11-24")
    assert result.output == "23 novembre 2026 (2026-11-23 – 2026-11-23)\n"
    result = _nlu("period", "negli ultimi 7 giorni", "--today", "2026-11-24", "--json")
    assert json.loads(result.output) == {
        "text": "negli ultimi 7 giorni",
        "today": "2026-11-24",
        "start": "2026-11-17",
        "end": "2026-11-24",
    }


def test_period_not_understood() -> None:
    result = _nlu("period", "boh", "--today", "2026-11-24")
    assert result.exit_code == 1 and result.output == "Nessun periodo.\n"


def _jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_eval_dates_prints_accuracy_and_misses(tmp_path: Path) -> None:
    today = "2026-11-24"
    file = _jsonl(
        tmp_path / "dates.jsonl",
        [
            {"text": "ieri", "prefer": "past", "today": today, "expect": ["2026-11-23"]},
            {"text": "boh", "prefer": "past", "today": today, "expect": []},
            {"text": "ieri", "prefer": "past", "today": today, "expect": ["2026-11-22"]},
        ],
    )
    result = CliRunner().invoke(eval_group, ["dates", str(file)], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "✗ 'ieri' (past, oggi 2026-11-24): letto 2026-11-23, atteso 2026-11-22",
        "Giorni: 2/3 corretti (66.7%)",
    ]
    quiet = CliRunner().invoke(eval_group, ["dates", str(file), "--no-misses"])
    assert quiet.output == "Giorni: 2/3 corretti (66.7%)\n"


def test_eval_periods(tmp_path: Path) -> None:
    file = _jsonl(
        tmp_path / "periods.jsonl",
        [
            {
                "text": "a ottobre",
                "today": "2026-11-24",
                "start": "2026-10-01",
                "end": "2026-10-31",
            },
            {"text": "boh", "today": "2026-11-24", "start": "2026-10-01", "end": "2026-10-31"},
        ],
    )
    result = CliRunner().invoke(eval_group, ["periods", str(file)], catch_exceptions=False)
    assert result.output.splitlines() == [
        "✗ 'boh' (oggi 2026-11-24): letto nessun periodo, atteso 2026-10-01 – 2026-10-31",
        "Periodi: 1/2 corretti (50.0%)",
    ]


def test_eval_missing_file() -> None:
    result = CliRunner().invoke(eval_group, ["dates", "/nonexistent/dates.jsonl"])
    assert result.exit_code == 2


def test_bench_prints_percentiles() -> None:
    result = CliRunner().invoke(
        bench_group, ["nlu", "--rounds", "1", "--no-startup"], catch_exceptions=False
    )
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert [line.split(":")[0] for line in lines] == ["parse_date", "parse_period", "parse_amount"]
    assert all(" µs, p99 " in line for line in lines)
