"""Replies within WhatsApp's limits: buttons, lists paged beyond ten rows, labels shortened."""

from __future__ import annotations

from bot.channels.whatsapp import shorten
from bot.channels.whatsapp._render import render
from dialogs.events import Choice, OutgoingFile, Reply, Venue
from tests.auxil.fake_graph import WaUser
from tests.bot.whatsapp.conftest import WhatsApp


def test_labels_are_cut_at_a_word_never_inside_one() -> None:
    assert shorten("Ecografia addome completo", 24) == "Ecografia addome…"
    assert shorten("Visita di controllo cardiologica", 12) == "Visita…"  # not "Visita di…"
    assert shorten("Struttura numero 11", 24) == "Struttura numero 11"
    assert len(shorten("Elettrocardiogrammadinamico", 20)) == 20


def test_three_short_choices_are_buttons_more_or_longer_a_list() -> None:
    (buttons,) = render(Reply("Quale anno?", (Choice("1.a", "2026"), Choice("1.b", "2025"))))
    assert isinstance(buttons, dict) and buttons["interactive"]["type"] == "button"
    long = tuple(Choice(f"1.{i}", f"Voce {i}") for i in range(4))
    (listed,) = render(Reply("Quale?", long))
    assert isinstance(listed, dict) and listed["interactive"]["type"] == "list"
    rows = listed["interactive"]["action"]["sections"][0]["rows"]
    assert [r["id"] for r in rows] == ["1.0", "1.1", "1.2", "1.3"]


def test_documents_and_places() -> None:
    file = OutgoingFile("ricevuta.pdf", "application/pdf", b"%PDF-1.4")
    venue = Venue("Centro Medico", "Via Roma 1, Milano", 45.46, 9.19, "02 1234567")
    document, pin = render(Reply("La ricevuta", file=file, venue=venue))
    assert not isinstance(document, dict) and document.caption == "La ricevuta"
    assert isinstance(pin, dict) and pin["location"]["name"] == "Centro Medico"


async def test_a_list_of_more_than_ten_choices_comes_in_pages(
    whatsapp: WhatsApp, mario: WaUser,
) -> None:
    choices = tuple(Choice(f"9.o{i}", f"Struttura numero {i}") for i in range(1, 24))
    await whatsapp.feature.channel.send(mario.wa_id,
                                        [Reply("Scegli la struttura", choices)])
    last = whatsapp.api.messages_to(mario.wa_id)[-1]
    rows = last["interactive"]["action"]["sections"][0]["rows"]
    assert len(rows) == 10
    assert [r["title"] for r in rows[:9]] == [f"Struttura numero {i}" for i in range(1, 10)]
    assert rows[9]["title"] == "Altri ▸"
    turn = await mario.taps("Altri ▸")
    assert turn.buttons == [f"Struttura numero {i}" for i in range(10, 19)] + ["Altri ▸"]
    turn = await mario.taps("Altri ▸")
    assert turn.buttons == [f"Struttura numero {i}" for i in range(19, 24)]
    # A row goes to the conversation with the engine's own id (here an old question).
    turn = await mario.taps("Struttura numero 20")
    assert turn.messages and "Struttura" not in turn.text
