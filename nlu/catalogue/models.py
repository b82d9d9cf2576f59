"""The catalogue's values: an entry of a catalogue, a match returned by a search."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = ["AMBULATORIALE", "KINDS", "RICOVERO", "Entry", "Match"]

AMBULATORIALE: Final = "ambulatoriale"  # outpatient nomenclatore (DPCM 12/01/2017, all. 4)
RICOVERO: Final = "ricovero"  # ICD-9-CM interventions, the codes of a hospital stay
KINDS: Final = (AMBULATORIALE, RICOVERO)


@dataclass(frozen=True, slots=True)
class Entry:
    """A service of a catalogue: ``name`` is for customers, ``description`` is the official text."""

    code: str
    name: str
    kind: str
    description: str


@dataclass(frozen=True, slots=True)
class Match:
    """A search result; ``score`` runs from 0 (unrelated) to 100 (exact)."""

    code: str
    name: str
    kind: str
    score: float
