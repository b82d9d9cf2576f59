"""Days written out as the bot says them back: 'martedì 17 novembre 2026', in English
'Tuesday 17 November 2026' (the language of the turn)."""

from __future__ import annotations

import functools
from datetime import date

from nlu.language import babel_locale


def describe_date(day: date) -> str:
    """'martedì 17 novembre 2026' (CLDR names via babel, in the turn's language)."""
    return _described(day, babel_locale())


# Babel's formatting costs more than the rest of a turn's step; a day's name in a locale
# never changes, so remembering the latest few thousand (day, locale) is always right.
@functools.lru_cache(maxsize=4096)
def _described(day: date, locale: str) -> str:
    from babel.dates import format_date  # imported on first use: a tenth of the start-up

    return format_date(day, "EEEE d MMMM y", locale=locale)
