"""nlu.language: which language a chat message is written in, asked for, and the turn's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlu.language import (
    asked_for,
    babel_locale,
    chosen,
    current,
    detect,
    only_asks_for_language,
    score,
    speaking,
)

HERE = Path(__file__).parent


def test_the_development_set_is_read_without_wrong_languages_or_switches() -> None:
    """tests/nlu/language_dev.jsonl (`medbot eval language`): no message is given the wrong
    language, none of "ok", "si", a name, a number, a code gets one; the rest at most a few
    short Italian messages left undecided (which keep the conversation's language)."""
    with (HERE / "language_dev.jsonl").open(encoding="utf-8") as lines:
        result = score(json.loads(line) for line in lines if line.strip())
    assert result.lines >= 150
    assert result.wrong_language == 0, result.misses
    assert result.switched_on_neutral == 0, result.misses
    assert result.accuracy >= 0.95, result.misses


@pytest.mark.parametrize(
    ("text", "language"),
    [("I need a refund for my son's eye exam", "en"), ("i want to cancel this request", "en"),
     ("vorrei un rimborso per la visita di mio figlio", "it"), ("a che punto è la pratica?", "it"),
     ("ok", None), ("si", None), ("Luca", None), ("26000112", None), ("80 euro", None),
     ("IT60X0542811101000000123456", None), ("yes", None), ("vorrei un refund", "it"),
     ("I rimborsi di Anna", "it"), ("status della pratica", "it")],
)
def test_detect(text: str, language: str | None) -> None:
    assert detect(text) == language


@pytest.mark.parametrize(
    ("text", "language"),
    [("in English please", "en"), ("english", "en"), ("English?", "en"),
     ("can you speak english?", "en"), ("parla inglese", "en"), ("in inglese per favore", "en"),
     ("parla italiano", "it"), ("in italiano", "it"), ("italian please", "it"),
     ("I don't speak Italian", "en"), ("non parlo inglese", "it"), ("ok", None),
     ("I need a refund for my son's visit, I work for an English company", None)],
)
def test_asked_for(text: str, language: str | None) -> None:
    assert asked_for(text) == language


def test_only_a_request_for_the_language_is_told_apart() -> None:
    assert only_asks_for_language("in English please")
    assert only_asks_for_language("hello, do you speak english?")
    assert only_asks_for_language("parla italiano per favore")
    assert not only_asks_for_language("english please, I need a refund")


def test_the_conversation_keeps_its_language_on_neutral_messages() -> None:
    assert chosen("en", "ok") == "en" and chosen("en", "Luca") == "en"
    assert chosen("en", "12/03/2026") == "en" and chosen("en", None) == "en"
    assert chosen("it", "where is my refund?") == "en"
    assert chosen("en", "parla italiano") == "it"
    assert chosen("en", "vorrei sapere a che punto è la pratica") == "it"


def test_the_turns_language() -> None:
    assert current() == "it" and babel_locale() == "it_IT"
    with speaking("en"):
        assert current() == "en" and babel_locale() == "en_GB"
    with speaking("xx"):  # unknown: Italian
        assert current() == "it"
    assert current() == "it"


def test_remembered_formats_follow_the_turns_language() -> None:
    """Days and amounts are remembered per language: the same value asked again in the
    other language is written in that language, not as it was remembered."""
    from datetime import date
    from decimal import Decimal

    from dialogs.archive._format import day
    from nlu.dates import describe_date
    from nlu.money import format_amount

    when, amount = date(2026, 11, 17), Decimal("1234.5")
    italian = (describe_date(when), day(when), format_amount(amount))
    with speaking("en"):
        english = (describe_date(when), day(when), format_amount(amount))
    assert italian == ("martedì 17 novembre 2026", "17 novembre 2026", "€ 1.234,50")
    assert english[0] == "Tuesday 17 November 2026" and english[1] == "17 November 2026"
    assert english[2] != italian[2]
    assert (describe_date(when), day(when), format_amount(amount)) == italian
