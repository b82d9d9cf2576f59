"""Turn a text into catalogue terms: stems after synonyms, compounds, negation and laterality."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from nlu.catalogue.normalise import BOUNDARY, fold, stem, tokens
from nlu.catalogue.synonyms import (
    CANON,
    COMPOUNDS,
    FUNCTION_WORDS,
    LATERAL_ONE_SIDE,
    NEGATION,
    STOPWORDS,
    WITH,
)

__all__ = ["Analyser", "Terms"]

_NEGATION = stem(NEGATION)
_WITH = stem(WITH)


@dataclass(frozen=True, slots=True)
class Terms:
    """What a text says, in the catalogue's vocabulary."""

    terms: tuple[str, ...]
    # What the text rules out: "senza mdc", "tonsillectomia senza adenoidectomia".
    negated: frozenset[str] = frozenset()
    # "dx", "sx": the customer means one side.
    one_side: bool = False


class Analyser:
    """Applies the synonym tables; the same analyser reads the catalogue and the queries."""

    def __init__(
        self,
        canon: Mapping[str, str] = CANON,
        compounds: Mapping[str, str] = COMPOUNDS,
        stopwords: frozenset[str] = STOPWORDS,
    ) -> None:
        self._stopwords = stopwords - FUNCTION_WORDS
        self._phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
        for key, value in canon.items():
            self._phrases[self._key(key)] = self._value(value)
        self._longest = max(len(key) for key in self._phrases)
        self._compounds = {self._key(key): self._value(value) for key, value in compounds.items()}

    @property
    def stopwords(self) -> frozenset[str]:
        return self._stopwords

    def vocabulary(self) -> set[str]:
        """The folded words the tables know (for spelling correction)."""
        words: set[str] = set(self._stopwords) | LATERAL_ONE_SIDE | FUNCTION_WORDS
        for table in (CANON, COMPOUNDS):
            for key in table:
                words.update(fold(key).split())
        return words

    def analyse(self, text: str) -> Terms:
        return self.analyse_words(tokens(text))

    def analyse_words(self, words: Sequence[str]) -> Terms:
        stems: list[str] = []
        one_side = False
        for word in words:
            if word in LATERAL_ONE_SIDE:
                one_side = True
            elif word == BOUNDARY or word not in self._stopwords:
                stems.append(word if word == BOUNDARY else stem(word))
        terms, negated = self._resolve_negation(self._canonical_groups(stems))
        return Terms(terms, negated, one_side)

    def _canonical_groups(self, stems: list[str]) -> list[tuple[str, ...]]:
        """Longest-match phrase rewriting, one group of terms per source phrase."""
        groups: list[tuple[str, ...]] = []
        position = 0
        while position < len(stems):
            if stems[position] == BOUNDARY:
                groups.append((BOUNDARY,))
                position += 1
                continue
            width, replacement = 1, (stems[position],)
            for size in range(min(self._longest, len(stems) - position), 0, -1):
                found = self._phrases.get(tuple(stems[position : position + size]))
                if found is not None:
                    width, replacement = size, found
                    break
            group: list[str] = []
            for term in replacement:
                group.extend(self._compounds.get((term,), (term,)))
            groups.append(tuple(group))
            position += width
        return groups

    @staticmethod
    def _resolve_negation(groups: list[tuple[str, ...]]) -> tuple[tuple[str, ...], frozenset[str]]:
        """``senza X`` excludes X, but ``senza e con`` / ``con e senza`` mean both."""
        terms: dict[str, None] = {}
        negated: set[str] = set()
        negating = after_with = False
        for group in groups:
            if group == (BOUNDARY,):
                negating = after_with = False
            elif group == (_NEGATION,):
                negating = not after_with
            elif group == (_WITH,):
                negating, after_with = False, True
            else:
                if negating:
                    negated.update(group)
                else:
                    terms.update(dict.fromkeys(group))
                negating = after_with = False
        return tuple(terms), frozenset(negated - terms.keys())

    def _key(self, text: str) -> tuple[str, ...]:
        return tuple(stem(word) for word in fold(text).split() if word not in self._stopwords)

    def _value(self, text: str) -> tuple[str, ...]:
        return tuple(stem(word) for word in fold(text).split() if word not in self._stopwords)
