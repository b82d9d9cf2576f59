"""The listener around any transcriber: length checked before decoding, corrupt files and
slow transcriptions answered kindly, transcripts written as typed and judged sure or not."""

from __future__ import annotations

import time
from typing import Any

import pytest

from bot.speech import Listener, SpeechUnavailable, Transcript, judge
from dialogs.events import IncomingVoice
from tests.bot.speech.conftest import NOTES, voice_extra_missing

pytestmark = pytest.mark.skipif(voice_extra_missing() is not None,
                                reason=str(voice_extra_missing()))


class Saying:
    """A transcriber that says the same thing with the same confidence, after `delay`."""

    def __init__(self, text: str, avg_logprob: float = -0.2, no_speech: float = 0.05,
                 delay: float = 0.0, error: Exception | None = None) -> None:
        self.text, self.avg_logprob, self.no_speech = text, avg_logprob, no_speech
        self.delay, self.error = delay, error
        self.calls = 0

    def transcribe(self, samples: Any, cue: Any = None) -> Transcript:
        self.calls += 1
        time.sleep(self.delay)
        if self.error is not None:
            raise self.error
        return Transcript(self.text, self.avg_logprob, self.no_speech, len(samples) / 16000)


def note() -> IncomingVoice:
    return IncomingVoice((NOTES / "rimborso.ogg").read_bytes(), "rimborso.ogg")


async def test_numbers_said_are_written_as_typed() -> None:
    listener = Listener(Saying("La pratica ventisei zero zero zero uno uno due, centoventi euro "
                               "e cinquanta."), max_seconds=120, timeout=10)
    listened = await listener.listen(note())
    assert listened.heard.text == "La pratica 26000112, 120,50 euro."
    assert listened.heard.sure
    assert 4 < listened.seconds < 6


async def test_a_doubtful_transcript_is_not_sure() -> None:
    listener = Listener(Saying("rimborso", avg_logprob=-0.9), max_seconds=120, timeout=10)
    assert not (await listener.listen(note())).heard.sure


async def test_a_note_declared_too_long_is_not_decoded() -> None:
    saying = Saying("mai")
    heard = await Listener(saying, max_seconds=120, timeout=10)(
        IncomingVoice(b"not even audio", seconds=121))
    assert (heard.text, heard.problem, heard.limit_seconds) == ("", "too_long", 120)
    assert saying.calls == 0


async def test_a_note_longer_than_declared_is_refused_after_decoding() -> None:
    saying = Saying("mai")
    heard = await Listener(saying, max_seconds=2, timeout=10)(note())
    assert heard.problem == "too_long" and saying.calls == 0


@pytest.mark.parametrize("data", [b"", b"OggS" + b"\x00" * 200, b"\x89PNG\r\n\x1a\n" * 30])
async def test_what_is_not_audio_is_unreadable(data: bytes) -> None:
    heard = await Listener(Saying("mai"), max_seconds=120, timeout=10)(IncomingVoice(data))
    assert heard.problem == "unreadable" and not heard.text


async def test_a_transcription_too_slow_is_given_up() -> None:
    heard = await Listener(Saying("tardi", delay=0.5), max_seconds=120, timeout=0.1)(note())
    assert heard.problem == "slow" and not heard.text


async def test_no_model_on_the_machine_is_said_kindly() -> None:
    listener = Listener(Saying("", error=SpeechUnavailable("none")), max_seconds=120, timeout=5)
    assert (await listener(note())).problem == "unavailable"


async def test_nothing_heard_is_silence() -> None:
    heard = await Listener(Saying("", avg_logprob=-10, no_speech=0.9), max_seconds=120,
                           timeout=5)(note())
    assert heard.problem == "silence"


def test_the_confidence_line() -> None:
    assert judge("rimborso", -0.3, 0.1)
    assert not judge("rimborso", -0.8, 0.1)
    assert not judge("rimborso", -0.55, 0.8)  # probably not speech at all
    assert not judge("   ", -0.1, 0.0)


async def test_what_was_said_is_never_logged(caplog: pytest.LogCaptureFixture) -> None:
    said = "Ho l'ipertensione, IBAN IT60X0542811101000000123456"
    caplog.set_level("DEBUG")
    for doubt in (-0.2, -0.9):
        await Listener(Saying(said, avg_logprob=doubt), max_seconds=120, timeout=10)(note())
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "voice note" in logged
    assert "ipertensione" not in logged and "IT60" not in logged
