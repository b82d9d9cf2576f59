"""Scoring entries against a query: weighted coverage both ways, on a short list of candidates."""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from nlu.catalogue.index import Index

__all__ = ["Query", "rank"]

# Candidates kept after the cheap pass (summing postings) for the full scoring.
SHORTLIST = 40
# Share of the score that rewards saying the whole name, against saying only part of it:
# "rm spalla" must prefer "RM della spalla" to "RM della spalla senza e con MDC".
NAME_COVERAGE_SHARE = 0.3
# Between equals on that, the entry whose whole name (details included) was said: "insulina" is
# "Insulina", not "Insulina (curva da carico...)".
FULL_NAME_BONUS = 0.02
# A query term an entry lacks but has a near twin of ("broncodilatatore"/"broncodilatazione")
# earns this share of its weight, scaled by the similarity.
NEAR_TERM_CREDIT = 0.6
NEAR_TERM_MIN_SIMILARITY = 80.0
NEAR_TERM_MIN_LENGTH = 5
# A soft preference met: "prima" for a bare visit, "monolaterale" for "sx", taking out an organ.
HINT_BONUS = 0.05
# A query naming several services ("sideremia ferritina transferrina") says the whole name of
# each: an entry whose name (or alias) the query contains scores at least CONTAINED_BASE, plus
# CONTAINED_SPAN times the share of the query it explains.
CONTAINED_BASE = 0.45
CONTAINED_SPAN = 0.4
CONTAINED_MIN_WEIGHT = 3.0
# The query rules out what the entry is ("senza mdc", "rm" against "tc").
CONTRADICTION_FACTOR = 0.7
CONFLICT_FACTOR = 0.75
# The query most likely means something else ("sx" against "bilaterale", a bare visit against
# "di controllo"): the entry stays in the list, below.
AVOID_FACTOR = 0.85


@dataclass(frozen=True, slots=True)
class Query:
    """A query in the catalogue's terms, each with its weight."""

    terms: tuple[tuple[str, float], ...]
    negated: frozenset[str] = frozenset()
    # Soft preferences: they reorder near-ties and never exclude ("prima" for a bare visit).
    hints: frozenset[str] = frozenset()
    # Soft dislikes: entries titled with them go below ("controllo" for a bare visit).
    avoid: frozenset[str] = frozenset()

    @property
    def total(self) -> float:
        return sum(weight for _, weight in self.terms)


def rank(index: Index, query: Query, kinds: Iterable[str]) -> list[tuple[float, int]]:
    """(score, document number) for the best candidates, best first; scores run from 0 to
    about 1 (bonuses may pass it slightly)."""
    total = query.total
    if not total:
        return []
    covered: dict[int, float] = defaultdict(float)
    for kind in kinds:
        postings = index.postings[kind]
        for term, weight in query.terms:
            for number, field in postings.get(term, ()):
                covered[number] += weight * field
    lightest = index.lightest
    # cheap proxy of the full score: coverage, then the entry with the lightest name
    shortlist = heapq.nlargest(
        SHORTLIST, covered, key=lambda number: covered[number] - lightest[number]
    )
    asked = frozenset(term for term, _ in query.terms)
    # query terms no entry has: maybe a word the stemmer did not fold ("broncodilatatore")
    unknown = tuple((term, weight) for term, weight in query.terms if term not in index.weights)
    scored = [
        (
            _score(
                index,
                number,
                query,
                asked,
                (covered[number] + _near(index, number, unknown)) / total,
            ),
            number,
        )
        for number in shortlist
    ]
    scored.sort(key=lambda item: (-item[0], index.documents[item[1]].position))
    return scored


def _score(
    index: Index, number: int, query: Query, asked: frozenset[str], coverage: float
) -> float:
    document = index.documents[number]
    best_share = contained = full_name_share = 0.0
    name_weights = index.name_weights
    for position, (form, form_total) in enumerate(
        zip(document.forms, index.form_totals[number], strict=True)
    ):
        share = sum(name_weights[term] for term in asked & form) / form_total if form_total else 0.0
        best_share = max(best_share, share)
        if position == 0:
            full_name_share = share
        if share == 1.0 and form_total >= CONTAINED_MIN_WEIGHT:
            explained = sum(weight for term, weight in query.terms if term in form) / query.total
            contained = max(contained, CONTAINED_BASE + CONTAINED_SPAN * explained)
    score = coverage * (
        1.0
        - NAME_COVERAGE_SHARE
        + NAME_COVERAGE_SHARE * best_share
        + FULL_NAME_BONUS * full_name_share
    )
    score = max(score, contained)
    if query.hints:
        score += HINT_BONUS * len(query.hints & document.title)
    names = document.name_terms
    if query.negated & names or document.negated & asked:
        score *= CONTRADICTION_FACTOR
    if query.avoid & document.title:
        score *= AVOID_FACTOR
    for group in index.exclusive:
        if group & names:
            wanted = asked & group
            if wanted and not wanted & names:
                score *= CONFLICT_FACTOR
    return score  # may pass 1.0 by a bonus: the caller clips it, after ordering


def _near(index: Index, number: int, unknown: tuple[tuple[str, float], ...]) -> float:
    """Partial credit for unknown query terms that have a near twin among the entry's terms."""
    credit = 0.0
    fields = index.documents[number].fields
    for term, weight in unknown:
        if len(term) >= NEAR_TERM_MIN_LENGTH:
            near = process.extractOne(
                term, fields.keys(), scorer=fuzz.ratio, score_cutoff=NEAR_TERM_MIN_SIMILARITY
            )
            if near is not None:
                credit += weight * NEAR_TERM_CREDIT * fields[near[0]] * near[1] / 100.0
    return credit
