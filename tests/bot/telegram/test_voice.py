"""Voice notes and audio files on Telegram: listened to and read as typed; a note too long
is never downloaded; without a speech model the bot asks to write."""

from __future__ import annotations

from bot.speech import Listener
from tests.auxil.fake_telegram import FakeUser
from tests.auxil.voice import HearingWords, NeverTranscribes, note
from tests.bot.telegram.conftest import Telegram


async def test_a_voice_note_is_heard_and_said_back(telegram: Telegram, mario: FakeUser) -> None:
    telegram.runtime.conversations._listener = HearingWords()
    turn = await mario.sends_voice(note("vorrei chiedere un rimborso"))
    assert 'Ho capito: "vorrei chiedere un rimborso"' in turn.text
    assert "In che anno" in turn.text


async def test_an_audio_file_is_listened_to_as_well(telegram: Telegram, mario: FakeUser) -> None:
    hearing = HearingWords()
    telegram.runtime.conversations._listener = hearing
    await mario.says("/rimborso")
    turn = await mario.sends_voice(note("2026"), audio=True)
    # One of the buttons offered, said aloud: taken as the tap it stands for.
    assert 'Ho capito: "2026"\n\nPer chi era la prestazione?' in turn.text
    assert hearing.notes[0].filename == "nota.mp3"


async def test_a_note_too_long_is_not_downloaded(telegram: Telegram, mario: FakeUser) -> None:
    telegram.runtime.conversations._listener = Listener(NeverTranscribes(), max_seconds=120,
                                                        timeout=5)
    turn = await mario.sends_voice(note("parole"), duration=600)
    assert "troppo lungo" in turn.text and "fino a 2 minuti" in turn.text
    assert not telegram.api.calls_of("getFile")


async def test_without_a_speech_model_nothing_is_downloaded(telegram: Telegram,
                                                            mario: FakeUser) -> None:
    telegram.runtime.conversations._listener = None
    turn = await mario.sends_voice(note("vorrei chiedere un rimborso"))
    assert "non riesco ancora ad ascoltare i messaggi vocali" in turn.text.lower()
    assert not telegram.api.calls_of("getFile")
