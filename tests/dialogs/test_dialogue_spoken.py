"""Messages as they are said aloud (a voice note's exact words) or typed fast on a phone,
through the real engine (`medbot eval dialogue tests/dialogs/dialogue_spoken.jsonl`): numbers,
request numbers, IBANs, dates and times in words, hesitations, commands said twice over,
service names split in pieces."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.dialogue import load_scripts, run_scripts

SCRIPTS = Path(__file__).parent / "dialogue_spoken.jsonl"


async def test_spoken_messages_are_understood_like_typed_ones() -> None:
    scripts = load_scripts(SCRIPTS)
    results = await run_scripts(scripts, date(2026, 11, 24))
    failed = [(r.script.name, r.failures) for r in results if not r.passed]
    assert not failed, failed
