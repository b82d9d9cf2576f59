"""Listening to a voice note for a turn: length checked, decoded and transcribed off the event
loop within a time limit, written as typed, and judged sure or not. The audio lives only in
memory and is dropped with the turn; the transcript is never logged."""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from bot.speech._whisper import SAMPLE_RATE, Transcriber, UnreadableAudio, decode
from dialogs.events import Heard, IncomingVoice
from dialogs.voice_cue import Cue
from nlu.spoken import written_form

__all__ = ["Listener", "Listened", "judge"]

log = logging.getLogger(__name__)

# Below this mean token log-probability a transcript is often wrong: on synthetic Italian
# notes, most transcripts under -0.7 had over 30 % of their words wrong, few above -0.4.
SURE_LOGPROB = -0.7
# Whisper's own "this was not speech" above this, with a doubtful transcript: silence, music.
NO_SPEECH = 0.6
# Notes come through a single worker: two transcriptions at once on two cores only make
# both slow (CTranslate2 already uses both cores for one).
_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="speech")


class SpeechUnavailable(RuntimeError):
    """No speech model can be had on this machine (raised by a transcriber)."""


@dataclass(frozen=True, slots=True)
class Listened:
    """A note listened to: what the conversation gets, and the figures `medbot eval voice`
    reports (the raw transcript stays here, never in a log)."""

    heard: Heard
    raw: str = ""
    avg_logprob: float = 0.0
    no_speech: float = 0.0
    seconds: float = 0.0
    transcribe_seconds: float = 0.0


def judge(text: str, avg_logprob: float, no_speech: float) -> bool:
    """Whether a transcript can be taken as said (else it is read back for confirmation)."""
    if not text.strip():
        return False
    if no_speech > NO_SPEECH and avg_logprob < -0.5:
        return False
    return avg_logprob >= SURE_LOGPROB


class Listener:
    """What a channel's voice note becomes before the engine: a Heard."""

    def __init__(self, transcriber: Transcriber, *, max_seconds: int, timeout: float) -> None:
        self.transcriber = transcriber
        self.max_seconds = max_seconds
        self.timeout = timeout

    async def __call__(self, voice: IncomingVoice, cue: Cue | None = None) -> Heard:
        return (await self.listen(voice, cue)).heard

    async def listen(self, voice: IncomingVoice, cue: Cue | None = None) -> Listened:
        """`cue`: what the conversation expects to hear (dialogs.voice_cue), if anything."""
        limit = self.max_seconds
        if voice.seconds is not None and voice.seconds > limit:
            return Listened(Heard("", False, "too_long", limit))
        loop = asyncio.get_running_loop()
        started = time.perf_counter()
        try:
            samples = await loop.run_in_executor(_WORKER, decode, voice.data)
        except UnreadableAudio:
            log.info("a voice note could not be decoded")
            return Listened(Heard("", False, "unreadable", limit))
        seconds = len(samples) / SAMPLE_RATE
        if seconds > limit + 1:
            return Listened(Heard("", False, "too_long", limit), seconds=seconds)
        try:
            transcript = await asyncio.wait_for(
                loop.run_in_executor(_WORKER, self.transcriber.transcribe, samples, cue),
                self.timeout)
        except SpeechUnavailable:
            log.warning("a voice note came but no speech model can be loaded here")
            return Listened(unavailable(limit), seconds=seconds)
        except TimeoutError:
            log.warning("a voice note of %.0f s took over %.0f s to transcribe", seconds,
                        self.timeout)
            return Listened(Heard("", False, "slow", limit), seconds=seconds)
        elapsed = time.perf_counter() - started
        text = written_form(transcript.text)
        sure = judge(text, transcript.avg_logprob, transcript.no_speech)
        problem = None if text else "silence"
        log.info("voice note: %.1f s heard in %.1f s, log-prob %.2f, %s", seconds, elapsed,
                 transcript.avg_logprob, "sure" if sure else "unsure")
        return Listened(Heard(text, sure, problem, limit), transcript.text,
                        transcript.avg_logprob, transcript.no_speech, seconds, elapsed)


def unavailable(limit: int) -> Heard:
    return Heard("", False, "unavailable", limit)
