"""What the dialogs need from below them, as protocols the bot layer provides."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from portal.models import StoredFile


@dataclass(frozen=True, slots=True)
class ServiceMatch:
    """A catalogue entry proposed for what the customer typed."""

    code: str
    name: str
    kind: str  # "ambulatoriale" or "ricovero"
    score: float


class Services(Protocol):
    def find_services(self, text: str, limit: int) -> list[ServiceMatch]:
        """Catalogue entries (both kinds) for a typed text, best first; [] when nothing is close."""

    def service_name(self, code: str, kind: str) -> str | None:
        """The customer-facing name of a catalogue code."""

    def store_file(self, data: bytes, mime_type: str, filename: str) -> StoredFile:
        """Keep a validated file; the same content is stored once."""
