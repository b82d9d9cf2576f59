"""Scoring parse() on labelled lines (text, today, intent list, entities), as the eval sets do."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from nlu.intents._parse import Parsed, parse

__all__ = ["Score", "score"]


@dataclass
class Score:
    """Intent accuracy over lines; entity accuracy over every listed entity."""

    lines: int = 0
    intents_right: int = 0
    entities: int = 0
    entities_right: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def intent_accuracy(self) -> float:
        return self.intents_right / self.lines if self.lines else 0.0

    @property
    def entity_accuracy(self) -> float:
        return self.entities_right / self.entities if self.entities else 1.0


def _same(name: str, got: Any, wanted: Any) -> bool:
    if got is None:
        return False
    if name == "period":
        return [d.isoformat() for d in got] == list(wanted)
    if isinstance(got, date):
        return got.isoformat() == wanted
    return str(got).casefold() == str(wanted).casefold()


def score(rows: Iterable[Mapping[str, Any]]) -> Score:
    """Parse each line and compare: the intent must be one of those listed, each listed
    entity must equal what was extracted (case-insensitively)."""
    result = Score()
    for row in rows:
        parsed: Parsed = parse(row["text"], date.fromisoformat(row["today"]), row.get("people", ()))
        result.lines += 1
        wanted: list[str] = row["intent"]
        problems = []
        if parsed.intent in wanted:
            result.intents_right += 1
        else:
            problems.append(f"intento {parsed.intent}, atteso {' o '.join(wanted)}")
        for name, value in row.get("entities", {}).items():
            result.entities += 1
            got = parsed.entities.get(name)
            if _same(name, got, value):
                result.entities_right += 1
            else:
                shown = [d.isoformat() for d in got] if name == "period" and got else got
                problems.append(f"{name} {shown!r}, atteso {value!r}")
        if problems:
            result.misses.append(f"✗ {row['text']!r}: " + "; ".join(problems))
    return result
