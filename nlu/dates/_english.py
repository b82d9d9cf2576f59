"""English ways of writing a day and a time, rewritten in the Italian the grammar reads:
"December 15 at 10:30" is "15 dicembre alle 10:30", "the 3rd of December" "3 dicembre",
"10am" "alle 10". dateparser (nlu.dates._fallback) still reads what this leaves."""

from __future__ import annotations

from nlu.lazy_patterns import lazy_compile

__all__ = ["as_italian", "looks_english"]

_MONTHS = dict(zip(
    "january february march april may june july august september october november december"
    .split(),
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre"
    .split(), strict=True))
_SHORT = {m[:3]: i for m, i in _MONTHS.items()} | {"sept": "settembre"}
_MONTH = r"(january|february|march|april|may|june|july|august|september|october|november|" \
         r"december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?"
_ORDINAL = r"(\d{1,2})(?:st|nd|rd|th)?"
_MONTH_DAY = lazy_compile(rf"\b{_MONTH}\s+(?:the\s+)?{_ORDINAL}\b(?!:)")
_DAY_OF_MONTH = lazy_compile(rf"\b(?:the\s+)?{_ORDINAL}\s+(?:of\s+)?{_MONTH}\b")
_AT_TIME = lazy_compile(r"\bat\s+(\d{1,2}(?::\d{2})?)(?:\s*(am|pm))?\b")
_AM_PM = lazy_compile(r"\b(\d{1,2})(?::(\d{2}))?\s*(am|pm)\b")
_ENGLISH = lazy_compile(rf"\b{_MONTH}\b|\b\d{{1,2}}(?:st|nd|rd|th)\b|\b(am|pm)\b|\bat\s+\d")


def looks_english(text: str) -> bool:
    """Whether the text writes a day or a time the English way."""
    return bool(_ENGLISH.search(text.casefold()))


def _month(name: str) -> str:
    name = name.rstrip(".")
    return _MONTHS.get(name) or _SHORT[name[:4] if name == "sept" else name[:3]]


def _clock(hour: str, minutes: str | None, half: str | None) -> str:
    value = int(hour)
    if half == "pm" and value < 12:
        value += 12
    elif half == "am" and value == 12:
        value = 0
    return f"alle {value}:{minutes or '00'}"


def as_italian(text: str) -> str:
    """The text with its English days, months and times in Italian words."""
    lowered = text.casefold()
    lowered = _MONTH_DAY.sub(lambda m: f"{m.group(2)} {_month(m.group(1))}", lowered)
    lowered = _DAY_OF_MONTH.sub(lambda m: f"{m.group(1)} {_month(m.group(2))}", lowered)
    lowered = _AT_TIME.sub(lambda m: _clock(*(m.group(1).split(":") + [None])[:2], m.group(2)),
                           lowered)
    return _AM_PM.sub(lambda m: _clock(m.group(1), m.group(2), m.group(3)), lowered)
