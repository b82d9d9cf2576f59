"""The service catalogue: built once from the CSV files, searched with what customers type."""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path

from nlu.catalogue.aliases import ALIASES
from nlu.catalogue.analyse import Analyser
from nlu.catalogue.codes import find_codes, strip_codes
from nlu.catalogue.index import NOT, Index
from nlu.catalogue.models import KINDS, RICOVERO, Entry, Match
from nlu.catalogue.normalise import BOUNDARY, stem, tokens
from nlu.catalogue.ranking import Query, rank
from nlu.catalogue.source import Record, read_records
from nlu.catalogue.spelling import Speller
from nlu.catalogue.synonyms import ACTIONS, REMOVAL

__all__ = ["DEFAULT_DATA_DIR", "MIN_SCORE", "Catalogue", "load_catalogue", "search"]

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "catalogue"
# Below this score (0..100) a candidate is not what the customer meant: "ciao" finds nothing.
MIN_SCORE = 45.0
# Nor is a candidate scoring less than this share of the best one.
MIN_SHARE_OF_BEST = 0.5
# A code typed in full puts its entry at least this high (0..1), more if the words agree.
_EXACT_CODE_FLOOR = 0.6
_PREFIX_CODE_FLOOR = 0.5

_VISIT = stem("visita")
_FIRST = stem("prima")
_FOLLOW_UP = stem("controllo")
_ONE_SIDE = stem("monolaterale")
_BOTH_SIDES = stem("bilaterale")
_REMOVAL = stem(REMOVAL)
_IMPLANT = stem("impianto")
_PROSTHESIS = stem("protesi")


class Catalogue:
    """Outpatient services and hospital interventions, searchable by text or code."""

    def __init__(self, records: Sequence[Record]) -> None:
        self._analyser = Analyser()
        self._index = Index(records, self._analyser, ALIASES)
        self._speller = Speller(_word_frequencies(records, self._analyser))
        # Words that already say what is done: the actions, and every word an intervention's
        # name starts with ("Cerchiaggio...", "Tracheostomia...", "Artroscopia...").
        self._procedures = frozenset(
            term for word in ACTIONS for term in self._analyser.analyse(word).terms
        ) | {
            _first_term(self._analyser.analyse(record.naming).terms)
            for record in records
            if record.entry.kind == RICOVERO
        }
        self._sorted_codes = {
            kind: sorted(
                (document.entry.code, number)
                for number, document in enumerate(self._index.documents)
                if document.entry.kind == kind
            )
            for kind in KINDS
        }

    @classmethod
    def from_directory(cls, data_dir: Path) -> Catalogue:
        return cls(read_records(data_dir))

    def __len__(self) -> int:
        return len(self._index.documents)

    def entries(self, kind: str | None = None) -> Iterator[Entry]:
        kinds = _kinds(kind)
        return (
            document.entry for document in self._index.documents if document.entry.kind in kinds
        )

    def get(self, code: str, kind: str | None = None) -> Entry | None:
        """The entry with this code; without a kind, the outpatient one wins a shared code."""
        code = code.strip().upper().replace(",", ".")
        for each in _kinds(kind):
            number = self._index.by_code.get((each, code))
            if number is not None:
                return self._index.documents[number].entry
        return None

    def search(self, text: str, kind: str | None = None, limit: int = 5) -> list[Match]:
        """The services ``text`` most likely names, best first; [] when nothing is close."""
        kinds = _kinds(kind)
        if limit <= 0 or not text.strip():
            return []
        code_floors = self._code_floors(find_codes(text), kinds)
        words_only = strip_codes(text) if code_floors else text
        if code_floors and not any(char.isalnum() for char in words_only):
            # only codes: an exact one is certain, the start of longer codes nearly so
            scores = {
                number: 1.0 if floor == _EXACT_CODE_FLOOR else 0.9
                for number, floor in code_floors.items()
            }
            code_floors = {}
        else:
            scores = self._text_scores(words_only, kinds)
            if code_floors:
                # "ca 19.9" may be a lab test, not code 19.9: the full text also gets its say
                for number, score in self._text_scores(text, kinds).items():
                    scores[number] = max(score, scores.get(number, 0.0))
        for number, floor in code_floors.items():
            said = scores.get(number, 0.0)
            scores[number] = max(said, floor + (1.0 - floor) * said)
        documents = self._index.documents
        ordered = sorted(scores.items(), key=lambda item: (-item[1], documents[item[0]].position))
        matches: list[Match] = []
        threshold = (
            max(MIN_SCORE, MIN_SHARE_OF_BEST * 100.0 * ordered[0][1]) if ordered else MIN_SCORE
        )
        for number, score in ordered:
            if 100.0 * score < threshold or len(matches) == limit:
                break
            entry = documents[number].entry
            matches.append(Match(entry.code, entry.name, entry.kind, round(100.0 * score, 1)))
        return matches

    def query(self, text: str, kind: str | None = None) -> Query:
        """``text`` in the catalogue's terms, misspellings corrected (exposed for debugging)."""
        typed = tokens(text)
        words = [self._spell(word) for word in typed]
        if typed and not text[-1:].isspace() and typed[-1] not in self._speller:
            # the portal searches while the customer types: the last word may be unfinished
            words[-1] = self._speller.complete(typed[-1]) or words[-1]
        said = self._analyser.analyse_words(words)
        terms = tuple((term, self._index.weight(term)) for term in said.terms)
        # "stent non medicato": entries saying the same "non" agree with the query
        terms += tuple(
            (NOT + term, self._index.weights[NOT + term])
            for term in said.negated
            if NOT + term in self._index.weights
        )

        hints, avoid = set(), set()
        names = set(said.terms)
        if _VISIT in names and not {_FIRST, _FOLLOW_UP} & names:
            hints.add(_FIRST)  # a bare "visita cardiologica" is a first visit
            avoid.add(_FOLLOW_UP)
        if kind == RICOVERO and names and not self._procedures & (names - {_PROSTHESIS}):
            # an organ or an illness alone ("tiroide", "appendicite") most often means taking it
            # out; a prosthesis alone means putting it in
            hints.add(_IMPLANT if _PROSTHESIS in names else _REMOVAL)
        if said.one_side and _BOTH_SIDES not in names:
            hints.add(_ONE_SIDE)  # "mammella sx"
            avoid.add(_BOTH_SIDES)
        return Query(terms, said.negated, frozenset(hints), frozenset(avoid))

    def _text_scores(self, text: str, kinds: tuple[str, ...]) -> dict[int, float]:
        query = self.query(text, kinds[0] if len(kinds) == 1 else None)
        return {number: score for score, number in rank(self._index, query, kinds)}

    def _spell(self, word: str) -> str:
        if word == BOUNDARY or word in self._speller or not word.isalpha():
            return word
        return self._speller.correct(word) or word

    def _code_floors(self, codes: list[str], kinds: tuple[str, ...]) -> dict[int, float]:
        """Entries named by a typed code: exactly, or as the start of longer codes ("89.7A")."""
        floors: dict[int, float] = {}
        for code in codes:
            for kind in kinds:
                exact = self._index.by_code.get((kind, code))
                if exact is not None:
                    floors[exact] = max(floors.get(exact, 0.0), _EXACT_CODE_FLOOR)
                    continue
                listed = self._sorted_codes[kind]
                start = bisect.bisect_left(listed, (code,))
                for other, number in listed[start:]:
                    if not other.startswith(code):
                        break
                    if other[len(code) : len(code) + 1] in {".", ""} or code.count(".") == 1:
                        floors[number] = max(floors.get(number, 0.0), _PREFIX_CODE_FLOOR)
        return floors


def _first_term(terms: tuple[str, ...]) -> str:
    return terms[0] if terms and terms[0] != stem("altro") else (terms[1] if len(terms) > 1 else "")


def _kinds(kind: str | None) -> tuple[str, ...]:
    if kind is None:
        return KINDS
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}: expected one of {', '.join(KINDS)}")
    return (kind,)


def _word_frequencies(records: Sequence[Record], analyser: Analyser) -> Counter[str]:
    """How often each folded word appears in the catalogue, plus the words the tables know."""
    counts: Counter[str] = Counter()
    for record in records:
        counts.update(tokens(record.naming))
        counts.update(tokens(record.notes))
    for aliases in ALIASES.values():
        for alias in aliases:
            counts.update(tokens(alias))
    for word in analyser.vocabulary():
        counts[word] += 1
    del counts[BOUNDARY]
    return counts


@lru_cache(maxsize=1)
def _default_catalogue() -> Catalogue:
    return Catalogue.from_directory(DEFAULT_DATA_DIR)


def load_catalogue(data_dir: Path | None = None) -> Catalogue:
    """The catalogue of ``data_dir``; the default one (the repo's data/catalogue) is built once."""
    if data_dir is None or Path(data_dir).resolve() == DEFAULT_DATA_DIR:
        return _default_catalogue()
    return Catalogue.from_directory(Path(data_dir))


def search(text: str, kind: str | None = None, limit: int = 5) -> list[Match]:
    """Search the default catalogue."""
    return load_catalogue().search(text, kind=kind, limit=limit)
