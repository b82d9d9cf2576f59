"""Typo correction of query words against the catalogue's vocabulary (deletion index + OSA)."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Mapping

from rapidfuzz import process
from rapidfuzz.distance import OSA

__all__ = ["Speller"]

_MIN_LENGTH = 4  # shorter words are abbreviations ("eco", "tc"): guessing would do harm
_LONG_WORD = 6  # from this length two typos are tolerated
_MAX_SUGGESTIONS = 8
_MIN_COMPLETION = 3  # "add" may become "addome"; "ad" is too little to guess from


class Speller:
    """Finds the known word a misspelt one was meant to be.

    Candidates come from a deletion index (every known word under each one-letter deletion, the
    SymSpell idea), so a lookup touches a few dozen dict keys instead of the whole vocabulary;
    the optimal-string-alignment distance then ranks them.
    """

    def __init__(self, frequencies: Mapping[str, int]) -> None:
        self._frequencies = dict(frequencies)
        self._deletions: dict[str, list[str]] = defaultdict(list)
        by_length: dict[int, list[str]] = defaultdict(list)
        for word in sorted(self._frequencies, key=lambda known: -self._frequencies[known]):
            if len(word) >= _MIN_LENGTH - 1 and word.isalpha():
                for variant in {word, *_deletions(word)}:
                    self._deletions[variant].append(word)
                by_length[len(word)].append(word)
        # For words still being typed: every known word, sorted, to find those a prefix starts.
        self._sorted = sorted(
            word for word in self._frequencies if len(word) >= _MIN_LENGTH and word.isalpha()
        )
        # Two slips the deletion index cannot see (two letters missing): the words of about the
        # same length and the same first letter (seldom the mistaken one), most frequent first,
        # for a bounded scan of long words only.
        self._near: dict[tuple[str, int], list[str]] = defaultdict(list)
        for length, words in sorted(by_length.items()):
            for word in words:
                for near_length in range(max(length - 2, _LONG_WORD), length + 3):
                    self._near[(word[0], near_length)].append(word)

    def __contains__(self, word: object) -> bool:
        return word in self._frequencies

    def correct(self, word: str) -> str | None:
        """The known word closest to ``word``, ``word`` itself if known, None if nothing is close."""
        suggestions = self.suggestions(word)
        return suggestions[0] if suggestions else None

    def suggestions(self, word: str) -> list[str]:
        """The known words closest to ``word`` (all at the same distance), most frequent first."""
        if word in self._frequencies:
            return [word]
        if len(word) < _MIN_LENGTH or not word.isalpha():
            return []
        max_distance = 2 if len(word) >= _LONG_WORD else 1
        variants = {word, *_deletions(word)}
        if max_distance == 2:
            variants.update(
                deletion for variant in tuple(variants) for deletion in _deletions(variant)
            )
        found: dict[str, int] = {}
        for candidate in _unique(self._deletions.get(variant, ()) for variant in variants):
            distance = OSA.distance(word, candidate, score_cutoff=max_distance)
            if distance <= max_distance:
                found[candidate] = distance
        if max_distance == 2 and min(found.values(), default=2) == 2:
            # the index sees every one-slip word, but not every two-slip one (two letters
            # missing): then the words of about the same length are scanned too
            for candidate, distance, _ in process.extract(
                word,
                self._near.get((word[0], len(word)), ()),
                scorer=OSA.distance,
                score_cutoff=max_distance,
                limit=_MAX_SUGGESTIONS,
            ):
                found[candidate] = int(distance)
        if not found:
            return []
        closest = min(found.values())
        return sorted(
            (candidate for candidate, distance in found.items() if distance == closest),
            key=lambda candidate: (-self._frequencies[candidate], candidate),
        )[:_MAX_SUGGESTIONS]

    def complete(self, prefix: str) -> str | None:
        """The most frequent known word that starts with ``prefix`` (a word still being typed)."""
        if len(prefix) < _MIN_COMPLETION or not prefix.isalpha():
            return None
        start = bisect.bisect_left(self._sorted, prefix)
        end = bisect.bisect_left(self._sorted, prefix + "\x7f", start)
        if start == end:
            return None
        return max(self._sorted[start:end], key=lambda word: (self._frequencies[word], -len(word)))


def _deletions(word: str) -> list[str]:
    return [word[:position] + word[position + 1 :] for position in range(len(word))]


def _unique(groups: Iterable[Iterable[str]]) -> set[str]:
    found: set[str] = set()
    for group in groups:
        found.update(group)
    return found
