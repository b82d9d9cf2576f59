"""One calendar day from an answer: parse_date, parse_date_time, parse_date_detail.

Rules, for when the text leaves something out:
- prefer="past" (when was the service?): a day and month without a year is the most recent such
  day not after today ("25 dicembre" on 24/11/2026 is 25/12/2025); a bare weekday is the most
  recent one before today; "il 10" is the most recent 10th. prefer="future" (when is the
  appointment?) mirrors that: the next such day from today, the next weekday after today.
- Words win over the preference: "domani" is tomorrow even when asking about the past (the
  dialog validates the range and says what is wrong); "lunedi scorso" is in the past even when
  the preference is the future.
- "scorso"/"prossimo" on a weekday mean the nearest one before/after today ("venerdi prossimo"
  said on a Tuesday is this Friday); "martedi della settimana scorsa" is that week's Tuesday.
- A weekday next to a date is a check: "lunedi 1 dicembre" picks the year where it is a Monday
  (this one or the one before), or is refused when neither is.
- Two-digit years are this century: "12/3/25" is 2025.
- Vague or several days give None so the bot asks again: "ottobre 2025", "la prossima
  settimana", "fine mese", "dal 3 al 5", "3 o 4 giorni fa", "entro il 10", impossible days.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from nlu.dates._calendar import add_months, add_years, easter, safe_date, week_start
from nlu.dates._english import as_italian, looks_english
from nlu.dates._fallback import fallback_day
from nlu.dates._grammar import (
    DAY_KINDS,
    EASTER_FESTIVITIES,
    FIXED_FESTIVITIES,
    Kind,
    Mention,
    find_mentions,
)
from nlu.dates._text import normalise
from nlu.dates._times import extract_time

__all__ = ["DateReading", "parse_date", "parse_date_detail", "parse_date_time"]

PREFERENCES = ("past", "future")
# How many candidates a weekday check may look through: "lunedi 31 ottobre" may be this
# year's or last year's, never one from five years ago.
_CHECKED_CANDIDATES = 2
_YEARS_AROUND = 12  # how far a day-and-month search reaches (29/02 needs up to 8)


@dataclass(frozen=True, slots=True)
class DateReading:
    """What a date answer said: the day, the time if given, and whether it was literal.

    `literal` is True only when day, month and year were all written ("5 ottobre 2025",
    "05/10/2025"); relative or completed readings ("ieri", "martedi scorso", "12/3") are not,
    and the bot should confirm them ("Ho capito: martedi 17 novembre 2026. Confermi?").
    """

    day: date
    time: time | None
    literal: bool


@dataclass(frozen=True, slots=True)
class _Context:
    """The months, weeks and years an answer names, which complete its partial days."""

    months: list[Mention]
    month_offsets: list[Mention]
    week_offsets: list[Mention]
    years: list[Mention]

    @staticmethod
    def of(mentions: list[Mention]) -> _Context:
        def kind(wanted: Kind) -> list[Mention]:
            return [mention for mention in mentions if mention.kind is wanted]

        return _Context(
            kind(Kind.MONTH), kind(Kind.MONTH_OFFSET), kind(Kind.WEEK_OFFSET), kind(Kind.YEAR)
        )

    def year(self, today: date) -> int | None:
        """The one year named ("2025", "l'anno scorso"), if exactly one is."""
        if len(self.years) != 1:
            return None
        named = self.years[0]
        return named.year if named.year is not None else today.year + named.amount


def _direction(mention: Mention, prefer: str) -> int:
    if mention.direction:
        return mention.direction
    return -1 if prefer == "past" else 1


def _by_year(day_in: Callable[[int], date | None], today: date, direction: int) -> Iterator[date]:
    """Yearly candidates from `day_in(year)`, nearest first, on the given side of today."""
    years = (
        range(today.year, today.year - _YEARS_AROUND, -1)
        if direction < 0
        else range(today.year, today.year + _YEARS_AROUND)
    )
    for year in years:
        candidate = day_in(year)
        if candidate is not None and (candidate <= today if direction < 0 else candidate >= today):
            yield candidate


def _by_month(day: int, today: date, direction: int) -> Iterator[date]:
    """Monthly candidates for "il 10": the nearest 10th on the given side of today."""
    first = today.replace(day=1)
    for step in range(24):
        month = add_months(first, -step if direction < 0 else step)
        candidate = safe_date(month.year, month.month, day)
        if candidate is not None and (candidate <= today if direction < 0 else candidate >= today):
            yield candidate


def _festivity_in(mention: Mention, year: int) -> date:
    if mention.name in EASTER_FESTIVITIES:
        day = easter(year) + timedelta(days=EASTER_FESTIVITIES[mention.name])
    else:
        month, day_of_month = FIXED_FESTIVITIES[mention.name]
        day = date(year, month, day_of_month)
    return day - timedelta(days=1) if mention.eve else day


def _candidates(
    mention: Mention, context: _Context, today: date, prefer: str, anchor: date
) -> Iterator[date]:
    """The days a mention may mean, most likely first.

    Words counted from today ("ieri", "3 giorni fa") count from `today`; days completed with a
    year or a month are the nearest to `anchor`, which is today unless the mention is the
    start of a range ("da dicembre a febbraio": December is the one before February).
    """
    direction = _direction(mention, prefer)
    if mention.kind is Kind.RELATIVE:
        if mention.unit == "day":
            yield today + timedelta(days=mention.amount)
        elif mention.unit == "week":
            yield today + timedelta(weeks=mention.amount)
        elif mention.unit == "month":
            yield add_months(today, mention.amount)
        else:
            yield add_years(today, mention.amount)
    elif mention.kind is Kind.DATE:
        assert mention.day is not None and mention.month is not None
        day, month = mention.day, mention.month
        year = mention.year or context.year(today)
        if year is not None:
            found = safe_date(year, month, day)
            if found is not None:
                yield found
        else:
            yield from _by_year(lambda year: safe_date(year, month, day), anchor, direction)
    elif mention.kind is Kind.FESTIVITY:
        year = mention.year or context.year(today)
        if mention.this:
            year = today.year
        if year is not None:
            yield _festivity_in(mention, year)
        else:
            yield from _by_year(lambda year: _festivity_in(mention, year), anchor, direction)
    elif mention.kind is Kind.MONTHDAY:
        yield from _monthday_candidates(mention, context, today, prefer, anchor)
    elif mention.kind is Kind.WEEKDAY:
        yield from _weekday_candidates(mention, context, anchor, direction)


def _monthday_candidates(
    mention: Mention, context: _Context, today: date, prefer: str, anchor: date
) -> Iterator[date]:
    assert mention.day is not None
    day = mention.day
    if len(context.months) + len(context.month_offsets) == 1:
        if context.month_offsets:
            month = add_months(today.replace(day=1), context.month_offsets[0].amount)
            found = safe_date(month.year, month.month, day)
            if found is not None:
                yield found
            return
        named = context.months[0]
        assert named.month is not None
        month_number = named.month
        year = named.year or context.year(today)
        if year is not None:
            found = safe_date(year, month_number, day)
            if found is not None:
                yield found
        else:
            direction = _direction(named, prefer)
            yield from _by_year(lambda year: safe_date(year, month_number, day), anchor, direction)
        return
    if context.years:
        return  # "il 5 del 2025": a year but no month
    yield from _by_month(day, anchor, -1 if prefer == "past" else 1)


def _weekday_candidates(
    mention: Mention, context: _Context, today: date, direction: int
) -> Iterator[date]:
    assert mention.weekday is not None
    monday = week_start(today)
    if len(context.week_offsets) == 1:
        yield monday + timedelta(weeks=context.week_offsets[0].amount, days=mention.weekday)
    elif mention.this:
        yield monday + timedelta(days=mention.weekday)
    elif direction < 0:
        back = (today.weekday() - mention.weekday) % 7 or 7
        yield today - timedelta(days=back)
        yield today - timedelta(days=back + 7)
    else:
        ahead = (mention.weekday - today.weekday()) % 7 or 7
        yield today + timedelta(days=ahead)
        yield today + timedelta(days=ahead + 7)


def _literal(mention: Mention) -> bool:
    return mention.kind is Kind.DATE and mention.explicit_year


def resolve_day(
    mentions: list[Mention], today: date, prefer: str, anchor: date | None = None
) -> tuple[date, bool] | None:
    """The one day the mentions name and whether it was written in full, or None."""
    if any(mention.kind in (Kind.IMPOSSIBLE, Kind.UNCERTAIN) for mention in mentions):
        return None
    context = _Context.of(mentions)
    producers = [mention for mention in mentions if mention.kind in DAY_KINDS]
    named_days = [mention for mention in producers if mention.kind is not Kind.WEEKDAY]
    # Next to a day, a weekday checks it rather than naming a day of its own.
    checks = {mention.weekday for mention in named_days if mention.weekday is not None}
    if named_days:
        checks |= {
            mention.weekday
            for mention in producers
            if mention.kind is Kind.WEEKDAY and mention.weekday is not None
        }
        producers = named_days
    if not producers or len(checks) > 1:
        return None
    days = set()
    for mention in producers:
        candidates = _candidates(mention, context, today, prefer, anchor or today)
        if checks:
            (weekday,) = checks
            candidates = (
                day
                for day in itertools.islice(candidates, _CHECKED_CANDIDATES)
                if day.weekday() == weekday
            )
        chosen = next(candidates, None)
        if chosen is None:
            return None
        days.add(chosen)
    if len(days) != 1:
        return None
    return days.pop(), all(_literal(mention) for mention in producers)


def _check_preference(prefer: str) -> None:
    if prefer not in PREFERENCES:
        raise ValueError(f"prefer must be 'past' or 'future', not {prefer!r}")


def parse_date_detail(text: str, today: date, prefer: str = "past") -> DateReading | None:
    """Read one calendar day, with the time if given and whether the reading was literal."""
    _check_preference(prefer)
    if isinstance(today, datetime):  # a datetime is a date too: keep only the day
        today = today.date()
    reading = _read_day(text, text, today, prefer)
    if reading is None and looks_english(text):
        # "December 15 at 10:30", read as "15 dicembre alle 10:30" when Italian finds no day.
        reading = _read_day(as_italian(text), text, today, prefer)
    return reading


def _read_day(text: str, original: str, today: date, prefer: str) -> DateReading | None:
    normalised, found_time = extract_time(normalise(text))
    mentions = find_mentions(normalised)
    if not mentions:
        fallback = fallback_day(original, normalised, today, prefer)
        return DateReading(fallback, found_time, literal=False) if fallback else None
    resolved = resolve_day(mentions, today, prefer)
    if resolved is None:
        return None
    day, literal = resolved
    return DateReading(day, found_time, literal)


def parse_date(text: str, today: date, prefer: str = "past") -> date | None:
    """One calendar day named by `text`, or None when it names none, or several, or a vague one.

    >>> parse_date("martedi scorso", date(2026, 11, 24))
    datetime.date(2026, 11, 17)
    """
    reading = parse_date_detail(text, today, prefer)
    return reading.day if reading else None


def parse_date_time(
    text: str, today: date, prefer: str = "past"
) -> tuple[date, time | None] | None:
    """The day and, when the text gives one ("alle 15:30"), the time of day."""
    reading = parse_date_detail(text, today, prefer)
    return (reading.day, reading.time) if reading else None
