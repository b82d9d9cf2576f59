"""What goes into a turn (Inbound) and what comes out (Reply), channel-neutral."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Choice:
    """A button: `id` is short and carries the question token, `label` is what people read."""

    id: str
    label: str


@dataclass(frozen=True, slots=True)
class OutgoingFile:
    filename: str
    mime_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Venue:
    """A place to show on a map (a facility): channels send it as a pin with its address."""

    name: str
    address: str
    lat: float
    lon: float
    phone: str = ""


@dataclass(frozen=True, slots=True)
class Reply:
    text: str
    choices: tuple[Choice, ...] = ()
    file: OutgoingFile | None = None
    venue: Venue | None = None


@dataclass(frozen=True, slots=True)
class IncomingFile:
    """A file as the channel received it; its declared name and type are not trusted."""

    data: bytes
    filename: str = ""
    declared_mime_type: str = ""


@dataclass(frozen=True, slots=True)
class IncomingVoice:
    """A voice note as the channel received it (OGG/Opus, MP3, M4A...); `seconds` is the
    length the channel declared, when it did."""

    data: bytes
    filename: str = ""
    seconds: float | None = None


@dataclass(frozen=True, slots=True)
class Heard:
    """What a voice note said, written as typed (see nlu.spoken); `sure` is False when the
    recogniser doubted it. An empty `text` means nothing could be heard, and `problem` says
    why: "unavailable" (no speech model here), "too_long", "silence", "unreadable", "slow".
    `limit_seconds`: the longest note listened to, for saying so."""

    text: str
    sure: bool = True
    problem: str | None = None
    limit_seconds: int = 0


@dataclass(frozen=True, slots=True)
class Inbound:
    """One thing the customer did: typed, tapped a button, sent a file, a place or a contact,
    or spoke a voice note (`voice` as received; `heard` once it was listened to)."""

    text: str | None = None
    choice: str | None = None
    file: IncomingFile | None = None
    location: tuple[float, float] | None = None
    contact: str | None = None
    voice: IncomingVoice | None = None
    heard: Heard | None = None

    @property
    def kind(self) -> str:
        if self.choice is not None:
            return "choice"
        if self.voice is not None or self.heard is not None:
            return "voice"
        if self.file is not None:
            return "file"
        if self.location is not None:
            return "location"
        if self.contact is not None:
            return "contact"
        return "text"
