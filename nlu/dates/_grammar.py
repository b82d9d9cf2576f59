"""The date grammar: finds the mentions of days, months, weeks and years in normalised text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from nlu.dates._calendar import safe_date
from nlu.dates._text import MONTH_NUMBERS, MONTHS, WEEKDAY_NUMBERS, WEEKDAYS
from nlu.lazy_patterns import lazy_compile


class Kind(StrEnum):
    """What a mention says. The first five name a day; the contexts narrow those down."""

    DATE = "date"  # day and month, maybe a year: "5 ottobre", "12/3/26", "2026-03-12"
    MONTHDAY = "monthday"  # day of an unnamed month: "il 10", "giovedi 26"
    RELATIVE = "relative"  # counted from today: "ieri", "3 giorni fa", "tra due settimane"
    WEEKDAY = "weekday"  # "martedi", "giovedi scorso", "il prossimo lunedi"
    FESTIVITY = "festivity"  # "natale", "la vigilia di natale", "ferragosto 2025"
    MONTH = "month"  # context: "ottobre", "a marzo 2025", "lo scorso agosto"
    MONTH_OFFSET = "month_offset"  # context: "il mese scorso", "questo mese"
    WEEK_OFFSET = "week_offset"  # context: "la settimana scorsa"
    YEAR = "year"  # context: "2025", "l'anno scorso", "quest'anno"
    SEASON = "season"  # context: "estate", "l'inverno scorso"
    IMPOSSIBLE = "impossible"  # a day that does not exist: "31/02", "13/13", "32 ottobre"
    UNCERTAIN = "uncertain"  # more than one day: "dal 3 al 5", "3 o 4 giorni fa", "entro il 10"


DAY_KINDS = frozenset({Kind.DATE, Kind.MONTHDAY, Kind.RELATIVE, Kind.WEEKDAY, Kind.FESTIVITY})


@dataclass(frozen=True, slots=True)
class Mention:
    """One expression found in the text, with what it says and where it is."""

    kind: Kind
    start: int
    end: int
    day: int | None = None
    month: int | None = None
    year: int | None = None
    weekday: int | None = None  # the named weekday; on a DATE or MONTHDAY it is a check
    amount: int = 0  # RELATIVE and *_OFFSET: signed count of `unit`
    unit: str = "day"  # RELATIVE: day, week, month or year
    direction: int = 0  # -1 "scorso", +1 "prossimo", 0 not said; see `this`
    this: bool = False  # "questo venerdi", "quest'estate"
    name: str = ""  # FESTIVITY and SEASON: which one
    eve: bool = False  # FESTIVITY: "la vigilia di ..."

    @property
    def explicit_year(self) -> bool:
        return self.year is not None


# fmt: off
# Fixed festivities (month, day); movable ones are days from Easter Sunday.
FIXED_FESTIVITIES: dict[str, tuple[int, int]] = {
    "capodanno": (1, 1), "1 dell anno": (1, 1), "epifania": (1, 6), "befana": (1, 6),
    "san valentino": (2, 14), "festa della donna": (3, 8), "san giuseppe": (3, 19),
    "festa del papa": (3, 19), "festa della liberazione": (4, 25), "liberazione": (4, 25),
    "festa dei lavoratori": (5, 1), "festa del lavoro": (5, 1), "festa della repubblica": (6, 2),
    "ferragosto": (8, 15), "ognissanti": (11, 1), "tutti i santi": (11, 1),
    "giorno dei morti": (11, 2), "festa dei morti": (11, 2),
    "commemorazione dei defunti": (11, 2), "immacolata": (12, 8), "vigilia": (12, 24),
    "natale": (12, 25), "santo stefano": (12, 26), "san silvestro": (12, 31),
    "ultimo dell anno": (12, 31), "notte di san silvestro": (12, 31),
}
EASTER_FESTIVITIES: dict[str, int] = {
    "pasqua": 0, "pasquetta": 1, "lunedi dell angelo": 1, "lunedi di pasqua": 1,
    "venerdi santo": -2, "domenica delle palme": -7, "giovedi grasso": -52,
    "martedi grasso": -47, "mercoledi delle ceneri": -46,
}
SEASONS = ("inverno", "primavera", "estate", "autunno")

# Days named by a word, as days from today.
_RELATIVE_DAYS = {
    "oggi": 0, "oggi stesso": 0, "stamattina": 0, "stamani": 0, "stamane": 0, "stasera": 0,
    "stanotte": 0, "sta mattina": 0, "sta sera": 0, "sta notte": 0, "questa mattina": 0,
    "questa sera": 0, "questo pomeriggio": 0,
    "ieri": -1,
    "altro ieri": -2, "altroieri": -2, "l altroieri": -2, "laltro ieri": -2, "laltroieri": -2,
    "avantieri": -2, "avant ieri": -2, "ieri l altro": -2,
    "domani": 1, "domattina": 1,
    "dopodomani": 2, "dopo domani": 2, "domani l altro": 2,
}
_UNITS = {
    "giorno": "day", "giorni": "day", "settimana": "week", "settimane": "week",
    "mese": "month", "mesi": "month", "anno": "year", "anni": "year",
}
# fmt: on
_COUNT_WORDS = {"un": 1, "una": 1, "uno": 1}


def _alternatives(words: Iterable[str]) -> str:
    """A regex alternation, longest first so that 'vigilia di natale' wins over 'vigilia'."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_MACROS = {
    "<MONTH>": f"(?:{_alternatives(MONTHS)})",
    "<WEEKDAY>": f"(?:{_alternatives(WEEKDAYS)})",
    "<FESTIVITY>": f"(?:{_alternatives([*FIXED_FESTIVITIES, *EASTER_FESTIVITIES])})",
    "<SEASON>": f"(?:{_alternatives(SEASONS)})",
    "<UNIT>": f"(?:{_alternatives(_UNITS)})",
    "<COUNT>": r"(?:\d{1,3}|un|una|uno)",
    # "scorso", "passata", "prossimi"
    "<DIR>": r"(?:scors[oaie]|passat[oaie]|prossim[oaie])",
    "<THIS>": r"(?:quest[oa]?|corrente|in corso|attuale)",
    "<NOT_A_DAY>": r"(?:<MONTH>|giorn|settiman|mes[ei]\b|ann[oi]\b|or[ae]\b|euro|%|volt|minut)",
}


def _compile(pattern: str) -> re.Pattern[str]:
    for _ in range(2):  # macros may use macros
        for macro, expansion in _MACROS.items():
            pattern = pattern.replace(macro, expansion)
    return lazy_compile(pattern)


def _is_this(word: str | None) -> bool:
    """'questo', 'quest', 'corrente': the one we are in."""
    return word is not None and (
        word.startswith("quest") or word in ("corrente", "in corso", "attuale")
    )


def _direction(word: str | None) -> int:
    """-1 for 'scorso', 'passata'; +1 for 'prossimo', 'che viene'; 0 otherwise."""
    if not word or _is_this(word):
        return 0
    return 1 if word.startswith("prossim") or word == "che viene" else -1


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    year = int(text)
    return 2000 + year if len(text) == 2 else year  # two-digit years are this century


def _count(text: str) -> int:
    return _COUNT_WORDS.get(text) or int(text)


_Builder = Callable[[re.Match[str]], Mention | None]


def _date_mention(match: re.Match[str], day: str, month: str, year: str | None) -> Mention:
    """A DATE, or IMPOSSIBLE when the numbers cannot be a day (32 ottobre, 13/13)."""
    day_number, month_number, year_number = int(day), int(month), _year(year)
    # Without a year, 2000 (a leap year) stands in: 29/02 exists, the year is chosen later.
    valid = (year_number is None or 1900 <= year_number <= 2100) and safe_date(
        year_number or 2000, month_number, day_number
    ) is not None
    groups = match.groupdict()
    kind = Kind.DATE if valid else Kind.IMPOSSIBLE
    return Mention(
        kind,
        match.start(),
        match.end(),
        day=day_number,
        month=month_number,
        year=year_number,
        direction=_direction(groups.get("pre") or groups.get("post")),
    )


def _numeric_date(match: re.Match[str]) -> Mention:
    return _date_mention(match, match["day"], match["month"], match.groupdict().get("year"))


def _worded_date(match: re.Match[str]) -> Mention:
    return _date_mention(match, match["day"], str(MONTH_NUMBERS[match["month"]]), match["year"])


def _monthday(match: re.Match[str]) -> Mention | None:
    day = int(match["day"])
    if not 1 <= day <= 31:
        return None
    weekday = match.groupdict().get("weekday")
    return Mention(
        Kind.MONTHDAY,
        match.start(),
        match.end(),
        day=day,
        weekday=WEEKDAY_NUMBERS[weekday] if weekday else None,
    )


def _relative_word(match: re.Match[str]) -> Mention:
    return Mention(Kind.RELATIVE, match.start(), match.end(), amount=_RELATIVE_DAYS[match["word"]])


def _today(match: re.Match[str]) -> Mention:
    return Mention(Kind.RELATIVE, match.start(), match.end(), amount=0)


def _counted(sign: int) -> _Builder:
    """'3 giorni fa' (sign -1), 'tra due settimane' (sign +1)."""

    def build(match: re.Match[str]) -> Mention:
        return Mention(
            Kind.RELATIVE,
            match.start(),
            match.end(),
            amount=sign * _count(match["count"]),
            unit=_UNITS[match["unit"]],
        )

    return build


def _weekday(match: re.Match[str]) -> Mention:
    modifier = match["pre"] or match["post"]
    return Mention(
        Kind.WEEKDAY,
        match.start(),
        match.end(),
        weekday=WEEKDAY_NUMBERS[match["weekday"]],
        direction=_direction(modifier),
        this=_is_this(modifier),
    )


def _festivity(match: re.Match[str]) -> Mention:
    modifier = match["pre"] or match["post"]
    return Mention(
        Kind.FESTIVITY,
        match.start(),
        match.end(),
        name=match["name"],
        year=_year(match["year"]),
        direction=_direction(modifier),
        this=_is_this(modifier),
        eve=bool(match["eve"]),
    )


def _offset_builder(kind: Kind) -> _Builder:
    def build(match: re.Match[str]) -> Mention:
        modifier = match["pre"] or match["post"]
        return Mention(
            kind, match.start(), match.end(), amount=_direction(modifier), this=_is_this(modifier)
        )

    return build


def _last_week(match: re.Match[str]) -> Mention:
    return Mention(Kind.WEEK_OFFSET, match.start(), match.end(), amount=-1)


def _month(match: re.Match[str]) -> Mention:
    return Mention(
        Kind.MONTH,
        match.start(),
        match.end(),
        month=MONTH_NUMBERS[match["month"]],
        year=_year(match["year"]),
        direction=_direction(match["pre"] or match["post"]),
    )


def _year_mention(match: re.Match[str]) -> Mention:
    return Mention(Kind.YEAR, match.start(), match.end(), year=int(match["year"]))


def _season(match: re.Match[str]) -> Mention:
    modifier = match["pre"] or match["post"]
    return Mention(
        Kind.SEASON,
        match.start(),
        match.end(),
        name=match["season"],
        year=_year(match["year"]),
        direction=_direction(modifier),
        this=_is_this(modifier),
    )


def _uncertain(match: re.Match[str]) -> Mention:
    return Mention(Kind.UNCERTAIN, match.start(), match.end())


# "lunedi prossima settimana": "prossima" is about the week, not about the weekday.
_NO_DIR_AFTER = r"(?! settimana| mese| anno)"
_RULES: tuple[tuple[re.Pattern[str], _Builder], ...] = (
    # ISO first: 2026-03-12, 2026/3/12
    (_compile(r"\b(?P<year>\d{4})[-/.](?P<month>\d{1,2})[-/.](?P<day>\d{1,2})\b"), _numeric_date),
    (
        _compile(
            r"\b(?P<day>\d{1,2})[-/.](?P<month>\d{1,2})[-/.](?P<year>\d{4}|\d{2})\b(?![-/.]\d)"
        ),
        _numeric_date,
    ),
    (_compile(r"\b(?P<day>\d{1,2})[-/.](?P<month>\d{1,2})\b(?![-/.]\d)"), _numeric_date),
    (_compile(r"\b(?P<day>\d{1,2}) (?P<month>\d{1,2}) (?P<year>\d{4})\b"), _numeric_date),
    # "il 12 del 9", "il 12 del 3 2026" (as a date is said aloud): a day of a numbered month
    (
        _compile(
            r"\b(?P<day>\d{1,2}) (?:del|di) (?P<month>0?[1-9]|1[0-2])"
            r"(?: (?:del |dell anno |di |nel )?(?P<year>\d{4}))?\b(?![-/.:]\d| <NOT_A_DAY>)"
        ),
        _numeric_date,
    ),
    # "5 ottobre", "il 5 di ottobre 2025", "lo scorso 12 ottobre", "2 novembre scorso", "5 ott '25"
    (
        _compile(
            r"\b(?:(?P<pre><DIR>) )?(?P<day>\d{1,2}) (?:di |del mese di |del )?(?P<month><MONTH>)"
            r"(?: (?:del |dell anno |di |nel )?(?P<year>\d{4}|\d{2}\b(?! <NOT_A_DAY>)))?"
            r"(?: (?P<post><DIR>)" + _NO_DIR_AFTER + r")?\b"
        ),
        _worded_date,
    ),
    # "novembre 17", "settembre 12 2026": the other order, only at the end of the answer
    (
        _compile(r"\b(?P<month><MONTH>) (?P<day>\d{1,2})(?: (?P<year>\d{4}))?$"),
        _worded_date,
    ),
    # "il 10", "il giorno 3", "l 8", and a bare "10" as the whole answer
    (
        _compile(
            r"\b(?:il|l|lo|li|giorno|del|dell|data|addi)\s(?P<day>\d{1,2})\b(?![-/.:]\d)"
            r"(?! <NOT_A_DAY>)"
        ),
        _monthday,
    ),
    (_compile(r"^(?P<day>\d{1,2})$"), _monthday),
    # "giovedi 26": a day of an unnamed month, with its weekday as a check
    (
        _compile(
            r"\b(?P<weekday><WEEKDAY>) (?:il |l )?(?P<day>\d{1,2})\b(?![-/.:]\d)(?! <NOT_A_DAY>)"
        ),
        _monthday,
    ),
    # "ieri", "3 giorni fa", "tra due settimane"
    (_compile(rf"\b(?P<word>{_alternatives(_RELATIVE_DAYS)})\b"), _relative_word),
    (_compile(r"\b(?P<count><COUNT>) (?P<unit><UNIT>) (?:fa|or sono|addietro)\b"), _counted(-1)),
    # "2 ore fa", "mezz'ora fa", "poco fa": today (the time of day is not known here)
    (_compile(r"\b(?:(?:<COUNT>|mezz|mezza) or[ae]|poco|pochi minuti|\d+ minuti) fa\b"), _today),
    (_compile(r"\b(?:tra|fra) (?:circa )?(?P<count><COUNT>) (?P<unit><UNIT>)\b"), _counted(+1)),
    # "martedi", "lo scorso venerdi", "giovedi prossimo", "questo venerdi"
    (
        _compile(
            r"\b(?:(?P<pre><DIR>|<THIS>) )?(?P<weekday><WEEKDAY>)"
            r"(?: (?P<post><DIR>)" + _NO_DIR_AFTER + r")?\b"
        ),
        _weekday,
    ),
    # "natale", "la vigilia di natale", "lo scorso ferragosto", "pasqua 2025"
    (
        _compile(
            r"\b(?:(?P<pre><DIR>|<THIS>) )?(?:(?P<eve>vigilia) (?:di |del |dell )?)?"
            r"(?P<name><FESTIVITY>)(?: (?P<post><DIR>)" + _NO_DIR_AFTER + r")?"
            r"(?: (?:del |di |nel )?(?P<year>\d{4}))?\b"
        ),
        _festivity,
    ),
    # Contexts: weeks, months, years and seasons, which complete the partial days above.
    (
        _compile(
            r"\b(?:(?P<pre><DIR>|<THIS>) settimana|settimana (?P<post><DIR>|<THIS>|che viene))\b"
        ),
        _offset_builder(Kind.WEEK_OFFSET),
    ),
    (_compile(r"\bl altra settimana\b"), _last_week),
    (
        _compile(r"\b(?:(?P<pre><DIR>|<THIS>) mese|mese (?P<post><DIR>|<THIS>))\b"),
        _offset_builder(Kind.MONTH_OFFSET),
    ),
    (
        _compile(r"\b(?:(?P<pre><DIR>|<THIS>) anno|anno (?P<post><DIR>|<THIS>))\b"),
        _offset_builder(Kind.YEAR),
    ),
    (
        _compile(
            r"\b(?:(?P<pre><DIR>) )?(?P<month><MONTH>)"
            r"(?: (?:del |dell anno |di |nel )?(?P<year>\d{4}))?"
            r"(?: (?P<post><DIR>)" + _NO_DIR_AFTER + r")?\b"
        ),
        _month,
    ),
    (_compile(r"\b(?P<year>(?:19|20)\d{2})\b(?![-/.]\d)"), _year_mention),
    (
        _compile(
            r"\b(?:(?P<pre><DIR>|<THIS>) )?(?P<season><SEASON>)(?: (?P<post><DIR>)"
            + _NO_DIR_AFTER
            + r")?(?: (?:del |di |nel )?(?P<year>\d{4}))?\b"
        ),
        _season,
    ),
    # More than one day: ranges, alternatives, deadlines.
    (
        _compile(
            r"\b(?:dal|dall|da|tra|fra)\s(?:il |l )?\d{1,2}\b(?:[-/.]\d{1,2}(?:[-/.]\d{2,4})?)?"
            r"(?: <MONTH>)?(?: \d{4})? (?:al|all|a|e|fino al|fino all|fino a)\s(?:il |l )?\d{1,2}\b"
            r"(?:[-/.]\d{1,2}(?:[-/.]\d{2,4})?)?(?: <MONTH>)?(?: \d{4})?"
        ),
        _uncertain,
    ),
    (_compile(r"\b\d{1,2} ?(?:o|oppure|e|-) ?(?:il |l )?\d{1,2} <MONTH>"), _uncertain),
    (_compile(r"\b\d{1,3} ?(?:o|oppure|-|/) ?\d{1,3} <UNIT>"), _uncertain),
    (
        _compile(r"\b(?:entro|prima del|prima dell|prima della|prima di|dopo|a partire da\w*)\b"),
        _uncertain,
    ),
)


def _longest_matches(text: str) -> tuple[list[Mention], bool]:
    """Mentions in `text` that do not overlap, the longest first (ties: earlier rule).

    Also says whether a match lost to an overlapping longer one.
    """
    found: list[tuple[int, int, Mention]] = []
    for priority, (pattern, build) in enumerate(_RULES):
        for match in pattern.finditer(text):
            mention = build(match)
            if mention is not None:
                found.append((-(mention.end - mention.start), priority, mention))
    found.sort(key=lambda item: (item[0], item[1]))
    chosen: list[Mention] = []
    overlapped = False
    for _, _, mention in found:
        if all(mention.end <= other.start or mention.start >= other.end for other in chosen):
            chosen.append(mention)
        else:
            overlapped = True
    return chosen, overlapped


def find_mentions(text: str) -> list[Mention]:
    """Every mention in the normalised text; where two overlap the longer one wins.

    The text is read again with the chosen mentions blanked out, so that what a longer mention
    took away from a shorter one is found on its own: in "settimana scorsa martedi" the week
    takes "scorsa" and "martedi" is still a weekday.
    """
    chosen: list[Mention] = []
    masked = text
    while True:
        found, overlapped = _longest_matches(masked)
        chosen.extend(found)
        if not overlapped:
            break
        for mention in found:
            masked = (
                masked[: mention.start]
                + "#" * (mention.end - mention.start)
                + masked[mention.end :]
            )
    chosen.sort(key=lambda mention: mention.start)
    return chosen
