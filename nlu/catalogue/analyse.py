"""Turn a text into catalogue terms: stems after synonyms, compounds, negation and laterality."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from nlu.catalogue.normalise import BOUNDARY, fold, stem, tokens
from nlu.catalogue.synonyms import (
    CANON,
    COMPOUNDS,
    EXACT_ONLY,
    FUNCTION_WORDS,
    LATERAL_ONE_SIDE,
    NEGATIONS,
    NOUN_AFTER,
    NOUN_WHEN_LAST,
    PANELS,
    STOPWORDS,
    WITH,
)

__all__ = ["Analyser", "Terms"]

_NEGATIONS = frozenset(stem(word) for word in NEGATIONS)
_WITH = stem(WITH)
# Abbreviations are looked up as typed: "vit" (vitamina) must not catch "vitali", whose stem
# is also "vit", nor "alt" (the transaminase) catch "alto".
_SHORT = 3


def _lookup(word: str) -> str:
    return f"={word}" if len(word) <= _SHORT else stem(word)


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
        panels: Mapping[str, str] = PANELS,
    ) -> None:
        self._stopwords = stopwords - FUNCTION_WORDS
        self._exact = {
            fold(word): self._value(value) for word, value in canon.items() if word in EXACT_ONLY
        }
        self._phrases = self._phrase_table(
            {word: value for word, value in canon.items() if word not in EXACT_ONLY}
        )
        self._panels = self._phrase_table(panels)
        self._query_phrases = self._phrases | self._panels
        # For each word that starts a phrase, the length of its longest phrase: most words start
        # none, and are passed through without building any key.
        self._longest_from: dict[str, int] = {}
        for phrase in self._query_phrases:
            self._longest_from[phrase[0]] = max(len(phrase), self._longest_from.get(phrase[0], 0))
        self._cache: dict[str, Terms] = {}
        self._compounds = {stem(key): self._value(value) for key, value in compounds.items()}

    @property
    def stopwords(self) -> frozenset[str]:
        return self._stopwords

    def vocabulary(self) -> set[str]:
        """The folded words the tables know (for spelling correction)."""
        words: set[str] = set(self._stopwords) | LATERAL_ONE_SIDE | FUNCTION_WORDS
        for table in (CANON, COMPOUNDS, PANELS):
            for key in table:
                words.update(fold(key).split())
        return words

    def analyse(self, text: str) -> Terms:
        """The terms of a catalogue text (remembered: the index reads some texts twice)."""
        found = self._cache.get(text)
        if found is None:
            found = self._cache[text] = self.analyse_words(tokens(text))
        return found

    def analyse_query(self, words: Sequence[str]) -> Terms:
        """The terms of what a customer typed; a panel typed alone ("profilo lipidico",
        "funzionalità epatica") stands for its tests."""
        said = tuple(
            _lookup(word) for word in words if word != BOUNDARY and word not in self._stopwords
        )
        return self.analyse_words(words, self._query_phrases if said in self._panels else None)

    def analyse_words(
        self, words: Sequence[str], phrases: Mapping[tuple[str, ...], tuple[str, ...]] | None = None
    ) -> Terms:
        kept: list[str] = []
        one_side = False
        for position, word in enumerate(words):
            if word in LATERAL_ONE_SIDE:
                one_side = True
            elif word == BOUNDARY or word not in self._stopwords:
                kept.append(word)
            elif word in NOUN_WHEN_LAST and (
                self._ends_clause(words, position)
                or (position and words[position - 1] in NOUN_AFTER.get(word, ()))
            ):
                kept.append(NOUN_WHEN_LAST[word])
        groups = self._canonical_groups(kept, self._phrases if phrases is None else phrases)
        terms, negated = self._resolve_negation(groups)
        return Terms(terms, negated, one_side)

    def _canonical_groups(
        self, words: list[str], phrases: Mapping[tuple[str, ...], tuple[str, ...]]
    ) -> list[tuple[str, ...]]:
        """Longest-match phrase rewriting, one group of terms per source phrase."""
        keys = [word if word == BOUNDARY else _lookup(word) for word in words]
        groups: list[tuple[str, ...]] = []
        position = 0
        while position < len(words):
            if words[position] == BOUNDARY:
                groups.append((BOUNDARY,))
                position += 1
                continue
            width = 1
            replacement: tuple[str, ...] = self._exact.get(words[position]) or (
                stem(words[position]),
            )
            longest = self._longest_from.get(keys[position], 0)
            for size in range(min(longest, len(words) - position), 0, -1):
                found = phrases.get(tuple(keys[position : position + size]))
                if found is not None:
                    width, replacement = size, found
                    break
            group: list[str] = []
            for term in replacement:
                if (
                    term in _NEGATIONS or term == _WITH
                ):  # "s/mdc" -> "senza mdc": senza scopes what follows
                    if group:
                        groups.append(tuple(group))
                    groups.append((term,))
                    group = []
                else:
                    group.extend(self._compounds.get(term, (term,)))
            if group:
                groups.append(tuple(group))
            position += width
        return groups

    @staticmethod
    def _ends_clause(words: Sequence[str], position: int) -> bool:
        return position + 1 == len(words) or words[position + 1] == BOUNDARY

    @staticmethod
    def _resolve_negation(groups: list[tuple[str, ...]]) -> tuple[tuple[str, ...], frozenset[str]]:
        """``senza X`` excludes X, but ``senza e con`` / ``con e senza`` mean both."""
        terms: dict[str, None] = {}
        negated: set[str] = set()
        negating = after_with = False
        for group in groups:
            if group == (BOUNDARY,):
                negating = after_with = False
            elif len(group) == 1 and group[0] in _NEGATIONS:
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

    def _phrase_table(self, table: Mapping[str, str]) -> dict[tuple[str, ...], tuple[str, ...]]:
        phrases = {}
        for word_or_phrase, value in table.items():
            if phrase := self._key(word_or_phrase):  # a key of stopwords only is never met
                phrases[phrase] = self._value(value)
        return phrases

    def _key(self, text: str) -> tuple[str, ...]:
        return tuple(_lookup(word) for word in fold(text).split() if word not in self._stopwords)

    def _value(self, text: str) -> tuple[str, ...]:
        return tuple(stem(word) for word in fold(text).split() if word not in self._stopwords)
