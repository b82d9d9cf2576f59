"""`medbot eval dialogue`: scripted conversations through the real engine and store."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner, Result

import bot.cli.dialogue  # noqa: F401  (attaches the command)
from bot.cli.groups import eval_group

SCRIPTS = Path(__file__).parents[1] / "dialogs" / "dialogue_scripts.jsonl"
FAMILIES = ("correzioni", "domande", "comandi", "nuova richiesta", "riepilogo", "regressioni")


def _run(*args: str) -> Result:
    return CliRunner().invoke(eval_group, ["dialogue", *args], catch_exceptions=False)


def test_every_scripted_conversation_passes() -> None:
    result = _run(str(SCRIPTS))
    assert result.exit_code == 0
    figures = dict(re.findall(r"^(.+): (\d+/\d+)$", result.output, re.MULTILINE))
    for family in FAMILIES:
        passed, total = figures[family].split("/")
        assert int(total) >= 5, family
        assert passed == total, result.output
    assert "✗" not in result.output


def test_a_wrong_expectation_fails_and_says_why(tmp_path: Path) -> None:
    script = tmp_path / "wrong.jsonl"
    lines = [
        {"name": "dove siamo", "family": "prova", "today": "2026-11-24",
         "events": [{"text": "rimborso", "step": "beneficiary", "expect": ["pizza"]}]},
        {"name": "niente inviato", "family": "prova", "today": "2026-11-24",
         "events": [{"text": "rimborso"}, {"tap": "Bottone che non c'è"}], "request": None},
        {"name": "richiesta attesa", "family": "prova", "today": "2026-11-24",
         "events": [{"text": "ciao"}], "request": {"notes": ""}},
    ]
    script.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    result = _run(str(script))
    assert "prova: 0/3" in result.output
    assert "domanda 'year' invece di 'beneficiary'" in result.output
    assert "manca «pizza»" in result.output
    assert "0 pulsanti per «Bottone che non c'è»" in result.output
    assert "nessuna richiesta inviata" in result.output


def test_issue_13_language_side_conversations_pass() -> None:
    """The service question, the archive's one-fact answers, contacts and follow-ups, openings."""
    result = _run(str(SCRIPTS.with_name("dialogue_understand.jsonl")))
    assert result.exit_code == 0, result.output
    figures = dict(re.findall(r"^(.+): (\d+/\d+)$", result.output, re.MULTILINE))
    for family in ("servizio", "archivio", "contatti", "apertura"):
        passed, total = figures[family].split("/")
        assert int(total) >= 3 and passed == total, result.output
