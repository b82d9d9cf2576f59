"""Times of day inside a date answer ('alle 15:30', 'ore 9', "all'una", 'alle 3 del pomeriggio')."""

from __future__ import annotations

import re
from datetime import time

from nlu.lazy_patterns import lazy_compile

_PART_OF_DAY = r"(?: (?:di |del |della |in )?(?P<part>mattina|mattino|pomeriggio|sera|notte))?"
# "e mezza", and minutes said after "e" ("alle 9 e 30", as "nove e trenta" is said).
_FRACTION = (r"(?: e (?:(?P<fraction>mezza|mezzo|un quarto|quarto|3 quarti)"
             r"|(?P<said_minute>[0-5]?\d)\b(?! euro)))?")
_TIME_PATTERNS = (
    # "alle 15", "ore 8.30", "h 11", "verso le 10 e mezza", "alle 3 del pomeriggio"
    lazy_compile(
        r"\b(?:alle|ore|h|verso le|per le|dalle|entro le)\s?(?P<hour>\d{1,2})"
        r"(?:[:.,h](?P<minute>\d{2}))?" + _FRACTION + _PART_OF_DAY + r"\b"
    ),
    lazy_compile(r"\b(?P<hour>\d{1,2}):(?P<minute>\d{2})\b" + _PART_OF_DAY),
    # "15.30" is a time only when it cannot be a day and month.
    lazy_compile(r"(?<![\d./-])\b(?P<hour>[01]?\d|2[0-3])\.(?P<minute>1[3-9]|[2-5]\d)\b(?![./-]\d)"),
    lazy_compile(r"\b(?:all|verso l|per l) (?P<one>una)\b" + _FRACTION + _PART_OF_DAY),
    lazy_compile(r"\b(?:a |verso )?(?P<noon>mezzogiorno|mezzanotte)\b" + _FRACTION),
    # "9 e 30" alone: an hour and its minutes, as said aloud.
    lazy_compile(r"(?<![\d./-])\b(?P<hour>[01]?\d|2[0-3]) e (?P<said_minute>[0-5]\d)\b"
                 r"(?! euro)(?![./-]\d)" + _PART_OF_DAY),
)
_FRACTION_MINUTES = {"mezza": 30, "mezzo": 30, "un quarto": 15, "quarto": 15, "3 quarti": 45}


def _time_from(match: re.Match[str]) -> time | None:
    groups = match.groupdict()
    if groups.get("noon"):
        hour = 12 if groups["noon"] == "mezzogiorno" else 0
    elif groups.get("one"):
        hour = 1
    else:
        hour = int(groups["hour"])
    minute_text = groups.get("minute")
    minute = int(minute_text) if minute_text else 0
    if groups.get("said_minute"):
        minute = int(groups["said_minute"])
    if groups.get("fraction"):
        minute = _FRACTION_MINUTES[groups["fraction"]]
    part = groups.get("part")
    if part in ("pomeriggio", "sera") and hour < 12:
        hour += 12
    elif part == "notte" and hour == 12:
        hour = 0
    if hour > 24 or minute > 59:
        return None
    return time(hour % 24, minute)


def extract_time(text: str) -> tuple[str, time | None]:
    """Split normalised text into (text without the time, the time or None)."""
    for pattern in _TIME_PATTERNS:
        match = pattern.search(text)
        if match:
            found = _time_from(match)
            if found is not None:
                rest = (text[: match.start()] + " " + text[match.end() :]).split()
                return " ".join(rest), found
    return text, None
