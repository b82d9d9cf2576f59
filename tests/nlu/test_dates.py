"""nlu.dates: one calendar day from an answer (parse_date, parse_date_time, parse_date_detail)."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from pathlib import Path

import pytest

from nlu.dates import DateReading, describe_date, parse_date, parse_date_detail, parse_date_time

TODAY = date(2026, 11, 24)  # a Tuesday, as in the evaluation sets
HERE = Path(__file__).parent
SHARED_EVAL = Path("/work/shared/eval")


def past(text: str, today: date = TODAY) -> date | None:
    return parse_date(text, today, "past")


def future(text: str, today: date = TODAY) -> date | None:
    return parse_date(text, today, "future")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("oggi", date(2026, 11, 24)),
        ("stamattina", date(2026, 11, 24)),
        ("ieri", date(2026, 11, 23)),
        ("ieri sera", date(2026, 11, 23)),
        ("l'altro ieri", date(2026, 11, 22)),
        ("l’altroieri", date(2026, 11, 22)),
        ("avant'ieri", date(2026, 11, 22)),
        ("ieri l'altro", date(2026, 11, 22)),
        ("3 giorni fa", date(2026, 11, 21)),
        ("quattro giorni fa", date(2026, 11, 20)),
        ("5 gg fa", date(2026, 11, 19)),
        ("una settimana fa", date(2026, 11, 17)),
        ("tre settimane fa", date(2026, 11, 3)),
        ("2 sett fa", date(2026, 11, 10)),
        ("un mese fa", date(2026, 10, 24)),
        ("un anno fa", date(2025, 11, 24)),
        ("3 settimane fà", date(2026, 11, 3)),
    ],
)
def test_relative_days(text: str, expected: date) -> None:
    assert past(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("domani", date(2026, 11, 25)),
        ("domattina", date(2026, 11, 25)),
        ("dopodomani", date(2026, 11, 26)),
        ("dopo domani", date(2026, 11, 26)),
        ("tra 5 giorni", date(2026, 11, 29)),
        ("fra una settimana", date(2026, 12, 1)),
        ("tra due settimane", date(2026, 12, 8)),
        ("tra 2 sett", date(2026, 12, 8)),
        ("tra un mese", date(2026, 12, 24)),
    ],
)
def test_relative_future_days(text: str, expected: date) -> None:
    assert future(text) == expected


def test_words_win_over_the_preference() -> None:
    """'domani' is tomorrow even when asking about the past: the dialog checks the range."""
    assert past("domani") == date(2026, 11, 25)
    assert future("ieri") == date(2026, 11, 23)
    assert future("martedì scorso") == date(2026, 11, 17)
    assert past("lunedì prossimo") == date(2026, 11, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mercoledì", date(2026, 11, 18)),
        ("martedi", date(2026, 11, 17)),  # today's weekday: the one a week ago
        ("giovedì scorso", date(2026, 11, 19)),
        ("GIOVEDI SCORSO", date(2026, 11, 19)),
        ("lunedi' scorso", date(2026, 11, 23)),
        ("lo scorso venerdì", date(2026, 11, 20)),
        ("venerdi passato", date(2026, 11, 20)),
        ("domenica scorsa", date(2026, 11, 22)),
        ("settimana scorsa martedì", date(2026, 11, 17)),
        ("martedì della settimana scorsa", date(2026, 11, 17)),
        ("la scorsa settimana, di giovedì", date(2026, 11, 19)),
        ("lunedì di questa settimana", date(2026, 11, 23)),
        ("mertedì scorso", date(2026, 11, 17)),
    ],
)
def test_weekdays_in_the_past(text: str, expected: date) -> None:
    assert past(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("giovedì", date(2026, 11, 26)),
        ("martedì", date(2026, 12, 1)),
        ("venerdì prossimo", date(2026, 11, 27)),
        ("il prossimo lunedì", date(2026, 11, 30)),
        ("giovedì della prossima settimana", date(2026, 12, 3)),
        ("la settimana prossima martedì", date(2026, 12, 1)),
        ("questo venerdì", date(2026, 11, 27)),
    ],
)
def test_weekdays_in_the_future(text: str, expected: date) -> None:
    assert future(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("il 2 marzo", date(2026, 3, 2)),
        ("25 dicembre", date(2025, 12, 25)),  # not after today: last year's
        ("il 24 novembre", date(2026, 11, 24)),  # today itself
        ("5 ott", date(2026, 10, 5)),
        ("il 5 nov.", date(2026, 11, 5)),
        ("14 sett.", date(2026, 9, 14)),
        ("primo settembre", date(2026, 9, 1)),
        ("il 1° ottobre", date(2026, 10, 1)),
        ("1°ottobre", date(2026, 10, 1)),
        ("l'8 marzo", date(2026, 3, 8)),
        ("dodici marzo", date(2026, 3, 12)),
        ("ventuno ottobre", date(2026, 10, 21)),
        ("il trenta settembre", date(2026, 9, 30)),
        ("il 9 di luglio", date(2026, 7, 9)),
        ("12 setembre", date(2026, 9, 12)),
        ("7 ottombre", date(2026, 10, 7)),
        ("20 febraio", date(2026, 2, 20)),
        ("il 5 marco", date(2026, 3, 5)),
        ("8bre", None),  # a month alone is no day
        ("il 5 8bre", date(2026, 10, 5)),
        ("5 ottobre 2025", date(2025, 10, 5)),
        ("il 5 novembre 2025", date(2025, 11, 5)),
        ("5 ottobre '25", date(2025, 10, 5)),
        ("lo scorso 12 ottobre", date(2026, 10, 12)),
        ("2 novembre scorso", date(2026, 11, 2)),
        ("il 5 ottobre dell'anno scorso", date(2025, 10, 5)),
    ],
)
def test_day_and_month(text: str, expected: date | None) -> None:
    assert past(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("il 15 dicembre", date(2026, 12, 15)),
        ("20 febbraio", date(2027, 2, 20)),
        ("15 gennaio", date(2027, 1, 15)),
        ("il 24 novembre", date(2026, 11, 24)),
    ],
)
def test_day_and_month_in_the_future(text: str, expected: date) -> None:
    assert future(text) == expected


@pytest.mark.parametrize(
    ("text", "prefer", "expected"),
    [
        ("02/03/2026", "past", date(2026, 3, 2)),
        ("2-3-26", "past", date(2026, 3, 2)),
        ("12.03.26", "past", date(2026, 3, 12)),
        ("12-03-2026", "past", date(2026, 3, 12)),
        ("2026-03-12", "past", date(2026, 3, 12)),
        ("16 11 2026", "past", date(2026, 11, 16)),
        ("12/3", "past", date(2026, 3, 12)),
        ("12 / 3", "past", date(2026, 3, 12)),
        ("12.3", "past", date(2026, 3, 12)),
        ("28/12", "past", date(2025, 12, 28)),
        ("15/12", "future", date(2026, 12, 15)),
        ("12/1", "future", date(2027, 1, 12)),
    ],
)
def test_numeric_dates(text: str, prefer: str, expected: date) -> None:
    assert parse_date(text, TODAY, prefer) == expected


@pytest.mark.parametrize(
    ("text", "prefer", "expected"),
    [
        ("il 10", "past", date(2026, 11, 10)),
        ("10", "past", date(2026, 11, 10)),
        ("il giorno 3", "past", date(2026, 11, 3)),
        ("il 30", "past", date(2026, 10, 30)),
        ("il 31", "past", date(2026, 10, 31)),  # November has no 31st
        ("il 10", "future", date(2026, 12, 10)),
        ("il 30", "future", date(2026, 11, 30)),
        ("il mese scorso il 5", "past", date(2026, 10, 5)),
        ("il 5 del mese scorso", "past", date(2026, 10, 5)),
        ("il 15 di questo mese", "past", date(2026, 11, 15)),
        ("il 3 del mese prossimo", "future", date(2026, 12, 3)),
        ("a ottobre, il 5", "past", date(2026, 10, 5)),
    ],
)
def test_day_of_an_unnamed_month(text: str, prefer: str, expected: date) -> None:
    assert parse_date(text, TODAY, prefer) == expected


@pytest.mark.parametrize(
    ("text", "prefer", "expected"),
    [
        ("martedì 1 dicembre", "future", date(2026, 12, 1)),
        ("martedì 17 novembre", "past", date(2026, 11, 17)),
        ("lunedi 16/11", "past", date(2026, 11, 16)),
        ("Venerdì 20/11/2026", "past", date(2026, 11, 20)),
        ("giovedì 19", "past", date(2026, 11, 19)),
        ("mercoledì 2", "future", date(2026, 12, 2)),
        ("mar 17 nov", "past", date(2026, 11, 17)),
        ("ieri, lunedì", "past", date(2026, 11, 23)),
        # The weekday picks the year: 1/12/2025 was a Monday, 1/12/2026 is a Tuesday.
        ("lunedì 1 dicembre", "past", date(2025, 12, 1)),
        ("lunedì 1 dicembre", "future", None),
        ("lunedì 31 ottobre", "past", None),  # neither this year's nor last year's
        ("ieri, martedì", "past", None),  # yesterday was a Monday
        ("mercoledì 20/11/2026", "past", None),
    ],
)
def test_a_weekday_next_to_a_date_checks_it(text: str, prefer: str, expected: date | None) -> None:
    assert parse_date(text, TODAY, prefer) == expected


@pytest.mark.parametrize(
    ("text", "prefer", "expected"),
    [
        ("natale", "past", date(2025, 12, 25)),
        ("a natale", "future", date(2026, 12, 25)),
        ("la vigilia di natale", "past", date(2025, 12, 24)),
        ("la vigilia", "future", date(2026, 12, 24)),
        ("santo stefano", "past", date(2025, 12, 26)),
        ("capodanno", "past", date(2026, 1, 1)),
        ("capodanno", "future", date(2027, 1, 1)),
        ("ferragosto", "past", date(2026, 8, 15)),
        ("il giorno di ferragosto", "past", date(2026, 8, 15)),
        ("natale 2024", "past", date(2024, 12, 25)),
        ("lo scorso natale", "future", date(2025, 12, 25)),
        ("l'epifania", "past", date(2026, 1, 6)),
        ("pasqua", "past", date(2026, 4, 5)),
        ("pasquetta", "past", date(2026, 4, 6)),
        ("san silvestro", "future", date(2026, 12, 31)),
    ],
)
def test_festivities(text: str, prefer: str, expected: date) -> None:
    assert parse_date(text, TODAY, prefer) == expected


@pytest.mark.parametrize(
    "text",
    [
        "la visita era il 3/11",
        "sono andato dal medico il 3 novembre",
        "Il 3 novembre ho fatto la visita",
        "visita fatta il 3 novembre scorso",
        "il 3 novembre, credo",
        "era martedì 3",
    ],
)
def test_a_date_inside_a_sentence(text: str) -> None:
    assert past(text) == date(2026, 11, 3)


@pytest.mark.parametrize(
    "text",
    [
        # vague: a month, a week, a year, a part of a month
        "ottobre 2025",
        "a ottobre",
        "fine ottobre",
        "a fine ottobre",
        "inizio novembre",
        "metà settembre",
        "fine mese",
        "la prossima settimana",
        "la settimana scorsa",
        "il mese scorso",
        "l'anno scorso",
        "quest'anno",
        "2025",
        "il weekend scorso",
        "qualche giorno fa",
        "un paio di giorni fa",
        "una decina di giorni fa",
        "settimane fa",
        # several days
        "dal 3 al 5 novembre",
        "tra il 3 e il 5 novembre",
        "il 3 o il 4 novembre",
        "10-12 novembre",
        "3 o 4 giorni fa",
        "martedì o mercoledì",
        "ieri o l'altro ieri",
        "entro il 10 dicembre",
        "dopo natale",
        "prima del 5",
        # impossible
        "31/02",
        "13/13",
        "99/99",
        "30 febbraio",
        "29 febbraio 2026",
        "32 ottobre",
        "31 novembre",
        "0/5",
        "00/00/0000",
        "29/02/2026",
        # no date at all
        "boh",
        "non so",
        "non mi ricordo",
        "",
        "   ",
        "ok",
        "1 2",
    ],
)
def test_refusals(text: str) -> None:
    assert past(text) is None
    assert future(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("novembre 17", date(2026, 11, 17)),
        ("settembre 12 2025", date(2025, 9, 12)),
        ("il 12 del 9", date(2026, 9, 12)),
        ("2 ore fa", date(2026, 11, 24)),
        ("mezz'ora fa", date(2026, 11, 24)),
        ("diciassette novembre duemilaventisei", date(2026, 11, 17)),
        ("il 12 u.s.", date(2026, 11, 12)),
        ("il 3 c.m.", date(2026, 11, 3)),
        ("12NOV", date(2026, 11, 12)),
        ("il 5 del 2025", None),  # a year, but which month?
    ],
)
def test_less_common_forms(text: str, expected: date | None) -> None:
    assert past(text) == expected


def test_a_day_without_a_year_that_needs_a_leap_year() -> None:
    assert past("29 febbraio") == date(2024, 2, 29)
    assert future("29/2") == date(2028, 2, 29)


@pytest.mark.parametrize(
    ("text", "today", "prefer", "expected"),
    [
        ("il 28 dicembre", date(2026, 1, 3), "past", date(2025, 12, 28)),
        ("lunedì scorso", date(2026, 1, 3), "past", date(2025, 12, 29)),
        ("il 20", date(2026, 1, 3), "past", date(2025, 12, 20)),
        ("il 30", date(2026, 3, 2), "past", date(2026, 1, 30)),  # February has no 30th
        ("un mese fa", date(2026, 3, 31), "past", date(2026, 2, 28)),
        ("lunedì prossimo", date(2026, 1, 3), "future", date(2026, 1, 5)),
        ("il 2", date(2026, 1, 3), "future", date(2026, 2, 2)),
        ("la settimana scorsa lunedì", date(2026, 5, 31), "past", date(2026, 5, 18)),
    ],
)
def test_other_todays(text: str, today: date, prefer: str, expected: date) -> None:
    assert parse_date(text, today, prefer) == expected


def test_a_datetime_for_today_counts_as_its_day() -> None:
    assert parse_date("ieri", datetime(2026, 11, 24, 23, 59)) == date(2026, 11, 23)


def test_english_answers_fall_back_to_dateparser() -> None:
    assert past("yesterday") == date(2026, 11, 23)
    assert past("3 days ago") == date(2026, 11, 21)
    assert past("next week") is None  # vague in any language


def test_an_unknown_preference_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="prefer"):
        parse_date("ieri", TODAY, "presto")


@pytest.mark.parametrize(
    ("text", "prefer", "expected"),
    [
        ("ieri alle 15:30", "past", (date(2026, 11, 23), time(15, 30))),
        ("il 4 alle 11", "future", (date(2026, 12, 4), time(11, 0))),
        ("5/11 alle 10", "past", (date(2026, 11, 5), time(10, 0))),
        ("4/12/2026 ore 8.30", "future", (date(2026, 12, 4), time(8, 30))),
        ("il 5 dic. h 11", "future", (date(2026, 12, 5), time(11, 0))),
        ("alle 9 del 2 novembre", "past", (date(2026, 11, 2), time(9, 0))),
        ("ieri 15.30", "past", (date(2026, 11, 23), time(15, 30))),
        ("alle 3 del pomeriggio di ieri", "past", (date(2026, 11, 23), time(15, 0))),
        ("il 19 alle 8 e mezza", "past", (date(2026, 11, 19), time(8, 30))),
        ("domani a mezzogiorno", "future", (date(2026, 11, 25), time(12, 0))),
        ("oggi all'una", "future", (date(2026, 11, 24), time(1, 0))),
        ("martedì scorso", "past", (date(2026, 11, 17), None)),
        ("12.03.25", "past", (date(2025, 3, 12), None)),  # a date, not 03:25
    ],
)
def test_times_are_returned_apart(
    text: str, prefer: str, expected: tuple[date, time | None]
) -> None:
    assert parse_date_time(text, TODAY, prefer) == expected


@pytest.mark.parametrize(
    ("text", "literal"),
    [
        ("5 ottobre 2025", True),
        ("05/10/2025", True),
        ("2025-10-05", True),
        ("5 ottobre", False),
        ("5/10", False),
        ("martedì scorso", False),
        ("ieri", False),
        ("il 5", False),
        ("natale", False),
    ],
)
def test_literal_only_when_day_month_and_year_are_written(text: str, literal: bool) -> None:
    reading = parse_date_detail(text, TODAY, "past")
    assert reading is not None
    assert reading.literal is literal


def test_detail_of_a_refusal_is_none() -> None:
    assert parse_date_detail("fine mese", TODAY, "future") is None
    assert parse_date_time("boh", TODAY) is None


def test_reading_fields() -> None:
    assert parse_date_detail("ieri alle 9", TODAY) == DateReading(
        day=date(2026, 11, 23), time=time(9, 0), literal=False
    )


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2026, 11, 17), "martedì 17 novembre 2026"),
        (date(2027, 1, 1), "venerdì 1 gennaio 2027"),
        (date(2026, 8, 15), "sabato 15 agosto 2026"),
    ],
)
def test_describe_date(day: date, text: str) -> None:
    assert describe_date(day) == text


def _score(path: Path) -> float:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    good = 0
    for row in rows:
        got = parse_date(row["text"], date.fromisoformat(row["today"]), row["prefer"])
        good += (got is None and not row["expect"]) or (
            got is not None and got.isoformat() in row["expect"]
        )
    return good / len(rows)


def test_held_out_answers_meet_the_target() -> None:
    assert _score(HERE / "dates_holdout.jsonl") >= 0.97


@pytest.mark.skipif(not (SHARED_EVAL / "dates.dev.jsonl").exists(), reason="no shared eval set")
def test_dev_answers_meet_the_target() -> None:
    assert _score(SHARED_EVAL / "dates.dev.jsonl") >= 0.97


@pytest.mark.parametrize(("text", "day"), [
    ("dieci del undici duemilaventisei", date(2026, 11, 10)),
    ("il 12 del 3 del 2025", date(2025, 3, 12)),
    ("il tre del dodici duemilaventisei alle nove e trenta", date(2026, 12, 3)),
])
def test_a_numbered_month_with_its_year_is_written_in_full(text: str, day: date) -> None:
    reading = parse_date_detail(text, TODAY, "future")
    assert reading is not None and reading.day == day and reading.literal
