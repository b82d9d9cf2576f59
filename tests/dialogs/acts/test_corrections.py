"""Corrections and removals read from words, several wordings per family."""

from __future__ import annotations

import pytest

from dialogs.acts import find_correction, find_removal


@pytest.mark.parametrize(("text", "field", "value"), [
    ("anzi era per Luca", "person", "Luca"),
    ("no, era per mia moglie", "person", "mia moglie"),
    ("scusa, la visita era per Anna", "person", "Anna"),
    ("anzi per Marco", "person", "Marco"),
    ("era per mio figlio", "person", "mio figlio"),
    ("ho sbagliato l'importo, erano 90", "amount", "90"),
    ("scusa l'importo è 85,50", "amount", "85,50"),
    ("l'importo giusto è 45 euro", "amount", "45 euro"),
    ("cambia la data in 3 novembre", "date", "3 novembre"),
    ("la data era il 3", "date", "il 3"),
    ("mi sono sbagliato, la data era il 12 novembre", "date", "il 12 novembre"),
    ("correggi il numero: FT 99/A", "number", "FT 99/A"),
    ("cambia la nota in: Pagato in contanti", "notes", "Pagato in contanti"),
    ("anzi la prestazione era una visita oculistica", "service", "una visita oculistica"),
    ("ops, ho messo l'importo sbagliato: sono 95 euro", "amount", "95 euro"),
    ("errore mio, la data giusta è 9/11/2026", "date", "9/11/2026"),
    ("puoi correggere la data? era il 4", "date", "il 4"),
    ("la visita l'ha fatta mia moglie", "person", "mia moglie"),
    ("perdona, la cifra corretta è 75", "amount", "75"),
    ("rettifico: importo 110 euro", "amount", "110 euro"),
    ("ah no, il paziente era Luca", "person", "Luca"),
    ("ho pagato 45 euro, non 30", "amount", "45 euro, non 30"),
])
def test_field_and_value(text: str, field: str, value: str) -> None:
    found = find_correction(text)
    assert found is not None
    assert (found.field, found.value) == (field, value)


@pytest.mark.parametrize(("text", "field"), [
    ("cambia la nota", "notes"),
    ("no aspetta, la data è sbagliata", "date"),
    ("modifica l'importo", "amount"),
    ("voglio cambiare l'importo", "amount"),
    ("vorrei modificare la nota", "notes"),
    ("puoi correggere la data?", "date"),
])
def test_a_field_without_its_new_value(text: str, field: str | None) -> None:
    found = find_correction(text)
    if field is None:
        assert found is None or found.field is None
    else:
        assert found is not None and found.field == field and found.value is None


@pytest.mark.parametrize(("text", "item", "value"), [
    ("cambia l'importo del secondo documento in 90 euro", 2, "90 euro"),
    ("modifica la data del documento 2: 5 novembre", 2, "5 novembre"),
    ("l'importo della prima fattura era 40", 1, "40"),
    ("cambia l'importo dell'ultima ricevuta in 12,30", -1, "12,30"),
    ("il secondo documento costava 45 euro", 2, "45 euro"),
    ("la seconda fattura era di 35 euro", 2, "35 euro"),
])
def test_an_item_of_a_list(text: str, item: int, value: str) -> None:
    found = find_correction(text)
    assert found is not None
    assert (found.item, found.value) == (item, value)


@pytest.mark.parametrize("text", [
    "visita cardiologica", "80", "no", "sì", "luca", "10/11/2026", "FT 12/2026",
    "la fattura comprende anche la visita di controllo", "importo 90", "IT60X0542811101000000123456",
])
def test_answers_are_not_corrections(text: str) -> None:
    found = find_correction(text)
    assert found is None or found.field is None


@pytest.mark.parametrize("text", ["non è per Anna", "non era per Anna", "mica è per Anna"])
def test_a_person_denied_is_not_a_correction_to_them(text: str) -> None:
    # Who it was not for: taking "Anna" would store the opposite of what was said.
    assert find_correction(text) is None


def test_the_person_named_after_a_denial_is_the_correction() -> None:
    correction = find_correction("non era per Anna, era per Luca")
    assert correction is not None
    assert (correction.field, correction.value) == ("person", "Luca")


@pytest.mark.parametrize(("text", "item", "noun"), [
    ("togli il documento 2", 2, "documento"),
    ("elimina la seconda fattura", 2, "fattura"),
    ("rimuovi l'ultima ricevuta", -1, "ricevuta"),
    ("cancella il documento di spesa 1", 1, "documento spesa"),
    ("togli lo scontrino", None, "scontrino"),
    ("togli il documento medico 1", 1, "documento medico"),
    ("leva la prescrizione", None, "prescrizione"),
])
def test_removals(text: str, item: int | None, noun: str) -> None:
    found = find_removal(text)
    assert found is not None
    assert (found.item, found.noun) == (item, noun)


@pytest.mark.parametrize("text", ["documento 2", "annulla", "togliere tutto il dolore", ""])
def test_not_removals(text: str) -> None:
    found = find_removal(text)
    assert found is None or found.item is None


def test_not_the_old_value_but_the_new_one() -> None:
    found = find_correction("non era il 10, era il 12 novembre")
    assert found is not None and found.value == "il 12 novembre"
