"""dateparser as a last resort, for answers the grammar finds nothing in."""

from __future__ import annotations

from datetime import date


def fallback_day(normalised: str, today: date, prefer: str) -> date | None:
    return None
