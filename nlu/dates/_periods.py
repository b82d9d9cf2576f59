"""Periods for status questions: parse_period('a marzo'), ('negli ultimi 30 giorni'), ...

Rules, for when the text leaves something out (all periods are inclusive):
- A month, season or day without a year is the most recent one that has begun: "a dicembre"
  asked in November 2026 is December 2025, "a novembre" is this November (the whole month).
  With "scorso" it is the most recent one that has ended ("l'estate scorsa" in November is
  this year's summer), with "prossimo" the next one to begin.
- "questa settimana", "questo mese", "quest'anno": the whole week (Monday to Sunday), month or
  year, like "la settimana scorsa", "il mese scorso", "l'anno scorso".
- "negli ultimi N giorni/settimane/mesi/anni": from today minus N of them to today;
  "nell'ultimo mese" is one month. "negli ultimi giorni" (no number) is too vague: None.
- "da settembre", "dal 10 ottobre", "da lunedi": from then to today. "dopo il 10 novembre": from
  the day after to today.
- "prima di giugno", "fino al 10 marzo": from 1 January of that year, up to the day before /
  up to the end. Without a year these are this year's ("prima di dicembre" in November).
- "dal 1 al 15 ottobre", "tra agosto e settembre", "da dicembre a febbraio": from the start of
  the first to the end of the second; the second is completed first, the first is the nearest
  one before it. "ottobre e novembre", "settembre-ottobre" likewise.
- Seasons are meteorological (whole months): winter is December to February, spring March to
  May, summer June to August, autumn September to November.
- "inizio/metà/fine ottobre": days 1-10, 11-20, 21 to the end.
- One day ("ieri", "il 5 novembre") is a period of one day.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

from nlu.dates._calendar import add_months, add_years, month_end, week_start
from nlu.dates._days import resolve_day
from nlu.dates._grammar import DAY_KINDS, Kind, Mention, find_mentions
from nlu.dates._text import normalise
from nlu.dates._times import extract_time
from nlu.lazy_patterns import lazy_compile

__all__ = ["parse_period"]

Span = tuple[date, date]

_UNIT = r"(?P<unit>giorn[oi]|settiman[ae]|mes[ei]|ann[oi]|trimestr[ei]|semestr[ei])"
_COUNT = r"(?P<count>\d{1,3}|un|una|uno)"
_LAST_N = lazy_compile(
    r"\b(?:(?:negli|nei|nelle|negl|nell|gli|i|le|l) )?ultim[oiae] (?:"
    + _COUNT
    + r" )?"
    + _UNIT
    + r"\b(?! (?:di|del|dell|d) )"
)
_FOR_N = lazy_compile(r"\bda (?:circa |piu di |oltre )?" + _COUNT + r" " + _UNIT + r"\b(?! fa)")
_NEXT_N = lazy_compile(r"\b(?:(?:nei|nelle|i|le) )?prossim[ie] " + _COUNT + r" " + _UNIT + r"\b")
_WEEK_OF_MONTH = lazy_compile(
    r"\b(?P<which>prima|seconda|terza|quarta|ultima) settimana"
    r" (?:di |del mese di |del |dell )(?P<rest>.+)$"
)
_WEEK_OF = lazy_compile(r"\bsettimana (?:del|dal|dell|di) (?P<rest>.+)$")
_QUARTER = lazy_compile(
    r"\b(?P<number>[1-4]) (?P<kind>trimestre|semestre)"
    r"(?: (?:del |dell |di |nel )?(?P<year>\d{4}))?\b"
)
_RELATIVE_QUARTER = lazy_compile(
    r"\b(?:(?P<pre>scors[oa]|passat[oa]|precedente|prossim[oa]|quest[oa]?)"
    r" (?P<kind>trimestre|semestre)"
    r"|(?P<kind2>trimestre|semestre) (?P<post>scors[oa]|passat[oa]|precedente|prossim[oa]"
    r"|corrente|in corso))\b"
)
_RANGE = lazy_compile(
    r"\b(?:a partire dal|a partire dall|a partire da|dal|dall|dalla|dai|da|tra|fra)"
    r" (?P<first>.+?) (?:fino al|fino all|fino alla|fino a|al|all|alla|ai|ad|a|e) (?P<second>.+)$"
)
_BEFORE = lazy_compile(
    r"\b(?P<word>prima|fino|entro)"
    r"(?: (?:di|del|dell|della|dei|degli|a|al|all|alla|il|l))? (?P<rest>.+)$"
)
_SINCE = lazy_compile(
    r"\b(?P<word>a partire dal|a partire dall|a partire da|dal|dall|dalla|dai|da|dopo"
    r"|successivamente al)(?: (?:il|l|la|i))? (?P<rest>.+)$"
)
_PART = lazy_compile(
    r"\b(?P<part>inizio|meta|fine|primi|ultimi giorni) (?:di |del |dell |della |d )?(?P<rest>.+)$"
)
_CURRENT_UNIT = lazy_compile(r"^(?P<unit>mese|anno|settimana)\b")
_LEADING = lazy_compile(r"^(?:inizio|meta|fine|primi|ultimi giorni)\b")
_ARTICLE = lazy_compile(r"^(?:il|l|la|lo|i|le|gli) ")
# fmt: off
_PART_DAYS = {
    "inizio": (1, 10), "primi": (1, 10), "meta": (11, 20), "fine": (21, 31),
    "ultimi giorni": (21, 31),
}
# fmt: on
_SEASON_START = {"inverno": 12, "primavera": 3, "estate": 6, "autunno": 9}


class _Refused(Exception):
    """A rule recognised the question and found it names no period ("prima del 2026")."""


def _shift(today: date, unit: str, count: int) -> date:
    """Today moved by `count` days, weeks, months or years (negative: back)."""
    if unit.startswith("giorn"):
        return today + timedelta(days=count)
    if unit.startswith("settiman"):
        return today + timedelta(weeks=count)
    if unit.startswith("mes"):
        return add_months(today, count)
    if unit.startswith(("trimestr", "semestr")):
        return add_months(today, count * (3 if unit.startswith("tri") else 6))
    return add_years(today, count)


def _direction_of(modifier: str | None) -> int:
    """-1 'scorso', +1 'prossimo', 0 'questo' or 'corrente'."""
    if not modifier or modifier.startswith("quest") or modifier in ("corrente", "in corso"):
        return 0
    return 1 if modifier.startswith("prossim") else -1


def _count(text: str | None, unit: str) -> int | None:
    """The number in "ultimi 3 mesi"; one for "l'ultimo mese"; None for "gli ultimi mesi"."""
    if text is None:
        return (
            1 if unit in ("giorno", "settimana", "mese", "anno", "trimestre", "semestre") else None
        )
    return 1 if text in ("un", "una", "uno") else int(text)


def _month_span(year: int, month: int) -> Span:
    return date(year, month, 1), month_end(year, month)


def _season_span(name: str, start_year: int) -> Span:
    first = date(start_year, _SEASON_START[name], 1)
    return first, add_months(first, 3) - timedelta(days=1)


def _pick(occurrences: Iterator[Span], mention: Mention, anchor: date) -> Span | None:
    """Among yearly occurrences (latest first), the one the modifiers and the anchor ask for."""
    spans = list(occurrences)
    if mention.this:
        inside = [span for span in spans if span[0] <= anchor <= span[1]]
        this_year = [span for span in spans if span[0].year == anchor.year]
        return inside[0] if inside else this_year[0] if this_year else None
    if mention.direction < 0:
        return next((span for span in spans if span[1] < anchor), None)
    if mention.direction > 0:
        return next((span for span in reversed(spans) if span[0] > anchor), None)
    return next((span for span in spans if span[0] <= anchor), None)


def _years_around(anchor: date) -> range:
    return range(anchor.year + 1, anchor.year - 3, -1)


def _context_span(mention: Mention, year: int | None, today: date, anchor: date) -> Span | None:
    """The span of a month, week, year or season mention."""
    if mention.kind is Kind.MONTH:
        assert mention.month is not None
        month = mention.month
        if mention.year or year:
            return _month_span(mention.year or year or 0, month)
        return _pick((_month_span(each, month) for each in _years_around(anchor)), mention, anchor)
    if mention.kind is Kind.SEASON:
        if mention.year or year:
            return _season_span(mention.name, mention.year or year or 0)
        return _pick(
            (_season_span(mention.name, each) for each in _years_around(anchor)), mention, anchor
        )
    if mention.kind is Kind.MONTH_OFFSET:
        first = add_months(today.replace(day=1), mention.amount)
        return _month_span(first.year, first.month)
    if mention.kind is Kind.WEEK_OFFSET:
        monday = week_start(today) + timedelta(weeks=mention.amount)
        return monday, monday + timedelta(days=6)
    if mention.kind is Kind.YEAR:
        named = mention.year if mention.year is not None else today.year + mention.amount
        return date(named, 1, 1), date(named, 12, 31)
    if mention.kind is Kind.RELATIVE:  # "2 mesi fa" as a period: that whole month
        day = today
        if mention.unit == "week":
            monday = week_start(today + timedelta(weeks=mention.amount))
            return monday, monday + timedelta(days=6)
        if mention.unit == "month":
            day = add_months(today, mention.amount)
            return _month_span(day.year, day.month)
        day = add_years(today, mention.amount)
        return date(day.year, 1, 1), date(day.year, 12, 31)
    return None


def _spans(text: str, today: date, anchor: date) -> list[Span] | None:
    """The periods a fragment names, in order; None if it names none or a wrong one."""
    part = _PART.search(text)
    if part:
        whole = _current_unit(part["rest"], today) or _single_span(part["rest"], today, anchor)
        return [_narrow(whole, part["part"])] if whole else None
    mentions = [mention for mention in find_mentions(text) if mention.kind is not Kind.UNCERTAIN]
    if not mentions or any(mention.kind is Kind.IMPOSSIBLE for mention in mentions):
        return None
    days = [
        mention
        for mention in mentions
        if mention.kind in DAY_KINDS
        and not (mention.kind is Kind.RELATIVE and mention.unit != "day")
    ]
    if days:
        resolved = resolve_day(mentions, today, "past", anchor)
        if resolved:
            return [(resolved[0], resolved[0])]
        return _separate_days(mentions, days, today, anchor)
    years = [mention for mention in mentions if mention.kind is Kind.YEAR]
    points = [mention for mention in mentions if mention.kind is not Kind.YEAR]
    context_year = None
    if points and len(years) == 1:
        # "a ottobre del 2025", "nel 2025 a ottobre", "agosto dell'anno scorso"
        named = years[0]
        context_year = named.year if named.year is not None else today.year + named.amount
    elif not points:
        points = years
    # The last one is nearest to today; each earlier one is the nearest before the next.
    spans: list[Span] = []
    for mention in reversed(points):
        span = _context_span(mention, context_year, today, spans[0][0] if spans else anchor)
        if span is None:
            return None
        spans.insert(0, span)
    return spans


def _separate_days(
    mentions: list[Mention], days: list[Mention], today: date, anchor: date
) -> list[Span] | None:
    """'ieri e oggi': days named one by one, each a period of its own (weekdays excepted:
    next to a date they only check it)."""
    named = [mention for mention in days if mention.kind is not Kind.WEEKDAY]
    if len(named) < 2 or len(named) != len(days):
        return None
    contexts = [mention for mention in mentions if mention.kind not in DAY_KINDS]
    spans = []
    for mention in named:
        resolved = resolve_day([mention, *contexts], today, "past", anchor)
        if resolved is None:
            return None
        spans.append((resolved[0], resolved[0]))
    return sorted(spans)


def _single_span(text: str, today: date, anchor: date, *, leading: bool = False) -> Span | None:
    """The period a fragment names, from the start of its first to the end of its last.

    With `leading`, the fragment must begin with it: after "dal" in "dal dentista a ottobre"
    comes a place, and "dal ... a ottobre" is not a range.
    """
    if leading and not _LEADING.match(text):
        first = find_mentions(text)
        article = _ARTICLE.match(text)
        if not first or first[0].start > (article.end() if article else 0):
            return None
    spans = _spans(text, today, anchor)
    if not spans:
        return None
    return spans[0][0], spans[-1][1]


def _current_unit(text: str, today: date) -> Span | None:
    """'mese', 'anno', 'settimana' after 'inizio'/'fine': the current one."""
    match = _CURRENT_UNIT.match(text)
    if (
        not match
        or len(text.split()) > 1
        and text.split()[1].startswith(("scors", "passat", "prossim"))
    ):
        return None
    if match["unit"] == "mese":
        return _month_span(today.year, today.month)
    if match["unit"] == "anno":
        return date(today.year, 1, 1), date(today.year, 12, 31)
    monday = week_start(today)
    return monday, monday + timedelta(days=6)


def _narrow(span: Span, part: str) -> Span:
    """'inizio ottobre' is 1-10 ottobre, 'fine anno' is December, 'inizio settimana' Mon-Wed."""
    start, end = span
    length = (end - start).days + 1
    if length <= 7:
        first_day = {"inizio": 0, "primi": 0, "meta": 2, "fine": 4, "ultimi giorni": 4}[part]
        return start + timedelta(days=first_day), start + timedelta(days=first_day + 2)
    if length <= 31:
        first, last = _PART_DAYS[part]
        return start.replace(day=first), min(end, start.replace(day=min(last, end.day)))
    month = {"inizio": 1, "primi": 1, "meta": 6, "fine": 12, "ultimi giorni": 12}[part]
    return _month_span(start.year, month)


def _range(first: str, second: str, today: date) -> Span | None:
    if re.match(r"\d{1,2}(?: |$)", second):
        second = "il " + second  # "dal 10 al 20 del mese scorso": 20 is a day
    end_span = _single_span(second, today, today, leading=True)
    if end_span is None:
        return None
    if re.fullmatch(r"(?:il |l )?(\d{1,2})", first):  # "dal 1 al 15 ottobre": month of the end
        day = int(first.split()[-1])
        start: date | None = None
        month = end_span[0].replace(day=1)
        for back in range(2):
            candidate = add_months(month, -back)
            try:
                start = candidate.replace(day=day)
            except ValueError:
                continue
            if start <= end_span[1]:
                break
        if start is None:
            return None
    else:
        start_span = _single_span(first, today, end_span[0], leading=True)
        if start_span is None:
            return None
        start = start_span[0]
    return (start, end_span[1]) if start <= end_span[1] else None


def _ordered(span: Span | None) -> Span | None:
    return span if span is not None and span[0] <= span[1] else None


# The rules, tried in order on the whole question. Each returns the period when its form is
# there and makes sense, None when its form is not there, and raises _Refused when the form is
# there but names no period ("negli ultimi giorni", "prima del 2026").


def _last_units(text: str, today: date) -> Span | None:
    """'negli ultimi 30 giorni', "nell'ultimo mese", 'da 3 mesi'."""
    last = _LAST_N.search(text) or _FOR_N.search(text)
    if not last:
        return None
    count = _count(last["count"], last["unit"])
    if count is None:
        raise _Refused  # "negli ultimi giorni": how many?
    return _shift(today, last["unit"], -count), today


def _next_units(text: str, today: date) -> Span | None:
    """'nei prossimi 10 giorni'."""
    following = _NEXT_N.search(text)
    if not following:
        return None
    count = _count(following["count"], following["unit"])
    if count is None:
        raise _Refused
    return today, _shift(today, following["unit"], count)


def _week_of_month(text: str, today: date) -> Span | None:
    """'la prima settimana di ottobre' (1-7), "l'ultima settimana di ottobre" (25-31)."""
    week = _WEEK_OF_MONTH.search(text)
    if not week:
        return None
    month = _single_span(week["rest"], today, today)
    if month is None:
        raise _Refused
    if week["which"] == "ultima":
        return month[1] - timedelta(days=6), month[1]
    start = month[0] + timedelta(weeks=("prima", "seconda", "terza", "quarta").index(week["which"]))
    return start, start + timedelta(days=6)


def _week_of_day(text: str, today: date) -> Span | None:
    """'la settimana del 9 novembre': Monday to Sunday around that day."""
    week = _WEEK_OF.search(text)
    day = _single_span(week["rest"], today, today) if week else None
    if day is None:
        return None
    monday = week_start(day[0])
    return monday, monday + timedelta(days=6)


def _relative_quarter(text: str, today: date) -> Span | None:
    """'il trimestre scorso', 'questo semestre': calendar quarters and halves."""
    quarter = _RELATIVE_QUARTER.search(text)
    if not quarter:
        return None
    months = 3 if (quarter["kind"] or quarter["kind2"]) == "trimestre" else 6
    first_month = (today.month - 1) // months * months + 1
    direction = _direction_of(quarter["pre"] or quarter["post"])
    start = add_months(date(today.year, first_month, 1), months * direction)
    return start, add_months(start, months) - timedelta(days=1)


def _numbered_quarter(text: str, today: date) -> Span | None:
    """'nel primo trimestre', 'il secondo semestre del 2025' (without a year: the last begun)."""
    quarter = _QUARTER.search(text)
    if not quarter:
        return None
    months = 3 if quarter["kind"] == "trimestre" else 6
    first_month = (int(quarter["number"]) - 1) * months + 1
    if first_month > 12:
        raise _Refused  # "il terzo semestre"
    year = int(quarter["year"]) if quarter["year"] else today.year
    if not quarter["year"] and date(year, first_month, 1) > today:
        year -= 1
    start = date(year, first_month, 1)
    return start, add_months(start, months) - timedelta(days=1)


def _between(text: str, today: date) -> Span | None:
    """'dal 1 al 15 ottobre', 'tra agosto e settembre', 'da dicembre a febbraio'."""
    between = _RANGE.search(text)
    return _range(between["first"], between["second"], today) if between else None


def _before(text: str, today: date) -> Span | None:
    """'prima di giugno', 'fino al 10 marzo': from 1 January of that year."""
    before = _BEFORE.search(text)
    if not before:
        return None
    # "prima di dicembre" asked in November: this year's December, though it has not come yet.
    limit = _single_span(before["rest"], today, date(today.year, 12, 31), leading=True)
    if limit is None:
        return None
    if before["word"] == "prima":
        span = _ordered((date(limit[0].year, 1, 1), limit[0] - timedelta(days=1)))
    else:
        span = _ordered((date(limit[1].year, 1, 1), limit[1]))
    if span is None:
        raise _Refused  # "prima del 2026": from when?
    return span


def _since(text: str, today: date) -> Span | None:
    """'da settembre', 'dal 10 ottobre', "dall'inizio dell'anno", 'dopo il 10 novembre'."""
    since = _SINCE.search(text)
    if not since:
        return None
    rest = since["rest"]
    origin = _current_unit_start(rest, today) or _single_span(rest, today, today, leading=True)
    if origin is None:
        return None
    if since["word"] in ("dopo", "successivamente al"):
        return _ordered((origin[1] + timedelta(days=1), today))
    return _ordered((origin[0], today))


_PERIOD_RULES = (
    _last_units,
    _next_units,
    _week_of_month,
    _week_of_day,
    _relative_quarter,
    _numbered_quarter,
    _between,
    _before,
    _since,
)


def _current_unit_start(text: str, today: date) -> Span | None:
    """'inizio anno', "l'inizio del mese" after 'da': the start of the current one."""
    part = _PART.match(text)
    if part and part["part"] == "inizio":
        return _current_unit(part["rest"], today)
    return None


def parse_period(text: str, today: date) -> tuple[date, date] | None:
    """The inclusive (start, end) a status question names, or None when it names none.

    >>> parse_period("a marzo", date(2026, 11, 24))
    (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    """
    normalised, _ = extract_time(normalise(text))
    if not normalised:
        return None
    for rule in _PERIOD_RULES:
        try:
            span = rule(normalised, today)
        except _Refused:
            return None
        if span is not None:
            return span
    # Otherwise what the question names: months, weeks, years, seasons, days.
    spans = _spans(normalised, today, today)
    if not spans:
        return None
    return _ordered((spans[0][0], spans[-1][1]))
