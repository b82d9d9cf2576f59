"""Voice notes in the conversation (with a listener that hears scripted words): said back,
confirmed before they become data or when doubted, commands obeyed, nothing lost."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.runtime import Runtime
from dialogs.events import Inbound, IncomingVoice
from dialogs.voice import spoken_command
from tests.auxil.chat import EngineChat, Turn
from tests.auxil.files import png
from tests.auxil.runtime import MARIO, demo_runtime
from tests.auxil.voice import HearingWords, note


@pytest.fixture
async def runtime(tmp_path: Path) -> AsyncIterator[Runtime]:
    async with demo_runtime(tmp_path) as runtime:
        runtime.conversations._listener = HearingWords()
        yield runtime


@pytest.fixture
async def chat(runtime: Runtime) -> EngineChat:
    mario = await runtime.store.customer_by_fiscal_code(MARIO)
    assert mario is not None
    return EngineChat(runtime=runtime, customer_id=mario.id, user_key=MARIO)


async def speak(chat: EngineChat, words: str, *, sure: bool = True) -> Turn:
    assert chat.runtime is not None
    result = await chat.runtime.conversations.handle(
        "console", chat.user_key, chat.customer_id,
        Inbound(voice=IncomingVoice(note(words, sure=sure), "nota.ogg")))
    turn = Turn([{"text": r.text, "choices": [{"id": c.id, "label": c.label}
                                              for c in r.choices]} for r in result.replies],
                {"flow": result.flow, "step": result.step}, result.request_number)
    chat.history.append(turn)
    return turn


async def test_a_status_question_said_aloud_is_answered_and_said_back(chat: EngineChat) -> None:
    turn = await speak(chat, "a che punto è la mia pratica 26000112?")
    assert 'Ho capito: "a che punto è la mia pratica 26000112?"' in turn.text
    assert turn.flow is None


async def test_an_opening_with_a_date_is_confirmed_before_it_is_used(chat: EngineChat) -> None:
    turn = await speak(chat, "rimborso della visita oculistica di Luca del 12 marzo")
    assert 'Ho capito: "rimborso della visita oculistica di Luca del 12 marzo". È giusto?' \
        in turn.text
    assert turn.flow is None and turn.step == "confirm_heard"
    turn = await chat.tap("Sì, è giusto")
    assert turn.flow == "rimborso"
    assert "12 marzo" in turn.text


async def test_an_amount_said_in_a_request_is_confirmed_then_stored(
        chat: EngineChat, tmp_path: Path) -> None:
    await chat.say("rimborso")
    await chat.say("2026")
    await chat.say("Marco")
    await chat.say("visita dermatologica")
    await chat.say("1")
    await chat.tap("Sì, continua")
    invoice = tmp_path / "fattura.png"
    invoice.write_bytes(png("Fattura 1"))
    await chat.upload(invoice)
    turn = await chat.say("10/11/2026")
    assert turn.step == "exp_amount"
    turn = await speak(chat, "120,50 euro")
    assert turn.step == "confirm_heard"
    assert 'Ho capito: "120,50 euro". È giusto?' in turn.text
    turn = await chat.tap("Sì, è giusto")
    assert turn.step == "exp_number"


async def test_no_means_write_it_and_the_question_stays(chat: EngineChat) -> None:
    await chat.say("rimborso")
    turn = await speak(chat, "duemila ventisei")
    assert turn.step == "confirm_heard"
    turn = await chat.tap("No, lo scrivo")
    assert "scrivimelo pure" in turn.text
    assert turn.step == "year"
    turn = await chat.say("2026")
    assert turn.step == "beneficiary"


async def test_writing_instead_of_confirming_is_the_answer(chat: EngineChat) -> None:
    await chat.say("rimborso")
    await speak(chat, "duemila sedici")
    turn = await chat.say("2026")
    assert turn.step == "beneficiary"


async def test_a_doubted_note_is_read_back_and_never_used_unasked(chat: EngineChat) -> None:
    turn = await speak(chat, "vorrei il rimborso", sure=False)
    assert "Non sono sicuro di aver capito bene il vocale" in turn.text
    assert '"vorrei il rimborso"' in turn.text
    assert turn.flow is None
    turn = await chat.tap("Sì, è giusto")
    assert turn.flow == "rimborso"


@pytest.mark.parametrize("said", ["lascia perdere, annulla tutto", "annulla"])
async def test_cancel_said_aloud_is_the_command(chat: EngineChat, said: str) -> None:
    await chat.say("rimborso")
    await chat.say("2026")
    turn = await speak(chat, said)
    assert f'Ho capito: "{said}"' in turn.text
    assert turn.step == "confirm_cancel"


async def test_back_said_aloud_goes_back(chat: EngineChat) -> None:
    await chat.say("rimborso")
    await chat.say("2026")
    turn = await speak(chat, "torna indietro, ho sbagliato")
    assert turn.step == "year"


async def test_a_yes_said_to_a_yes_no_question_answers_it(chat: EngineChat) -> None:
    await chat.say("rimborso")
    await chat.say("2026")
    await chat.say("annulla")
    turn = await speak(chat, "sì")
    assert "annullata" in turn.text
    assert turn.flow is None


async def test_a_doubted_note_at_a_yes_no_question_keeps_its_buttons(chat: EngineChat) -> None:
    await chat.say("rimborso")
    await chat.say("2026")
    asked = await chat.say("annulla")
    turn = await speak(chat, "sì", sure=False)
    assert "tocca uno dei pulsanti" in turn.text
    assert turn.step == "confirm_cancel"
    turn = await chat.choose(asked.choice_id("Sì, annulla"))
    assert "annullata" in turn.text


async def test_a_silent_note_asks_again_where_we_were(chat: EngineChat) -> None:
    await chat.say("rimborso")
    turn = await speak(chat, "")
    assert "Non ho sentito parole" in turn.text
    assert turn.step == "year"


async def test_without_a_speech_model_the_bot_asks_to_write(runtime: Runtime,
                                                           chat: EngineChat) -> None:
    runtime.conversations._listener = None
    await chat.say("rimborso")
    turn = await speak(chat, "2026")
    assert "non riesco ancora ad ascoltare i messaggi vocali" in turn.text.lower()
    assert turn.step == "year"


@pytest.mark.parametrize(("said", "command"), [
    ("L'assaperneve, annulla tutto.", "annulla tutto"),
    ("lascia perdere, annulla tutto", "lascia perdere, annulla tutto"),
    ("Ehm, torna indietro.", "Ehm, torna indietro."),  # a command as said: hesitations are none
    ("Ehm, allora, torna indietro", "Ehm, allora, torna indietro"),
    ("ricomincia da capo", "ricomincia da capo"),
    ("la visita di Luca del 12 marzo, annulla", None),  # more than a stray word or two
    ("annulla, torna indietro", None),  # two different commands: asked, not guessed
    ("operatore", None),  # not a navigation command to obey unasked
])
def test_a_command_among_misheard_words(said: str, command: str | None) -> None:
    assert spoken_command(said) == command


@pytest.mark.parametrize(("said", "command"), [
    ("di cominciata capo.", "ricomincia da capo"),  # as the recogniser heard it
    ("Allora, tutto.", "annulla tutto"),
    ("Anna", None),  # an answer close to «annulla» is still an answer
    ("lascia così", None),
    ("visita cardiologica", None),
    ("ricomincia la fisioterapia", None),
    ("il ricominciare da capo della fisioterapia di mio figlio Luca", None),  # too long
    ("nulla", None),  # an answer to «altro?», one letter short of «annulla»
    ("pasta", None),
])
def test_a_command_misheard_is_still_that_command(said: str, command: str | None) -> None:
    assert spoken_command(said) == command


def test_a_note_naming_someone_of_the_household_is_no_misheard_command() -> None:
    assert spoken_command("Anna tutto", ["Mario", "Anna"]) is None


async def test_a_misheard_restart_is_confirmed_by_the_engine(chat: EngineChat) -> None:
    await chat.say("rimborso")
    turn = await speak(chat, "di cominciata capo.", sure=False)
    assert turn.step == "confirm_restart"


async def test_a_doubted_cancel_is_still_confirmed_by_the_engine(chat: EngineChat) -> None:
    await chat.say("rimborso")
    turn = await speak(chat, "L'assaperneve, annulla tutto.", sure=False)
    assert turn.step == "confirm_cancel"
    turn = await chat.tap("No, continua")
    assert turn.step == "year"
