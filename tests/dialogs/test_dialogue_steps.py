"""The step families of issue 13 as scripted conversations (`medbot eval dialogue`): keep only
when said, said back, plausibility, who receives the money, times and dates, «indietro»
through the receipts, what the first message said."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.dialogue import load_scripts, run_scripts

SCRIPTS = Path(__file__).parent / "dialogue_steps.jsonl"
FAMILIES = {"lascia solo se detto", "ripetuto", "plausibilità", "chi riceve il rimborso",
            "orari e date", "indietro", "primo messaggio"}


async def test_every_step_family_passes() -> None:
    scripts = load_scripts(SCRIPTS)
    assert {s.family for s in scripts} == FAMILIES
    results = await run_scripts(scripts, date(2026, 11, 24))
    failed = [(r.script.name, r.failures) for r in results if not r.passed]
    assert not failed, failed
