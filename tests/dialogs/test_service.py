"""Issue 13, the service question: what is not a service is never searched, a vague text gets
the closest family instead of unrelated procedures, several services are said and none dropped."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.runtime import Runtime
from tests.auxil import files
from tests.auxil.chat import EngineChat, Turn

# Procedures the catalogue used to offer for these texts (ligament repair, fasciectomy,
# caesarean section, forceps delivery, UV light therapy...).
_UNRELATED = ("legament", "fascectomia", "cesareo", "forcipe", "luce ultravioletta", "Parto")


async def _at_service(chat: EngineChat, person: str = "luca") -> None:
    await chat.say("rimborso")
    await chat.say("2026")
    turn = await chat.say(person)
    assert turn.step == "service_query"


def _not_searched(turn: Turn) -> None:
    assert turn.step == "service_query"
    assert not any(word.casefold() in turn.text.casefold() for word in _UNRELATED), turn.text
    assert "Quale di queste" not in turn.text


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("lassa sta", "Nessun problema"),
        ("boh", "Nessun problema"),
        ("boh non lo so", "Nessun problema"),
        ("non me lo ricordo", "Nessun problema"),
        ("luca", "mi sembra un nome"),
        ("Anna", "mi sembra un nome"),
    ],
)
async def test_what_is_not_a_service_is_never_searched(chat: EngineChat, text: str,
                                                       said: str) -> None:
    await _at_service(chat)
    turn = await chat.say(text)
    _not_searched(turn)
    assert said in turn.text


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("posso parlare con qualcuno?", "Ti passo a una persona"),
        ("quanto mi rimborsate?", "Te lo dico appena avremo scelto la prestazione"),
        ("anzi no, la visita era per luca", "era già «Luca Rossi»"),
        ("no scusa, era per mio figlio", "Non ho cambiato la persona"),
    ],
)
async def test_what_the_acts_layer_reads_never_reaches_the_search(chat: EngineChat, text: str,
                                                                  said: str) -> None:
    """A person asked for, a question, a correction: done (dialogs.acts), then the service
    question asked again, never searched in the catalogue."""
    await _at_service(chat)
    turn = await chat.say(text)
    _not_searched(turn)
    assert said in turn.text


@pytest.mark.parametrize(
    ("text", "family"),
    [("quella cosa del cuore", "la cardiologia"), ("una roba agli occhi", "l'oculistica"),
     ("quella per i nei", "la dermatologia")],
)
async def test_below_the_line_the_closest_family(chat: EngineChat, text: str,
                                                 family: str) -> None:
    await _at_service(chat)
    turn = await chat.say(text)
    _not_searched(turn)
    assert "Non ho trovato una prestazione precisa" in turn.text and family in turn.text


@pytest.mark.parametrize("text", ["niente di che", "a milano", "operatore telefonico"])
async def test_everyday_words_find_nothing_unrelated(chat: EngineChat, text: str) -> None:
    await _at_service(chat)
    turn = await chat.say(text)
    assert turn.step == "service_query" and "Quale di queste" not in turn.text


async def test_a_real_service_is_still_searched(chat: EngineChat) -> None:
    await _at_service(chat)
    turn = await chat.say("visita cardiolgica")
    assert turn.step == "service" and "Prima visita cardiologica" in turn.labels


async def test_several_services_said_and_the_others_recalled_after_sending(
        chat: EngineChat, runtime: Runtime, tmp_path: Path) -> None:
    await _at_service(chat)
    turn = await chat.say("visita cardiologica, ecg e esami del sangue")
    assert turn.step == "service"
    assert "Mi hai scritto più prestazioni" in turn.text
    assert "«ecg»" in turn.text and "«esami del sangue»" in turn.text
    assert "Prima visita cardiologica" in turn.labels
    await chat.tap("Prima visita cardiologica")
    await chat.tap("Luca Rossi, sul suo conto")
    turn = await chat.say("IT60 X054 2811 1010 0000 0123 456")
    await chat.tap("Sì, continua")
    await chat.upload(files.write(tmp_path, "fattura.jpg", files.jpeg("Fattura 7")))
    await chat.say("10/11/2026")
    await chat.say("150")
    await chat.say("FT 7/2026")
    await chat.tap("Continua")
    await chat.tap("Nessuna nota")
    turn = await chat.tap("Invia la richiesta")
    assert turn.request_number is not None
    assert "Restano da chiedere «ecg» e «esami del sangue»" in turn.text
    assert "rimborso ecg per Luca" in turn.text
    request = await runtime.store.get_request(turn.request_number)
    assert request is not None and request.service_code == "89.7A.3"


async def test_several_services_in_the_opening_sentence(chat: EngineChat) -> None:
    turn = await chat.say("rimborso visita oculistica e visita dermatologica di Luca del 3 marzo")
    assert turn.flow == "rimborso" and turn.step == "service"
    assert "Mi hai scritto due prestazioni" in turn.text and "«visita dermatologica»" in turn.text
