"""English lay names of the commonest visits and tests (data/catalogue/aliases_en.csv), mapped
to the same catalogue codes as their Italian names, with the English gloss shown beside the
official Italian name.

A name is recognised only when it is the whole of what was typed, give or take words that say
whose or which it was ("my son's eye exam", "an MRI of the knee please"): "visita cardiologica
e holter" is two services and is left to the catalogue's own search.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["EnglishName", "english_name", "english_names_in", "gloss"]

TABLE = Path(__file__).resolve().parents[2] / "data" / "catalogue" / "aliases_en.csv"

# Words around a service's name that do not change which service it is.
_AROUND = frozenset(
    """
    a an the my our his her their your some one two this that these for of s to at in on with
    me i i'm im we had have has got get getting need needs needed want wanted would like do did
    please pls just new first second another appointment appointments session sessions booked
    son daughter wife husband child children kid kids boy girl mum mom dad mother father
    partner baby family myself himself herself
    """.split()
)


@dataclass(frozen=True, slots=True)
class EnglishName:
    kind: str
    code: str
    gloss: str


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return re.findall(r"[a-z0-9]+", folded)


@lru_cache(maxsize=1)
def _table() -> tuple[dict[tuple[str, ...], EnglishName], dict[tuple[str, str], str]]:
    names: dict[tuple[str, ...], EnglishName] = {}
    glosses: dict[tuple[str, str], str] = {}
    with TABLE.open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            entry = EnglishName(row["kind"], row["code"], row["gloss"])
            glosses[(entry.kind, entry.code)] = entry.gloss
            for alias in row["aliases"].split("|"):
                names.setdefault(tuple(_words(alias)), entry)
    return names, glosses


# Asked for each search and each confidence of the same typed text.
@lru_cache(maxsize=4096)
def english_name(text: str) -> EnglishName | None:
    """The service an English lay name names, when that name is all the text says."""
    names, _ = _table()
    words = _words(text)
    if not words or len(words) > 12:
        return None
    for start, end in _spans(words, names):
        rest = words[:start] + words[end:]
        if all(w in _AROUND or w.isdigit() for w in rest):
            return names[tuple(words[start:end])]
    return None


def english_names_in(text: str) -> list[str]:
    """The English service names the text contains, as written, longest first where they
    overlap ("reimbursement for my son's eye exam on March 12" names "eye exam")."""
    names, _ = _table()
    found: list[str] = []
    words = _words(text)
    taken: set[int] = set()
    for start, end in _spans(words, names):
        if taken & set(range(start, end)):
            continue
        taken.update(range(start, end))
        found.append(" ".join(words[start:end]))
    return found


def _spans(words: list[str], names: dict[tuple[str, ...], EnglishName]) -> list[tuple[int, int]]:
    """Where the table's names occur in `words`, longest first."""
    longest = max((len(k) for k in names), default=0)
    spans = [(i, i + n) for n in range(min(longest, len(words)), 0, -1)
             for i in range(len(words) - n + 1) if tuple(words[i:i + n]) in names]
    return spans


def gloss(code: str, kind: str) -> str | None:
    """The English gloss of a catalogue entry ("eye examination" for 95.02), if the table
    has one."""
    return _table()[1].get((kind, code))
