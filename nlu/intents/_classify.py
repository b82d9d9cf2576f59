"""Scores a message against the intent rules and picks the intent, with a confidence."""

from __future__ import annotations

from collections.abc import Mapping

from nlu.intents._rules import RULES

__all__ = ["PRIORITY", "classify", "scores"]

# On equal scores the more specific intent wins ("annulla la richiesta 26000112" is cancel).
PRIORITY = (
    "complaint", "contact", "human", "reminders_off", "cancel", "back", "add_documents", "status",
    "find_facility", "direct_service", "reimbursement", "help", "thanks", "greeting",
)
# Below this score nothing was recognised.
MIN_SCORE = 1.5


def scores(norm: str) -> dict[str, float]:
    """Each intent's score: the sum of the weights of its rules that match."""
    return {
        intent: sum(weight for weight, pattern in rules if pattern.search(norm))
        for intent, rules in RULES.items()
    }


def classify(found: Mapping[str, float]) -> tuple[str, float]:
    """The best intent and a confidence from 0 to 1 (how strong and how clear the win is)."""
    ranked = sorted(found.items(), key=lambda item: (-item[1], PRIORITY.index(item[0])))
    (best, top), second = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0.0)
    if top < MIN_SCORE:
        return "unknown", round(1.0 - top / MIN_SCORE * 0.5, 2)
    strength = min(1.0, top / 4.0)
    margin = (top - second) / top
    return best, round(strength * (0.5 + 0.5 * margin), 2)
