"""Several services in one message ("visita cardiologica, ecg e esami del sangue"): each one
named, with its own search, so that none is dropped without a word."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from nlu.catalogue.confidence import Assessment
from nlu.intents._entities import is_service_head
from nlu.intents._text import tokenise

if TYPE_CHECKING:
    from nlu.catalogue.catalogue import Catalogue

__all__ = ["assess_several", "several", "split_services"]

# Where one service ends and the next may begin.
_SEPARATORS = re.compile(r"\s*(?:[,;+\n]|\be\b|\bed\b|\bpiu\b|\bpiù\b|\bpoi\b|\banche\b)\s*",
                         re.IGNORECASE)
# More pieces than this are a list to read, not services to file one by one.
MAX_PIECES = 6
# Joining two pieces that explain each other within this many points keeps them one service.
_TIE = 3.0
_ARTICLES = frozenset("il lo la i gli le l un uno una un degli delle dei del della".split())


def split_services(text: str) -> list[str]:
    """The pieces of `text` between separators, each starting with a service's head word
    ("visita", "ecg", "esami"); a piece without one continues the piece before ("ecografia reni
    e vescica" stays one)."""
    pieces = [p.strip(" .") for p in _SEPARATORS.split(text) if p and p.strip(" .")]
    groups: list[str] = []
    for piece in pieces:
        if groups and not _starts_with_head(piece):
            groups[-1] = f"{groups[-1]} e {piece}"
        else:
            groups.append(piece)
    return groups


def _starts_with_head(piece: str) -> bool:
    words = [t.norm for t in tokenise(piece)]
    first = next((w for w in words if w not in _ARTICLES), "")
    return is_service_head(first)


def _head(piece: str) -> str:
    """The typed words before the body part or detail: "rm" of "rm ginocchio"."""
    return piece.split()[0] if piece.split() else ""


def assess_several(catalogue: Catalogue, text: str, kind: str | None = None, limit: int = 5,
                   people: Sequence[str] = ()) -> list[Assessment]:
    """One assessment per service named, with the catalogue's own search."""
    return several(text, lambda piece: catalogue.assess(piece, kind=kind, limit=limit,
                                                        people=people))


def several(text: str, assess: Callable[[str], Assessment]) -> list[Assessment]:
    """One assessment per service named; just one (of the whole text) when the text names one
    service. A piece without a head word of its own is a service of its own only when alone it
    is one and joining it to the piece before explains both worse ("visita cardiologica ed
    emocromo"); it borrows that piece's head when this reads better ("rm ginocchio e spalla").
    `assess` searches one text (the catalogue's, or the dialogs' services)."""
    whole = assess(text)
    if whole.not_service is not None:
        return [whole]
    pieces = [p.strip(" .") for p in _SEPARATORS.split(text) if p and p.strip(" .")]
    if not 2 <= len(pieces) <= MAX_PIECES:
        return [whole]
    found: list[Assessment] = []
    for piece in pieces:
        alone = assess(piece)
        if not found or _starts_with_head(piece):
            found.append(alone)
            continue
        before = found[-1]
        joined = assess(f"{before.text} e {piece}")
        borrowed = assess(f"{_head(before.text)} {piece}")
        best = max((alone, borrowed), key=lambda a: a.confidence)
        if not best.confident or _score(joined) >= max(_score(before), _score(best)) - _TIE:
            found[-1] = joined
        else:
            found.append(best)
    confident = [a for a in found if a.confident]
    if len(found) < 2 or len({a.matches[0].code for a in confident}) < len(confident):
        return [whole]
    return found


def _score(assessment: Assessment) -> float:
    return assessment.matches[0].score if assessment.matches else 0.0
