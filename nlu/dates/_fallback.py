"""dateparser as a last resort, for answers the Italian grammar finds nothing in ('yesterday').

dateparser reads many languages but resolves only about two thirds of our Italian answers and
accepts vague ones ("next week" becomes a day), so it is asked only when the grammar found no
mention at all and the text has a word dateparser could read as a day in English (the Italian
ones are the grammar's): not for "boh" or "non so", the commonest such answers, which would
cost a third of a millisecond each. Its answer is refused when the text speaks of weeks,
months or years. It is imported on first use: loading it takes a fifth of a second.
"""

from __future__ import annotations

import warnings
from datetime import date, datetime
from typing import Any

from nlu.lazy_patterns import lazy_compile

_VAGUE = lazy_compile(
    r"\b(?:week|weeks|weekend|month|months|year|years|settiman\w*|mes[ei]|ann[oi]|fine|inizio)\b"
)
_ENGLISH_DAY_WORDS = lazy_compile(
    r"\b(?:yesterday|today|tomorrow|ago|last|next|this|now"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day"
    r"|jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june"
    r"|july|august|september|october|november|december)\b"
)
_LANGUAGES = ["it", "en"]

_parser: Any = None


def _dateparser() -> Any:
    global _parser
    if _parser is None:
        import dateparser  # type: ignore[import-untyped]

        _parser = dateparser
    return _parser


def fallback_day(text: str, normalised: str, today: date, prefer: str) -> date | None:
    """The day dateparser reads in `text`, when it is one day and not a vague expression."""
    if not _ENGLISH_DAY_WORDS.search(normalised) or _VAGUE.search(normalised):
        return None
    settings = {
        # Midday, so that "3 hours ago" stays today.
        "RELATIVE_BASE": datetime(today.year, today.month, today.day, 12),
        "PREFER_DATES_FROM": prefer,
        "DATE_ORDER": "DMY",
        "REQUIRE_PARTS": ["day", "month"],
    }
    with warnings.catch_warnings():
        # On Python 3.13+ dateparser's own strptime of a day without a year warns
        # (scrapinghub/dateparser#1246); it supplies the year itself, so the warning is noise.
        warnings.filterwarnings(
            "ignore", message="Parsing dates involving a day of month", category=DeprecationWarning
        )
        parsed = _dateparser().parse(text, languages=_LANGUAGES, settings=settings)
    return parsed.date() if parsed is not None else None
