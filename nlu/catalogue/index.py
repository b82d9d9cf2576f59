"""The inverted index: each entry's terms by field, postings per kind, and term weights."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from nlu.catalogue.analyse import Analyser
from nlu.catalogue.codes import strip_codes
from nlu.catalogue.models import KINDS, Entry
from nlu.catalogue.source import Record
from nlu.catalogue.synonyms import DISTINCTIVE, EXCLUSIVE, LOW_WEIGHT

__all__ = ["DETAIL_FIELD", "NOT", "NOTES_FIELD", "UNKNOWN_WEIGHT", "Document", "Index"]

# How much a term counts where it is found: 1.0 in the first sentence of the name or in a
# customer alias; less in the name's further sentences ("Studio in anteroposteriore..."), and
# less again in the notes ("Incluso: ...", bracketed lists).
DETAIL_FIELD = 0.8
NOTES_FIELD = 0.5
# Prefix of the term for "not X" ("stent non medicato"): said by an entry, asked by a query.
NOT = "!"
# The weight of a query word the catalogue has never seen: it counts against every entry.
UNKNOWN_WEIGHT = 4.0
# ...unless it is a number or a lone letter or two ("2p", "n. 3"): noise more than meaning.
UNKNOWN_TOKEN_WEIGHT = 0.5


@dataclass(frozen=True, slots=True)
class Document:
    """An entry as the ranking sees it."""

    entry: Entry
    position: int  # order in the source files: the catalogues list the usual variant first
    # The name, its first sentence, its abbreviations and each alias as sets of terms ("forms"):
    # a query that says all of one form is a query for exactly this service.
    forms: tuple[frozenset[str], ...]
    # Best field weight of every term of the entry (1.0 in the title or an alias, DETAIL_FIELD
    # in the rest of the name, NOTES_FIELD in the notes).
    fields: Mapping[str, float]
    # Terms the entry itself rules out ("tonsillectomia senza adenoidectomia").
    negated: frozenset[str]
    # The terms of the first sentence of the name: what the service is, before any detail.
    title: frozenset[str]

    @property
    def name_terms(self) -> frozenset[str]:
        return self.forms[0] if self.forms else frozenset()


class Index:
    """Documents plus, for each kind, postings from term to (document, field weight)."""

    def __init__(
        self,
        records: Sequence[Record],
        analyser: Analyser,
        aliases: Mapping[tuple[str, str], Iterable[str]],
    ) -> None:
        self.documents: tuple[Document, ...] = tuple(
            _document(
                position, record, analyser, aliases.get((record.entry.kind, record.entry.code), ())
            )
            for position, record in enumerate(records)
        )
        self.postings: dict[str, dict[str, list[tuple[int, float]]]] = {
            kind: defaultdict(list) for kind in KINDS
        }
        for number, document in enumerate(self.documents):
            kind_postings = self.postings[document.entry.kind]
            for term, field in document.fields.items():
                kind_postings[term].append((number, field))
        self.weights = _term_weights(self.documents, analyser)
        distinctive = _terms_of(DISTINCTIVE, analyser)
        # In a name, a term weighs more if saying it or not changes the service ("angio").
        self.name_weights = {
            term: weight * distinctive.get(term, 1.0) for term, weight in self.weights.items()
        }
        # Total name weight of each form: the denominator of "how much of this name was said".
        self.form_totals: tuple[tuple[float, ...], ...] = tuple(
            tuple(sum(self.name_weights[term] for term in form) for form in document.forms)
            for document in self.documents
        )
        # A cheap tie-break for the first pass: the weight of the entry's lightest form, scaled
        # far below one query term so that it only orders entries of equal coverage.
        self.lightest: tuple[float, ...] = tuple(
            min(totals, default=99.0) / 1000.0 for totals in self.form_totals
        )
        self.exclusive: tuple[frozenset[str], ...] = tuple(
            frozenset(term for word in group for term in analyser.analyse(word).terms)
            for group in EXCLUSIVE
        )
        self.by_code: dict[tuple[str, str], int] = {
            (document.entry.kind, document.entry.code): number
            for number, document in enumerate(self.documents)
        }

    def weight(self, term: str) -> float:
        known = self.weights.get(term)
        if known is not None:
            return known
        return UNKNOWN_TOKEN_WEIGHT if len(term) <= 2 or term.isdigit() else UNKNOWN_WEIGHT


# "Tireoglobulina (Tg)", "Esofagogastroduodenoscopia [EGDS]": the abbreviation is another way
# to say the name, not one more thing the name says.
_EXPLANATION = re.compile(r"\s*[(\[][^()\[\]]*\S\s+\S+\s+\S[^()\[\]]*[)\]]")
_BRACKETED = re.compile(r"\s*[(\[]([^()\[\]]{1,12})[)\]]")


def _abbreviation(inside: str) -> bool:
    words = inside.split()
    return all(
        not any(char.isdigit() for char in word)
        and (word.replace(".", "").isupper() or len(word) <= 3)
        for word in words
    ) and any(char.isupper() for char in inside)


def _split_abbreviations(sentence: str) -> tuple[str, list[str], list[str]]:
    """The sentence without its abbreviations, those that close it, and the others.

    An abbreviation that closes the sentence ("Tireoglobulina (Tg)") is another name for the
    whole service; one inside it ("[EGDS] con biopsia") names only a part.
    """
    closing: list[str] = []
    inner: list[str] = []
    matches = [match for match in _BRACKETED.finditer(sentence) if _abbreviation(match.group(1))]
    end = len(sentence.rstrip(" ."))
    for match in reversed(matches):
        if match.end() == end:
            closing.insert(0, match.group(1))
            end = match.start()
        else:
            # "[PET] cerebrale con FDG": the abbreviation and what follows it are a short name
            inner.insert(0, match.group(1) + " " + sentence[match.end() :])
    rest = _BRACKETED.sub(
        lambda match: " " if _abbreviation(match.group(1)) else match.group(0), sentence
    )
    # "(Asportazione di cisti ovarica con ricostruzione della gonade)": an explanation, not
    # the title; it stays in the rest of the name
    rest = _EXPLANATION.sub(" ", rest)
    return rest, closing, inner


def _document(
    position: int, record: Record, analyser: Analyser, aliases: Iterable[str]
) -> Document:
    naming = analyser.analyse(record.naming)
    name = frozenset(naming.terms)
    first_sentence = record.naming.split(" . ", 1)[0]
    plain, closing, inner = _split_abbreviations(first_sentence)
    title = frozenset(analyser.analyse(plain).terms) or name
    if naming.negated:  # what the name rules out is part of what it says
        ruled_out = frozenset(NOT + term for term in naming.negated)
        name, title = name | ruled_out, title | ruled_out
    alias_forms = [frozenset(analyser.analyse(alias).terms) for alias in (*closing, *aliases)]
    fields: dict[str, float] = dict.fromkeys(
        analyser.analyse(strip_codes(record.notes)).terms, NOTES_FIELD
    )
    fields.update(dict.fromkeys(name, DETAIL_FIELD))
    alias_forms += [frozenset(analyser.analyse(short).terms) for short in inner]
    for form in (title, *alias_forms):
        fields.update(dict.fromkeys(form, 1.0))
    forms = tuple(dict.fromkeys(form for form in (name, title, *alias_forms) if form))
    return Document(record.entry, position, forms, fields, naming.negated, title)


def _terms_of(table: Mapping[str, float], analyser: Analyser) -> dict[str, float]:
    """A word -> factor table in terms; when two words share a term, the smaller factor."""
    factors: dict[str, float] = {}
    for word, factor in table.items():
        for term in analyser.analyse(word).terms:
            factors[term] = min(factor, factors.get(term, factor))
    return factors


def _term_weights(documents: Sequence[Document], analyser: Analyser) -> dict[str, float]:
    """Inverse document frequency over names and aliases, scaled down for generic words."""
    in_forms: Counter[str] = Counter()
    anywhere: Counter[str] = Counter()
    for document in documents:
        in_forms.update(set().union(*document.forms))
        anywhere.update(document.fields)
    total = len(documents)
    weights = {
        term: 1.0 + math.log(total / (in_forms[term] or anywhere[term])) for term in anywhere
    }
    for term, factor in _terms_of(LOW_WEIGHT, analyser).items():
        if term in weights:
            weights[term] *= factor
    return weights
