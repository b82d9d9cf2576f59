"""Speech to text with faster-whisper: Italian forced, the insurer's words as a prompt, int8
on the CPU, each model loaded once per process."""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from dialogs.voice_cue import Cue, echoes

# Words a customer says that a general model mishears ("occultistica", "IBAM"): given as the
# text before the note, they make the model expect them.
DOMAIN_PROMPT = (
    "Messaggio vocale a un'assicurazione sanitaria: rimborso, pratica, prestazione, fattura, "
    "ricevuta, ecografia, visita oculistica, visita dermatologica, visita cardiologica, "
    "analisi del sangue, fisioterapia, dentista, IBAN, euro, annulla, indietro."
)
SAMPLE_RATE = 16_000
_MAX_TOKENS = 160
_NO_REPEAT_NGRAM = 3


@dataclass(frozen=True, slots=True)
class Transcript:
    """What the recogniser wrote and how sure it was: `avg_logprob` is the mean token
    log-probability over the note (0 is certain), `no_speech` the chance it held no speech."""

    text: str
    avg_logprob: float
    no_speech: float
    seconds: float


class Transcriber(Protocol):
    """Turns a decoded note (16 kHz mono float samples) into a transcript. Blocking: callers
    run it off the event loop."""

    def transcribe(self, samples: Any, cue: Cue | None = None) -> Transcript: ...


class UnreadableAudio(ValueError):
    """The bytes are not an audio file that can be decoded."""


def decode(data: bytes) -> Any:
    """The note as 16 kHz mono samples; PyAV decodes OGG/Opus, MP3, M4A, WAV (no ffmpeg)."""
    from faster_whisper.audio import decode_audio

    try:
        return decode_audio(io.BytesIO(data), sampling_rate=SAMPLE_RATE)
    except Exception as exc:  # PyAV raises many kinds for a corrupt or foreign file
        raise UnreadableAudio(type(exc).__name__) from exc


_MODELS: dict[tuple[str, str], Any] = {}
_LOADING = threading.Lock()


def _model(source: str, download_root: str) -> Any:
    """One WhisperModel per source and process: loading takes seconds and ~300 MB."""
    from faster_whisper import WhisperModel

    # A directory is the same model whatever the home; a name is fetched into the home.
    key = (source, "" if Path(source).is_dir() else download_root)
    with _LOADING:
        if key not in _MODELS:
            # Two threads on two cores; int8 keeps base at ~150 MB of weights.
            _MODELS[key] = WhisperModel(source, device="cpu", compute_type="int8",
                                        cpu_threads=2, download_root=download_root)
        return _MODELS[key]


class WhisperTranscriber:
    """faster-whisper on the CPU. `source`: a directory of CTranslate2 weights or a model
    name; `beam_size`, `vad` and `prompt` as measured by `medbot eval voice`."""

    def __init__(self, source: str, download_root: str, *, beam_size: int = 5,
                 vad: bool = False, prompt: str | None = DOMAIN_PROMPT) -> None:
        self.source = source
        self._download_root = download_root
        self._beam_size = beam_size
        self._vad = vad
        self._prompt = prompt

    def load(self) -> None:
        _model(self.source, self._download_root)

    def transcribe(self, samples: Any, cue: Cue | None = None) -> Transcript:
        """`cue`: what the conversation expects (dialogs.voice_cue), its prompt used instead
        of the domain prompt; a transcript that only echoes it is made again without it."""
        if cue is not None:
            heard = self._decode(samples, cue.prompt)
            if not echoes(cue, heard.text):
                return heard
        return self._decode(samples, self._prompt)

    def _decode(self, samples: Any, prompt: str | None) -> Transcript:
        model = _model(self.source, self._download_root)
        segments, info = model.transcribe(
            samples, language="it", task="transcribe", beam_size=self._beam_size,
            initial_prompt=prompt, vad_filter=self._vad,
            # A short note is one thought: earlier text would only repeat itself.
            condition_on_previous_text=False, without_timestamps=True,
            # No retries at higher temperatures: on synthetic notes they cut the word error
            # rate from ~102 % to ~90 % but took p95 from ~7 s to ~21 s; a doubtful transcript
            # is read back for confirmation anyway. A loop ("meron, meron...") is cut short:
            # 30 s of Italian speech are ~110 tokens.
            temperature=0.0, max_new_tokens=_MAX_TOKENS,
            # Greedy and beam decoding fall into loops on unclear audio ("meron, meron, ..."
            # twelve times for "zero zero zero"): the cause of a word error rate over 100 %.
            # No 3-token run twice in one note: on the shipped synthetic notes the word error
            # rate went from 86.5 % to 83.4 % (digits counted one by one), on a held-out set
            # of other sentences it stayed at 71.3 % (no loops there), at no cost in time.
            no_repeat_ngram_size=_NO_REPEAT_NGRAM,
        )
        texts, logprob, tokens, no_speech = [], 0.0, 0, 1.0
        for segment in segments:
            texts.append(segment.text.strip())
            count = max(1, len(segment.tokens))
            logprob += segment.avg_logprob * count
            tokens += count
            # Speech anywhere in the note makes it speech.
            no_speech = min(no_speech, segment.no_speech_prob)
        text = " ".join(t for t in texts if t)
        return Transcript(text, logprob / tokens if tokens else -10.0, no_speech,
                          float(info.duration))
