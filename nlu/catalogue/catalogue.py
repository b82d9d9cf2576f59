"""The service catalogue: built once from the CSV files, searched with what customers type."""

from __future__ import annotations

import bisect
import gc
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from nlu.catalogue.aliases import ALIASES
from nlu.catalogue.analyse import Analyser
from nlu.catalogue.cache import cached
from nlu.catalogue.codes import find_codes, strip_codes
from nlu.catalogue.confidence import (
    Assessment,
    confidence,
    content_words,
    evidence,
    not_a_service,
    word_evidence,
)
from nlu.catalogue.english import english_name
from nlu.catalogue.families import closest_family
from nlu.catalogue.index import NOT, Index
from nlu.catalogue.models import KINDS, RICOVERO, Entry, Match
from nlu.catalogue.normalise import BOUNDARY, stem, tokens
from nlu.catalogue.ranking import Query, rank
from nlu.catalogue.source import Record, read_records
from nlu.catalogue.spelling import Speller
from nlu.catalogue.synonyms import ACTIONS, REMOVAL
from nlu.spoken import without_fillers

__all__ = ["DEFAULT_DATA_DIR", "MIN_SCORE", "Catalogue", "assess", "load_catalogue", "search"]

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "catalogue"
# Below this score (0..100) a candidate is not what the customer meant: "ciao" finds nothing.
MIN_SCORE = 45.0
# Nor is a candidate scoring less than this share of the best one.
MIN_SHARE_OF_BEST = 0.5
# A code typed with words puts its entry at least this high (0..1), more if the words agree.
_EXACT_CODE_FLOOR = 0.6
_PREFIX_CODE_FLOOR = 0.5
# A code typed alone that only starts longer codes ("89.7A"): each of those, nearly certain.
_PREFIX_ALONE = 0.9

_VISIT = stem("visita")
_FIRST = stem("prima")
_FOLLOW_UP = stem("controllo")
_ONE_SIDE = stem("monolaterale")
_BOTH_SIDES = stem("bilaterale")
_REMOVAL = stem(REMOVAL)
_IMPLANT = stem("impianto")
_PROSTHESIS = stem("protesi")
_OTHER = stem("altro")
# Searches remembered per catalogue: customers type the same few services over and over
# ("visita cardiologica", "ecografia addome"), each search costs ~0.3 ms.
_RECENT_SEARCHES = 1024
_REMEMBERED = ("_remembered_search_", "_remembered_evidence_")


class Catalogue:
    """Outpatient services and hospital interventions, searchable by text or code."""

    def __init__(self, records: Sequence[Record]) -> None:
        self._analyser = Analyser()
        self._index = Index(records, self._analyser, ALIASES)
        self._speller = Speller(_word_frequencies(records, self._analyser))
        self._procedures = _procedure_terms(records, self._analyser)
        self._sorted_codes = {
            kind: sorted(
                (document.entry.code, number)
                for number, document in enumerate(self._index.documents)
                if document.entry.kind == kind
            )
            for kind in KINDS
        }

    def __getstate__(self) -> dict[str, Any]:
        # The remembered searches are not part of the built catalogue nor of its cache file.
        return {k: v for k, v in self.__dict__.items() if k not in _REMEMBERED}

    def _remembered_search(self) -> Callable[[str, tuple[str, ...], int], tuple[Match, ...]]:
        return self._remembered("_remembered_search_", self._search)

    def _remembered_evidence(self) -> Callable[[str, frozenset[str]], float]:
        return self._remembered("_remembered_evidence_", self._evidence)

    def _remembered(self, name: str, function: Callable[..., Any]) -> Any:
        remembered = self.__dict__.get(name)
        if remembered is None:  # made on first use: a catalogue loaded from its cache has none
            remembered = self.__dict__[name] = lru_cache(_RECENT_SEARCHES)(function)
        return remembered

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
        return list(self._remembered_search()(text, kinds, limit))

    def _search(self, text: str, kinds: tuple[str, ...], limit: int) -> tuple[Match, ...]:
        text = without_fillers(text)  # "ehm, una ecografia": the hesitation is no service
        english = self._english(text, kinds)
        if english is not None:
            return (english,)
        documents = self._index.documents
        scores = self._scores(text, kinds)
        ordered = sorted(scores.items(), key=lambda item: (-item[1], documents[item[0]].position))
        if not ordered:
            return ()
        threshold = max(MIN_SCORE, MIN_SHARE_OF_BEST * _percent(ordered[0][1]))
        matches: list[Match] = []
        for number, score in ordered[:limit]:
            if _percent(score) < threshold:
                break
            entry = documents[number].entry
            matches.append(Match(entry.code, entry.name, entry.kind, _percent(score)))
        return tuple(matches)

    def assess(self, text: str, kind: str | None = None, limit: int = 5,
               people: Sequence[str] = ()) -> Assessment:
        """The search of ``text`` with a calibrated confidence that it names a service; texts
        that are people, commands, questions, refusals or corrections are not searched.
        `people` are the household's first names."""
        text = text[:500]
        reason = not_a_service(text, people, self._speller)
        if reason is not None:
            return Assessment(text, [], 0.0, None, reason)
        matches = self.search(text, kind=kind, limit=limit)
        sure = self.confidence(text, matches, people)
        found = Assessment(text, matches, sure)
        if not found.confident:
            return Assessment(text, matches, sure, closest_family(text))
        return found

    def assess_several(self, text: str, kind: str | None = None, limit: int = 5,
                       people: Sequence[str] = ()) -> list[Assessment]:
        """One assessment per service the text names ("visita cardiologica, ecg e esami del
        sangue" names three); one of the whole text when it names one."""
        from nlu.catalogue.several import assess_several

        return assess_several(self, text, kind=kind, limit=limit, people=people)

    def confidence(self, text: str, matches: Sequence[Match],
                   people: Sequence[str] = ()) -> float:
        """How sure (0..1) the best of ``matches``, found for ``text``, is what was meant."""
        if not matches:
            return 0.0
        if find_codes(text) and matches[0].score >= 99.0:
            return 1.0  # a code typed exactly
        english = self._english(text, KINDS)
        if english is not None and matches[0].code == english.code:
            return 1.0  # an English name of the table, as typed
        return confidence(matches[0].score, self.evidence(text, people))

    def evidence(self, text: str, people: Sequence[str] = ()) -> float:
        """How much the words of ``text`` say "a service" (0..1): catalogue words count fully,
        misspelt ones partly, everyday words, names and unknown words not at all."""
        return self._remembered_evidence()(text, frozenset(name.casefold() for name in people))

    def _evidence(self, text: str, names: frozenset[str]) -> float:
        words = content_words(self._rejoined(tokens(without_fillers(text))))
        return evidence([
            word_evidence(w, self._speller, bool(self._speller.suggestions(w)), names)
            for w in words
        ])

    def _english(self, text: str, kinds: Sequence[str]) -> Match | None:
        """The entry an English lay name names (nlu.catalogue.english), if one does."""
        named = english_name(text)
        if named is None or named.kind not in kinds:
            return None
        entry = self.get(named.code, named.kind)
        return None if entry is None else Match(entry.code, entry.name, entry.kind, 100.0)

    def query(self, text: str, kind: str | None = None) -> Query:
        """``text`` in the catalogue's terms, misspellings corrected (exposed for debugging)."""
        words = self._rejoined(tokens(text))
        if words and not text[-1:].isspace() and words[-1] not in self._speller:
            # the portal searches while the customer types: the last word may be unfinished
            words[-1] = self._speller.complete(words[-1]) or words[-1]
        said = self._analyser.analyse_query(self._spelt(words))
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

    def _scores(self, text: str, kinds: tuple[str, ...]) -> dict[int, float]:
        """Score (0..1) of each candidate entry, codes typed in the text included."""
        coded = self._coded(find_codes(text), kinds)
        if not coded:
            return self._text_scores(text, kinds)
        words = strip_codes(text)
        if not any(char.isalnum() for char in words):
            # only codes: an exact one is certain, the start of longer codes nearly so
            return {number: 1.0 if exact else _PREFIX_ALONE for number, exact in coded.items()}
        scores = self._text_scores(words, kinds)
        # "ca 19.9" may be a lab test rather than code 19.9: the whole text has its say too
        for number, score in self._text_scores(text, kinds).items():
            scores[number] = max(score, scores.get(number, 0.0))
        for number, exact in coded.items():
            floor = _EXACT_CODE_FLOOR if exact else _PREFIX_CODE_FLOOR
            said = scores.get(number, 0.0)
            scores[number] = max(said, floor + (1.0 - floor) * said)
        return scores

    def _text_scores(self, text: str, kinds: tuple[str, ...]) -> dict[int, float]:
        query = self.query(text, kinds[0] if len(kinds) == 1 else None)
        return {number: score for score, number in rank(self._index, query, kinds)}

    def _rejoined(self, words: Sequence[str]) -> list[str]:
        """A word said or typed in pieces, whole again: "eco grafia", "elettro cardiogramma",
        "visita cardio logica" (a recogniser's split, or a phone's space), and letters spelt
        one by one ("e c g", "r m n"). Pieces are joined only into a word the catalogue
        knows, and only when a piece is no word of it alone ("eco" and "tac" are)."""
        known = self._speller
        if len(words) < 2 or all(word in known and len(word) > 1 for word in words):
            return list(words)
        joined: list[str] = []
        position = 0
        while position < len(words):
            word = words[position]
            letters = _spelt_letters(words, position)
            if letters > 1 and "".join(words[position:position + letters]) in known:
                joined.append("".join(words[position:position + letters]))
                position += letters
                continue
            following = words[position + 1] if position + 1 < len(words) else ""
            if (following.isalpha() and word.isalpha() and len(following) > 1
                    and len(word) > 1 and (word not in known or following not in known)
                    and word + following in known):
                # a third piece joins on: "elettro cardio gramma"
                words = [*words[:position], word + following, *words[position + 2:]]
                continue
            joined.append(word)
            position += 1
        return joined

    def _spelt(self, words: list[str]) -> list[str]:
        """``words`` with typos corrected; between equally close corrections, the one that
        appears with the other words of the query ("artroscopia salla": spalla, not sella)."""
        suggestions = {
            position: self._speller.suggestions(word)
            for position, word in enumerate(words)
            if word != BOUNDARY and word not in self._speller and word.isalpha()
        }
        if not suggestions:
            return words
        context = self._entries_with(
            [word for position, word in enumerate(words) if position not in suggestions]
        )
        spelt = list(words)
        for position, candidates in suggestions.items():
            if len(candidates) > 1 and context:
                candidates = sorted(
                    candidates,
                    key=lambda candidate: -len(self._entries_with([candidate]) & context),
                )
            spelt[position] = candidates[0] if candidates else words[position]
        return spelt

    def _entries_with(self, words: list[str]) -> set[int]:
        """Documents that have any term of ``words``."""
        found: set[int] = set()
        for term in self._analyser.analyse_words(words).terms:
            for kind in KINDS:
                found.update(number for number, _ in self._index.postings[kind].get(term, ()))
        return found

    def _coded(self, codes: list[str], kinds: tuple[str, ...]) -> dict[int, bool]:
        """Entries a typed code names: exactly (True), or as the start of longer codes (False)."""
        coded: dict[int, bool] = {}
        for code in codes:
            for kind in kinds:
                exact = self._index.by_code.get((kind, code))
                if exact is not None:
                    coded[exact] = True
                    continue
                listed = self._sorted_codes[kind]
                for other, number in listed[bisect.bisect_left(listed, (code,)) :]:
                    if not other.startswith(code):
                        break
                    # "89.7A" starts "89.7A.3"; a category ("88.7") also covers "88.76.1"
                    if other[len(code) : len(code) + 1] == "." or code.count(".") == 1:
                        coded.setdefault(number, False)
        return coded


def _procedure_terms(records: Sequence[Record], analyser: Analyser) -> frozenset[str]:
    """Words that already say what is done: the actions, and each word an intervention's name
    starts with ("Cerchiaggio...", "Tracheostomia...", "Artroscopia...", past an "Altra")."""
    terms = {term for word in ACTIONS for term in analyser.analyse(word).terms}
    for record in records:
        if record.entry.kind == RICOVERO:
            named = [term for term in analyser.analyse(record.naming).terms if term != _OTHER]
            terms.update(named[:1])
    return frozenset(terms)


def _spelt_letters(words: Sequence[str], position: int) -> int:
    """How many single letters are spelt one after the other from ``position``."""
    count = 0
    while (position + count < len(words) and len(words[position + count]) == 1
           and words[position + count].isalpha()):
        count += 1
    return count


def _percent(score: float) -> float:
    """A score as customers see it: 0 to 100, one decimal."""
    return round(100.0 * min(score, 1.0), 1)


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


# A load started in the background and a turn that needs the catalogue share one load.
_DEFAULT_LOCK = threading.Lock()
_background: threading.Thread | None = None


@lru_cache(maxsize=1)
def _default_catalogue() -> Catalogue:
    # Built once per data and code, then loaded from the cache file (nlu.catalogue.cache).
    catalogue = cached("catalogue", DEFAULT_DATA_DIR,
                       lambda: Catalogue.from_directory(DEFAULT_DATA_DIR))
    # It lives as long as the process: its ~180,000 objects are kept out of the cycle
    # collector's scans, which otherwise cost ~0.1-0.3 s at each full collection.
    gc.freeze()
    return catalogue


def load_catalogue(data_dir: Path | None = None) -> Catalogue:
    """The catalogue of ``data_dir``; the default one (the repo's data/catalogue) is built once."""
    if data_dir is None or Path(data_dir).resolve() == DEFAULT_DATA_DIR:
        with _DEFAULT_LOCK:
            return _default_catalogue()
    return Catalogue.from_directory(Path(data_dir))


def load_catalogue_in_background() -> None:
    """Starts loading the default catalogue in a thread of its own, once; whoever needs it
    meanwhile waits for that load instead of starting another. For a program that can answer
    first and search later (a chat's greeting needs no catalogue)."""
    global _background
    if _background is None:
        _background = threading.Thread(target=load_catalogue, name="medbot-catalogue",
                                       daemon=True)
        _background.start()


def search(text: str, kind: str | None = None, limit: int = 5) -> list[Match]:
    """Search the default catalogue."""
    return load_catalogue().search(text, kind=kind, limit=limit)


def assess(text: str, kind: str | None = None, limit: int = 5,
           people: Sequence[str] = ()) -> Assessment:
    """Search the default catalogue, with the confidence that ``text`` names a service."""
    return load_catalogue().assess(text, kind=kind, limit=limit, people=people)
