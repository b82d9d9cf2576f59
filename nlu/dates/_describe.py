"""Days written out in Italian, as the bot says them back: 'martedì 17 novembre 2026'."""

from __future__ import annotations

from datetime import date


def describe_date(day: date) -> str:
    """'martedì 17 novembre 2026' (CLDR Italian names via babel)."""
    from babel.dates import format_date  # imported on first use: a tenth of the start-up

    return format_date(day, "EEEE d MMMM y", locale="it_IT")
