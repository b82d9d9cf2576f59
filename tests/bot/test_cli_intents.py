"""`medbot nlu parse`, `medbot eval intents`, `medbot bench intents`."""

from __future__ import annotations

import json
from pathlib import Path

import click
from click.testing import CliRunner, Result

import bot.cli.intents  # noqa: F401  (attaches the commands)
from bot.cli import main
from bot.cli.groups import bench_group, eval_group
from bot.cli.nlu import nlu_group


def _run(group: object, *args: str) -> Result:
    return CliRunner().invoke(group, list(args), catch_exceptions=False)  # type: ignore[arg-type]


def test_parse_readable() -> None:
    result = _run(
        nlu_group, "parse", "rimborso", "visita", "oculistica", "del", "12", "marzo", "per", "luca",
        "--today", "2026-11-24", "--people", "Mario, Anna,Luca,Marco",
    )
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("reimbursement (")
    assert "  person: Luca" in lines
    assert "  period: 2026-03-12 – 2026-03-12" in lines
    assert "  service: visita oculistica" in lines


def test_parse_json() -> None:
    result = _run(nlu_group, "parse", "com'è messa la pratica 26000451?", "--today", "2026-11-24",
                  "--json")
    data = json.loads(result.output)
    assert data["intent"] == "status" and data["entities"] == {"request_id": "26000451"}
    assert data["today"] == "2026-11-24" and 0 < data["confidence"] <= 1


def test_parse_json_period_as_iso_dates() -> None:
    result = _run(nlu_group, "parse", "le mie richieste di ottobre", "--today", "2026-11-24",
                  "--json")
    assert json.loads(result.output)["entities"]["period"] == ["2026-10-01", "2026-10-31"]


def test_eval_intents(tmp_path: Path) -> None:
    file = tmp_path / "set.jsonl"
    rows = [
        {"text": "richieste sospese", "today": "2026-11-24", "intent": ["status"],
         "entities": {"status": "sospesa"}},
        {"text": "ciao!", "today": "2026-11-24", "intent": ["thanks"], "entities": {}},
        {"text": "mostra le pratiche di Anna", "today": "2026-11-24", "intent": ["status"],
         "entities": {"person": "Luca"}},
    ]
    file.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    output = _run(eval_group, "intents", str(file)).output
    assert "Intenti: 2/3 corretti (66.7%)" in output
    assert "Entità: 1/2 corrette (50.0%)" in output
    assert "✗ 'ciao!': intento greeting, atteso thanks" in output
    assert "person 'Anna', atteso 'Luca'" in output
    quiet = _run(eval_group, "intents", str(file), "--no-misses").output
    assert "✗" not in quiet


def test_bench_intents() -> None:
    output = _run(bench_group, "intents", "--rounds", "1").output
    assert "parse: p50" in output and "p99" in output


def test_commands_are_attached_to_main() -> None:
    context = click.Context(main)  # commands are found by name (bot.cli imports lazily)
    assert "parse" in main.get_command(context, "nlu").commands  # type: ignore[union-attr]
    assert "intents" in main.get_command(context, "eval").commands  # type: ignore[union-attr]
    assert "intents" in main.get_command(context, "bench").commands  # type: ignore[union-attr]
