"""The main menu: its three choices, asked when no request is open, and read from typed text."""

from __future__ import annotations

from dialogs.matching import match_choice, normalise
from dialogs.steps import Option, Question
from dialogs.texts import label, t
from dialogs.turn import MAX_TEXT, Turn

# Short labels, so every channel shows them whole (WhatsApp buttons: 20 characters).
MENU = (
    Option("rimborso", "Rimborso", ("si", "sì", "si devo richiedere un rimborso", "refund",
                                    "reimbursement", "claim")),
    Option("diretta", "Prestazione diretta",
           ("diretta", "no", "no devo richiedere una prestazione diretta", "direct service")),
    Option("richieste", "Le mie richieste", ("richieste", "archivio", "pratiche", "my requests",
                                             "requests")),
)
MENU_KEYS = {o.key for o in MENU}


def ask_menu(turn: Turn) -> None:
    turn.state.token += 1
    turn.state.asked = "menu"
    options = tuple(Option(o.key, label(o.label), o.aliases) for o in MENU)
    turn.flush(Question(t("menu.question"), options), turn.state.token)


def menu_from_text(text: str) -> str | None:
    """The menu entry a typed text names ("rimborso", "prenotare in convenzione"), if any."""
    if len(text) > MAX_TEXT:
        return None
    index = match_choice(text, [o.label for o in MENU], [o.aliases for o in MENU])
    if index is not None:
        return MENU[index].key
    words = set(normalise(text).split())
    if words & {"rimborso", "rimborsi", "rimborsare", "rimborsato", "fattura", "ricevuta",
                "refund", "reimbursement", "reimbursed", "invoice", "receipt"}:
        return "rimborso"
    if words & {"diretta", "diretto", "convenzionata", "convenzione", "prenotare", "prenotazione",
                "direct", "affiliated", "book", "booking"}:
        return "diretta"
    return None
