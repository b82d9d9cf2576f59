"""Voice notes: the speech model (the `voice` extra, or MEDBOT_SPEECH_MODEL) and the listener
that turns a note into what the conversation reads."""

from __future__ import annotations

import importlib.util
import logging
import threading
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.speech._listener import Listened, Listener, SpeechUnavailable, judge, unavailable
from bot.speech._weights import EXPECTED_SHA256, WeightsError, packaged_model, packaged_parts
from bot.speech._whisper import (
    DOMAIN_PROMPT,
    Transcriber,
    Transcript,
    UnreadableAudio,
    WhisperTranscriber,
    decode,
)
from dialogs.voice_cue import Cue

__all__ = [
    "DOMAIN_PROMPT",
    "EXPECTED_SHA256",
    "Listened",
    "Listener",
    "SettingsTranscriber",
    "SpeechUnavailable",
    "Transcriber",
    "Transcript",
    "UnreadableAudio",
    "WeightsError",
    "WhisperTranscriber",
    "decode",
    "judge",
    "model_source",
    "open_listener",
    "unavailable",
    "voice_installed",
]

log = logging.getLogger(__name__)


def model_source(settings: Settings) -> str | None:
    """Where the speech model comes from: MEDBOT_SPEECH_MODEL (a directory, or a name the
    machine fetches), else the weights of the `voice` extra assembled under MEDBOT_HOME;
    None when there is neither, or faster-whisper is not installed."""
    if importlib.util.find_spec("faster_whisper") is None:
        return None
    if settings.speech_model:
        return settings.speech_model
    try:
        folder = packaged_model(settings.home)
    except (WeightsError, OSError):
        log.exception("the packaged speech model could not be assembled")
        return None
    return str(folder) if folder is not None else None


def voice_installed(settings: Settings) -> bool:
    """Cheap: whether a model can be had here (the weights are assembled on the first note)."""
    if importlib.util.find_spec("faster_whisper") is None:
        return False
    return bool(settings.speech_model) or packaged_parts() is not None


class SettingsTranscriber:
    """The transcriber the settings describe, made on the first note: assembling the
    packaged weights (a 145 MB copy, hashed) and loading the model wait until a note comes."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._inner: WhisperTranscriber | None = None
        self._lock = threading.Lock()

    def transcriber(self) -> WhisperTranscriber:
        with self._lock:
            if self._inner is None:
                source = model_source(self._settings)
                if source is None:
                    raise SpeechUnavailable("no speech model on this machine")
                settings = self._settings
                self._inner = WhisperTranscriber(
                    source, str(Path(settings.home) / "speech"),
                    beam_size=settings.speech_beam_size, vad=settings.speech_vad,
                    prompt=DOMAIN_PROMPT if settings.speech_prompt else None)
            return self._inner

    def transcribe(self, samples: Any, cue: Cue | None = None) -> Transcript:
        return self.transcriber().transcribe(samples, cue)


def open_listener(settings: Settings, transcriber: Transcriber | None = None) -> Listener | None:
    """The listener for this process, None when voice notes cannot be listened to here (the
    conversation then says so kindly). `transcriber` replaces the model (tests, evaluation)."""
    if transcriber is None:
        if not voice_installed(settings):
            return None
        transcriber = SettingsTranscriber(settings)
    return Listener(transcriber, max_seconds=settings.voice_max_seconds,
                    timeout=settings.speech_timeout)
