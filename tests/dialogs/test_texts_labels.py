"""The labels the code declares in Italian (flow titles, the summary's edit menu, list items,
the main menu) have their English in the catalogue's [labels] table, and are shown in it."""

from __future__ import annotations

import pytest

from dialogs.flows import DIRECT, DOCUMENTS, REIMBURSEMENT
from dialogs.menu import MENU
from dialogs.texts import label, t
from nlu.language import speaking

FLOWS = (REIMBURSEMENT, DIRECT, DOCUMENTS)


def _declared() -> set[str]:
    found = {o.label for o in MENU}
    for flow in FLOWS:
        found.add(flow.title)
        found.update(lst.label for lst in flow.lists)
        found.update(s.edit_label for s in flow.steps if s.edit_label)
    return found


@pytest.mark.parametrize("language", ["it", "en"])
def test_every_declared_label_is_in_the_table(language: str) -> None:
    table = t.catalogue(language).get("labels", {})
    missing = sorted(_declared() - table.keys())
    assert not missing, (f"add these labels to [labels] of dialogs/texts_{language}.toml "
                         f"(Italian = {'English' if language == 'en' else 'Italian'}): {missing}")


def test_labels_are_shown_in_the_turns_language() -> None:
    assert label("richiesta di rimborso") == "richiesta di rimborso"
    with speaking("en"):
        assert label("richiesta di rimborso") == "refund request"
        assert label("Le mie richieste") == "My requests"
        assert label("not a declared label") == "not a declared label"
