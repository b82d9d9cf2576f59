"""Voice notes on WhatsApp: the audio message fetched by media id and read as typed; one
heavier than the longest note listened to is never downloaded."""

from __future__ import annotations

from bot.speech import Listener
from tests.auxil.fake_graph import WaUser
from tests.auxil.voice import HearingWords, NeverTranscribes, note
from tests.bot.whatsapp.conftest import WhatsApp


async def test_a_voice_note_is_heard_and_said_back(whatsapp: WhatsApp, mario: WaUser) -> None:
    whatsapp.runtime.conversations._listener = HearingWords()
    turn = await mario.sends_voice(note("a che punto è la pratica 26000112"))
    assert 'Ho capito: "a che punto è la pratica 26000112"' in turn.text, turn.text
    assert "26000112" in turn.text


async def test_a_note_too_heavy_is_not_downloaded(whatsapp: WhatsApp, mario: WaUser) -> None:
    whatsapp.runtime.conversations._listener = Listener(NeverTranscribes(), max_seconds=120,
                                                        timeout=5)
    heavy = note("parole") + b" " * (121 * 16_000)
    turn = await mario.sends_voice(heavy)
    assert "troppo lungo" in turn.text, turn.text
    assert not [c for c in whatsapp.api.calls if c.path.startswith("/download")]


async def test_without_a_speech_model_the_bot_asks_to_write(whatsapp: WhatsApp,
                                                            mario: WaUser) -> None:
    whatsapp.runtime.conversations._listener = None
    turn = await mario.sends_voice(note("rimborso"))
    assert "non riesco ancora ad ascoltare i messaggi vocali" in turn.text.lower(), turn.text
    assert not [c for c in whatsapp.api.calls if c.path.startswith("/download")]
