"""Voice notes for tests: a listener that hears what the note's bytes spell, so conversation
tests run without the speech model (the model itself is tested in tests/bot/speech)."""

from __future__ import annotations

from dialogs.events import Heard, IncomingVoice
from dialogs.voice_cue import Cue

UNSURE = b"?"  # a note starting with this is heard, but doubted


def note(words: str, *, sure: bool = True) -> bytes:
    """The bytes of a note that `HearingWords` hears as `words`."""
    return (b"" if sure else UNSURE) + words.encode()


class HearingWords:
    """Hears the words a note's bytes spell (see `note`); remembers what it was given."""

    def __init__(self) -> None:
        self.notes: list[IncomingVoice] = []
        self.cues: list[Cue | None] = []

    async def __call__(self, voice: IncomingVoice, cue: Cue | None = None) -> Heard:
        self.notes.append(voice)
        self.cues.append(cue)
        sure = not voice.data.startswith(UNSURE)
        text = voice.data.removeprefix(UNSURE).decode()
        return Heard(text, sure, None if text else "silence", 120)


class NeverTranscribes:
    """A transcriber for notes that must be refused before they are listened to."""

    def transcribe(self, samples: object, cue: object = None) -> object:
        raise AssertionError("this note should not have been transcribed")
