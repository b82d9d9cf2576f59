"""Typed answers matched to choices, yes/no, and navigation commands."""

from __future__ import annotations

import pytest

from dialogs.matching import command_in, keeps_previous, match_choice, yes_or_no

PEOPLE = ["Io, Mario Rossi", "Anna Rossi", "Luca Rossi", "Marco Rossi"]
ALIASES = [("io", "me", "mario"), ("anna", "mia moglie"), ("luca",), ("marco",)]


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("luca", 2),
        ("Luca Rossi", 2),
        ("LUCA", 2),
        ("lcua", 2),
        ("la seconda", 1),
        ("2", 1),
        ("il primo", 0),
        ("l'ultimo", 3),
        ("io", 0),
        ("per me", 0),
        ("mia moglie", 1),
        ("Marco", 3),
        ("mio figlio marco", 3),
    ],
)
def test_typed_answer_picks_the_option(text: str, index: int) -> None:
    assert match_choice(text, PEOPLE, ALIASES) == index


@pytest.mark.parametrize("text", ["rossi", "boh", "7", "quinto", "🙂", "", "   "])
def test_ambiguous_or_unknown_answers_pick_nothing(text: str) -> None:
    assert match_choice(text, PEOPLE, ALIASES) is None


def test_years_match_their_label() -> None:
    assert match_choice("2025", ["2026", "2025"]) == 1
    assert match_choice("2024", ["2026", "2025"]) is None


@pytest.mark.parametrize("text", ["sì", "si", "Si certo", "ok", "confermo", "va bene", "esatto"])
def test_yes(text: str) -> None:
    assert yes_or_no(text) is True


@pytest.mark.parametrize("text", ["no", "No grazie", "non confermo", "sbagliato"])
def test_no(text: str) -> None:
    assert yes_or_no(text) is False


@pytest.mark.parametrize("text", ["forse", "luca", "12/3"])
def test_neither_yes_nor_no(text: str) -> None:
    assert yes_or_no(text) is None


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("annulla", "cancel"),
        ("Annulla!", "cancel"),
        ("lascia perdere", "cancel"),
        ("indietro", "back"),
        ("torna indietro", "back"),
        ("aiuto", "help"),
        ("non ho capito", "help"),
        ("ricomincia", "restart"),
        ("voglio parlare con un operatore", None),
        ("operatore", "human"),
        ("per favore indietro", "back"),
    ],
)
def test_commands(text: str, command: str | None) -> None:
    assert command_in(text) == command


def test_a_long_note_mentioning_annulla_is_not_a_command() -> None:
    assert command_in("la fattura annulla e sostituisce la precedente del 3 marzo") is None


@pytest.mark.parametrize("text", [
    "lascia", "Lascia così", "va bene così", "uguale", "lo stesso", "la stessa", "le stesse date",
    "come prima", "lascia pure", "tienilo", "no lascia com'è", "non cambiare nulla",
    "quella di prima", "invariato",
])
def test_keep_is_said_in_words(text: str) -> None:
    assert keeps_previous(text)


@pytest.mark.parametrize("text", [
    "va bene", "7, 9 e 11 dicembre", "la mattina", "lascia stare", "90", "resta",
    "la stessa cosa che ti ho detto ma alle 17", "giovedì 10 dicembre ore 17",
])
def test_an_answer_is_not_a_keep(text: str) -> None:
    assert not keeps_previous(text)


@pytest.mark.parametrize(("text", "command"), [
    ("lascia perdere annulla tutto", "cancel"),  # said twice over, no comma
    ("no no, annulla", "cancel"),
    ("ehm dunque annulla", "cancel"),
    ("lasciamo stare", "cancel"),
    ("basta così, annulla tutto", "cancel"),
    ("torna indietro ho sbagliato", "back"),
    ("no aspetta, torna indietro per favore", "back"),
    ("mi sono sbagliata", "back"),
    ("torniamo indietro", "back"),
    ("ricominciamo da capo", "restart"),
    ("annulla e torna indietro", None),  # two commands: neither guessed
    ("ho sbagliato, era per Luca", None),  # a correction, not a step back
    ("annulla la visita del 12 marzo e torna indietro", None),
])
def test_commands_as_said(text: str, command: str | None) -> None:
    assert command_in(text) == command


@pytest.mark.parametrize(("text", "verdict"), [
    ("è giusto", True), ("e giusto", True), ("ehm sì", True), ("non è giusto", False),
])
def test_yes_and_no_as_said(text: str, verdict: bool) -> None:
    assert yes_or_no(text) is verdict
