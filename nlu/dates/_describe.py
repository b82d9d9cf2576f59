"""Days written out as the bot says them back: 'martedì 17 novembre 2026', in English
'Tuesday 17 November 2026' (the language of the turn)."""

from __future__ import annotations

from datetime import date

from nlu.language import babel_locale


def describe_date(day: date) -> str:
    """'martedì 17 novembre 2026' (CLDR names via babel, in the turn's language)."""
    from babel.dates import format_date  # imported on first use: a tenth of the start-up

    return format_date(day, "EEEE d MMMM y", locale=babel_locale())
