"""nlu.dates.parse_period: the inclusive (start, end) of a status question."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from nlu.dates import parse_period

TODAY = date(2026, 11, 24)  # a Tuesday
HERE = Path(__file__).parent
SHARED_EVAL = Path("/work/shared/eval")


def span(start: str, end: str) -> tuple[date, date]:
    return date.fromisoformat(start), date.fromisoformat(end)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a marzo", span("2026-03-01", "2026-03-31")),
        ("a ottobre", span("2026-10-01", "2026-10-31")),
        ("novembre", span("2026-11-01", "2026-11-30")),  # this month, the whole of it
        ("a dicembre", span("2025-12-01", "2025-12-31")),  # the last one that has begun
        ("ad aprile", span("2026-04-01", "2026-04-30")),
        ("a setembre", span("2026-09-01", "2026-09-30")),
        ("nel mese di agosto", span("2026-08-01", "2026-08-31")),
        ("le mie richieste di ottobre", span("2026-10-01", "2026-10-31")),
        ("ottobre 2025", span("2025-10-01", "2025-10-31")),
        ("feb 2026", span("2026-02-01", "2026-02-28")),
        ("ottobre scorso", span("2026-10-01", "2026-10-31")),
        ("novembre scorso", span("2025-11-01", "2025-11-30")),  # the last one that has ended
        ("agosto dell'anno scorso", span("2025-08-01", "2025-08-31")),
        ("nel 2025 a ottobre", span("2025-10-01", "2025-10-31")),
    ],
)
def test_months(text: str, expected: tuple[date, date]) -> None:
    assert parse_period(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("la settimana scorsa", span("2026-11-16", "2026-11-22")),
        ("settimana passata", span("2026-11-16", "2026-11-22")),
        ("questa settimana", span("2026-11-23", "2026-11-29")),
        ("la settimana prossima", span("2026-11-30", "2026-12-06")),
        ("il mese scorso", span("2026-10-01", "2026-10-31")),
        ("lo scorso mese", span("2026-10-01", "2026-10-31")),
        ("questo mese", span("2026-11-01", "2026-11-30")),
        ("mese in corso", span("2026-11-01", "2026-11-30")),
        ("quest'anno", span("2026-01-01", "2026-12-31")),
        ("l'anno scorso", span("2025-01-01", "2025-12-31")),
        ("nel 2024", span("2024-01-01", "2024-12-31")),
        ("pratiche del 2025", span("2025-01-01", "2025-12-31")),
        ("2 mesi fa", span("2026-09-01", "2026-09-30")),
    ],
)
def test_weeks_months_and_years(text: str, expected: tuple[date, date]) -> None:
    assert parse_period(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("negli ultimi 7 giorni", span("2026-11-17", "2026-11-24")),
        ("negli ultimi 30 giorni", span("2026-10-25", "2026-11-24")),
        ("ultimi 7 gg", span("2026-11-17", "2026-11-24")),
        ("negli ultimi tre mesi", span("2026-08-24", "2026-11-24")),
        ("nell'ultimo mese", span("2026-10-24", "2026-11-24")),
        ("nell'ultima settimana", span("2026-11-17", "2026-11-24")),
        ("nelle ultime due settimane", span("2026-11-10", "2026-11-24")),
        ("nell'ultimo anno", span("2025-11-24", "2026-11-24")),
        ("da 3 mesi", span("2026-08-24", "2026-11-24")),
        ("nei prossimi 10 giorni", span("2026-11-24", "2026-12-04")),
    ],
)
def test_the_last_n_units(text: str, expected: tuple[date, date]) -> None:
    assert parse_period(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("da settembre", span("2026-09-01", "2026-11-24")),
        ("da agosto", span("2026-08-01", "2026-11-24")),
        ("da ottobre 2025", span("2025-10-01", "2026-11-24")),
        ("dal 10 ottobre", span("2026-10-10", "2026-11-24")),
        ("dal 1° settembre ad oggi", span("2026-09-01", "2026-11-24")),
        ("da lunedì", span("2026-11-23", "2026-11-24")),
        ("da inizio anno", span("2026-01-01", "2026-11-24")),
        ("dall'inizio del mese", span("2026-11-01", "2026-11-24")),
        ("dopo il 10 novembre", span("2026-11-11", "2026-11-24")),
        ("dopo ottobre", span("2026-11-01", "2026-11-24")),
        ("prima di giugno", span("2026-01-01", "2026-05-31")),
        ("prima del 10 marzo", span("2026-01-01", "2026-03-09")),
        ("prima di dicembre", span("2026-01-01", "2026-11-30")),  # this year's December
        ("fino a ottobre", span("2026-01-01", "2026-10-31")),
    ],
)
def test_since_and_before(text: str, expected: tuple[date, date]) -> None:
    assert parse_period(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("dal 1 al 15 ottobre", span("2026-10-01", "2026-10-15")),
        ("dal 1° al 15 ottobre", span("2026-10-01", "2026-10-15")),
        ("dal 20 settembre al 5 ottobre", span("2026-09-20", "2026-10-05")),
        ("dal 3/10 al 5/11", span("2026-10-03", "2026-11-05")),
        ("tra il 3 e il 10 novembre", span("2026-11-03", "2026-11-10")),
        ("tra agosto e settembre", span("2026-08-01", "2026-09-30")),
        ("da agosto a ottobre", span("2026-08-01", "2026-10-31")),
        ("da dicembre a febbraio", span("2025-12-01", "2026-02-28")),
        ("tra natale e capodanno", span("2025-12-25", "2026-01-01")),
        ("ottobre e novembre", span("2026-10-01", "2026-11-30")),
        ("settembre-ottobre", span("2026-09-01", "2026-10-31")),
        ("luglio/agosto", span("2026-07-01", "2026-08-31")),
        ("tra ottobre e novembre del 2025", span("2025-10-01", "2025-11-30")),
    ],
)
def test_ranges(text: str, expected: tuple[date, date]) -> None:
    assert parse_period(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in estate", span("2026-06-01", "2026-08-31")),
        ("quest'estate", span("2026-06-01", "2026-08-31")),
        ("l'estate scorsa", span("2026-06-01", "2026-08-31")),  # the last one that has ended
        ("estate 2025", span("2025-06-01", "2025-08-31")),
        ("in primavera", span("2026-03-01", "2026-05-31")),
        ("l'inverno scorso", span("2025-12-01", "2026-02-28")),
        ("in autunno", span("2026-09-01", "2026-11-30")),
    ],
)
def test_seasons(text: str, expected: tuple[date, date]) -> None:
    assert parse_period(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a fine ottobre", span("2026-10-21", "2026-10-31")),
        ("inizio novembre", span("2026-11-01", "2026-11-10")),
        ("la prima settimana di ottobre", span("2026-10-01", "2026-10-07")),
        ("l'ultima settimana di ottobre", span("2026-10-25", "2026-10-31")),
        ("la settimana del 9 novembre", span("2026-11-09", "2026-11-15")),
        ("nel primo trimestre", span("2026-01-01", "2026-03-31")),
        ("il secondo semestre del 2025", span("2025-07-01", "2025-12-31")),
    ],
)
def test_parts_of_months_and_years(text: str, expected: tuple[date, date]) -> None:
    assert parse_period(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ieri", span("2026-11-23", "2026-11-23")),
        ("oggi", span("2026-11-24", "2026-11-24")),
        ("il 5 novembre", span("2026-11-05", "2026-11-05")),
        ("martedì scorso", span("2026-11-17", "2026-11-17")),
    ],
)
def test_a_single_day(text: str, expected: tuple[date, date]) -> None:
    assert parse_period(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("il mese scorso", date(2026, 1, 3), span("2025-12-01", "2025-12-31")),
        ("la settimana scorsa", date(2026, 1, 3), span("2025-12-22", "2025-12-28")),
        ("questa settimana", date(2026, 1, 3), span("2025-12-29", "2026-01-04")),
        ("a settembre", date(2026, 7, 15), span("2025-09-01", "2025-09-30")),
        ("l'estate scorsa", date(2026, 7, 15), span("2025-06-01", "2025-08-31")),
        ("quest'estate", date(2026, 7, 15), span("2026-06-01", "2026-08-31")),
    ],
)
def test_other_todays(text: str, today: date, expected: tuple[date, date]) -> None:
    assert parse_period(text, today) == expected


@pytest.mark.parametrize(
    "text",
    [
        "boh",
        "",
        "negli ultimi giorni",
        "gli ultimi mesi",
        "di recente",
        "31/02",
        "rimborso per Marco",
    ],
)
def test_refusals(text: str) -> None:
    assert parse_period(text, TODAY) is None


def test_a_place_after_da_is_not_the_start_of_a_range() -> None:
    assert parse_period("visita dal dentista a ottobre", TODAY) == span("2026-10-01", "2026-10-31")


def _score(path: Path) -> float:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    good = 0
    for row in rows:
        got = parse_period(row["text"], date.fromisoformat(row["today"]))
        good += got == span(row["start"], row["end"])
    return good / len(rows)


def test_held_out_questions_meet_the_target() -> None:
    assert _score(HERE / "periods_holdout.jsonl") >= 0.95


@pytest.mark.skipif(not (SHARED_EVAL / "periods.dev.jsonl").exists(), reason="no shared eval set")
def test_dev_questions_meet_the_target() -> None:
    assert _score(SHARED_EVAL / "periods.dev.jsonl") >= 0.95


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("il trimestre scorso", span("2026-07-01", "2026-09-30")),
        ("questo trimestre", span("2026-10-01", "2026-12-31")),
        ("dal 10 al 20 del mese scorso", span("2026-10-10", "2026-10-20")),
        ("ieri e oggi", span("2026-11-23", "2026-11-24")),
        ("marzo, aprile e maggio", span("2026-03-01", "2026-05-31")),
        ("dopo il 2024", span("2025-01-01", "2026-11-24")),
    ],
)
def test_more_forms(text: str, expected: tuple[date, date]) -> None:
    assert parse_period(text, TODAY) == expected


def test_before_a_whole_year_has_no_start() -> None:
    assert parse_period("prima del 2026", TODAY) is None
