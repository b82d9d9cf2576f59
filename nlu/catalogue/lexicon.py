"""Everyday Italian words with their frequency: a word of this list that the catalogue does not
know is ordinary language ("niente", "milano", "annulla"), never a misspelt service."""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

__all__ = ["LEXICON_FILE", "VERY_COMMON", "everyday_words"]

# Folded Italian words with their wordfreq Zipf frequency, >= 2.5 (see data/SOURCES.md).
LEXICON_FILE = Path(__file__).resolve().parents[2] / "data" / "lexicon" / "it_common.tsv.gz"
# From this frequency a word is everyday language even where the catalogue uses it too
# ("prima", "tempo", "volta", "cuore"): alone it says little about which service.
VERY_COMMON = 5.0


@lru_cache(maxsize=1)
def everyday_words() -> dict[str, float]:
    """Folded everyday word -> Zipf frequency, loaded once."""
    found: dict[str, float] = {}
    with gzip.open(LEXICON_FILE, "rt", encoding="utf-8") as file:
        for line in file:
            word, _, frequency = line.rstrip("\n").partition("\t")
            if word:
                found[word] = float(frequency or 0)
    return found
