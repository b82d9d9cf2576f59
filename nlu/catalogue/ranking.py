"""Scoring entries against a query: weighted coverage both ways, on a short list of candidates."""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from nlu.catalogue.index import Document, Index

__all__ = ["Query", "rank"]

# Candidates kept after the cheap pass (summing postings) for the full scoring.
SHORTLIST = 40
# Share of the score that rewards saying the whole name, against saying only part of it:
# "rm spalla" must prefer "RM della spalla" to "RM della spalla senza e con MDC".
NAME_COVERAGE_SHARE = 0.3
# A query term an entry lacks but has a near twin of ("broncodilatatore"/"broncodilatazione")
# earns this share of its weight, scaled by the similarity.
NEAR_TERM_CREDIT = 0.6
NEAR_TERM_MIN_SIMILARITY = 80.0
NEAR_TERM_MIN_LENGTH = 5
HINT_BONUS = 0.03
# The query rules out what the entry is ("senza mdc", "rm" against "tc").
CONTRADICTION_FACTOR = 0.7
CONFLICT_FACTOR = 0.75


@dataclass(frozen=True, slots=True)
class Query:
    """A query in the catalogue's terms, each with its weight."""

    terms: tuple[tuple[str, float], ...]
    negated: frozenset[str] = frozenset()
    # Soft preferences: they reorder near-ties and never exclude ("prima" for a bare visit).
    hints: frozenset[str] = frozenset()

    @property
    def total(self) -> float:
        return sum(weight for _, weight in self.terms)


def rank(index: Index, query: Query, kinds: Iterable[str]) -> list[tuple[float, int]]:
    """(score in 0..1, document number) for the best candidates, best first."""
    if not query.total:
        return []
    covered: dict[int, float] = defaultdict(float)
    for kind in kinds:
        postings = index.postings[kind]
        for term, weight in query.terms:
            for number, field in postings.get(term, ()):
                covered[number] += weight * field
    form_totals = index.form_totals
    shortlist = heapq.nlargest(
        SHORTLIST,
        covered,
        # cheap proxy of the full score: coverage, then the entry with the lightest name
        key=lambda number: (covered[number], -min(form_totals[number], default=99.0)),
    )
    scored = [(_score(index, number, query), number) for number in shortlist]
    scored.sort(key=lambda item: (-item[0], index.documents[item[1]].position))
    return scored


def _score(index: Index, number: int, query: Query) -> float:
    document = index.documents[number]
    asked = {term for term, _ in query.terms}
    coverage = _coverage(document, query)
    best_share = 0.0
    name_weights = index.name_weights
    for form, form_total in zip(document.forms, index.form_totals[number], strict=True):
        said = sum(name_weights[term] for term in asked & form)
        if form_total and said / form_total > best_share:
            best_share = said / form_total
    score = coverage * (1.0 - NAME_COVERAGE_SHARE + NAME_COVERAGE_SHARE * best_share)
    names = document.name_terms
    score += HINT_BONUS * len(query.hints & names)
    if query.negated & names or document.negated & asked:
        score *= CONTRADICTION_FACTOR
    for group in index.exclusive:
        wanted = asked & group
        if wanted and not wanted & names and group & names:
            score *= CONFLICT_FACTOR
    return min(score, 1.0)


def _coverage(document: Document, query: Query) -> float:
    """Share of the query's weight the entry says, in its name (1.0) or its notes (less)."""
    said = 0.0
    fields = document.fields
    for term, weight in query.terms:
        field = fields.get(term)
        if field is None and len(term) >= NEAR_TERM_MIN_LENGTH:
            near = process.extractOne(
                term, fields.keys(), scorer=fuzz.ratio, score_cutoff=NEAR_TERM_MIN_SIMILARITY
            )
            if near is not None:
                field = NEAR_TERM_CREDIT * fields[near[0]] * near[1] / 100.0
        said += weight * (field or 0.0)
    return said / query.total
