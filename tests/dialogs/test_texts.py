"""Italian as written: a preposition before a value joins its article ("alla tua posizione"),
"a" before an a- word is "ad" ("intestato ad Anna")."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialogs.texts import Messages, joined, t


@pytest.mark.parametrize(
    ("preposition", "value", "expected"),
    [
        ("a", "la tua posizione", "alla tua posizione"),
        ("a", "il 3 dicembre", "al 3 dicembre"),
        ("a", "l'ospedale", "all'ospedale"),
        ("a", "Anna Rossi", "ad Anna Rossi"),
        ("a", "Ancona", "ad Ancona"),
        ("a", "Luca Rossi", "a Luca Rossi"),
        ("a", "La Spezia", "a La Spezia"),  # a capitalised town name is not an article
        ("di", "l'ecografia", "dell'ecografia"),
        ("di", "gli esami", "degli esami"),
        ("da", "lo specialista", "dallo specialista"),
        ("in", "la struttura", "nella struttura"),
        ("su", "il conto", "sul conto"),
        ("A", "la richiesta 26000058", "Alla richiesta 26000058"),
        ("a", "«luca»", "a «luca»"),
    ],
)
def test_joined(preposition: str, value: str, expected: str) -> None:
    assert joined(preposition, value) == expected


def test_catalogue_sentences_use_it() -> None:
    assert "intestato ad Anna Rossi" in t("reimbursement.contacts.new_iban", name="Anna Rossi")
    assert "vicino alla tua posizione" in t("direct.booking.pick", where="la tua posizione")
    assert "vicino a Roma" in t("direct.booking.pick", where="Roma")
    assert "pagato ad Anna" in t("reimbursement.authorisation.refused", name="Anna")


def test_braces_in_values_are_kept() -> None:
    assert "{x}" in t("reimbursement.contacts.new_iban", name="{x}")


def test_sentences_are_found_by_their_dotted_keys_only(tmp_path: Path) -> None:
    (tmp_path / "texts_it.toml").write_text(
        '[a]\nuno = "Uno {x}"\n[a.b]\ndue = "Vicino a {where}"\n'
        '[labels]\n"Prima visita. Seconda" = "x"\n', encoding="utf-8")
    messages = Messages(tmp_path / "texts_it.toml")
    assert messages("a.uno", x=1) == "Uno 1"
    assert messages("a.b.due", where="la stazione") == "Vicino alla stazione"
    for missing in ("a", "a.b", "a.uno.x", "labels.Prima visita. Seconda", "b.due"):
        with pytest.raises(KeyError):
            messages(missing)
