"""How sure the catalogue is that a text names a service: a calibrated confidence (0..1), the
texts that are never searched (people, commands, questions, refusals, corrections), and the
family to name when no service is clear."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from nlu.catalogue.families import Family
from nlu.catalogue.lexicon import VERY_COMMON, everyday_words
from nlu.catalogue.models import Match
from nlu.catalogue.normalise import BOUNDARY, tokens
from nlu.catalogue.synonyms import FUNCTION_WORDS, STOPWORDS
from nlu.intents._classify import classify, scores
from nlu.intents._entities import find_service, is_service_head
from nlu.intents._names import FIRST_NAMES
from nlu.intents._text import fold, tokenise
from nlu.lazy_patterns import lazy_compile

__all__ = ["CONFIDENT", "Assessment", "evidence", "not_a_service", "word_evidence"]

# At or above this confidence the best matches are offered; below it the customer is told that
# nothing was found, with the closest family. Calibrated on the dev set, the held-out set and
# tests/nlu/catalogue_not_services.jsonl (`medbot eval catalogue-confidence`).
CONFIDENT = 0.62
# How much of the confidence the words' own evidence carries; the rest is the match's score.
_EVIDENCE_SHARE = 0.75
# A misspelt word ("cardiolgica") is evidence, less so when short (more words are one slip away).
_CORRECTED_LONG = 0.7
_CORRECTED_SHORT = 0.35
_LONG = 6
# A catalogue word that is also very common language ("prima", "cuore", "tempo").
_VERY_COMMON_KNOWN = 0.5


@dataclass(frozen=True, slots=True)
class Assessment:
    """A search with its confidence. `not_service` says why a text was not searched at all:
    "person", "command", "question", "refusal" or "correction"; `family` is the closest family
    when the confidence is below CONFIDENT."""

    text: str
    matches: list[Match]
    confidence: float
    family: Family | None = None
    not_service: str | None = None

    @property
    def confident(self) -> bool:
        return bool(self.matches) and self.confidence >= CONFIDENT


_REFUSAL = lazy_compile(
    r"^(boh+|bho+|mah+|bah|boo+h|mbo|eh+|ah+|uff+a?|vabbe|vabb|nada|niente|nulla|nessun[oa]?|"
    r"non so|non saprei|chissa)$"
    r"|\b(lascia|lassa|lasciamo|lassamo|lascio) (sta|stare|perde|perdere|andare)\b"
    r"|\bnon (lo |la |me lo |me la )?(so|ricordo|trovo|saprei|sappiamo|ho idea)\b"
    r"|\bchi lo sa\b|\bfai tu\b|\bnun lo saccio\b|\bnon (ce l|ce lo) ho\b|\bnon importa\b"
    r"|\bnon mi (ricordo|viene)\b|^(boh|mah|bho)\b"
)
_CORRECTION = lazy_compile(
    r"^(anzi|no|scusa|scusate|ops|oops|pardon|aspetta|un attimo)\b"
    r"|\b(ho sbagliato|mi sono sbagliat[oa]|volevo dire|intendevo|non era|era per|e per)\b"
)
_QUESTION_START = lazy_compile(
    r"^(posso|puoi|potete|potrei|come|cosa|che cosa|perche|quanto|quanta|quanti|quando|dove|"
    r"chi|quale|quali|ma|e possibile|si puo|mi puoi|mi potete|sapete|sai)\b"
)
_RELATIONS = frozenset(
    "io me mio mia figlio figlia moglie marito compagno compagna papa mamma padre madre "
    "nonno nonna fratello sorella bambino bambina bimbo bimba figli".split()
)
_COMMAND_INTENTS = frozenset(
    {"cancel", "back", "help", "human", "complaint", "contact", "greeting", "thanks",
     "reminders_off"}
)


def word_evidence(word: str, known: Collection[str], corrected: bool,
                  names: Collection[str] = ()) -> float:
    """How much one word says "service": a catalogue word 1, a misspelt one partly, an everyday
    word, a name or an unknown word 0."""
    if word in names:
        return 0.0
    everyday = everyday_words()
    if word in known:
        return _VERY_COMMON_KNOWN if everyday.get(word, 0.0) >= VERY_COMMON else 1.0
    if word in everyday:
        return 0.0
    if corrected:
        return _CORRECTED_LONG if len(word) >= _LONG else _CORRECTED_SHORT
    return 0.0


def content_words(text: str | Sequence[str]) -> list[str]:
    """The words of `text` (or its folded words) that could name something: no stopwords,
    digits or clause marks."""
    return [
        w for w in (tokens(text) if isinstance(text, str) else text)
        if w != BOUNDARY and not w.isdigit() and w not in STOPWORDS and w not in FUNCTION_WORDS
    ]


def evidence(scores: Sequence[float]) -> float:
    return sum(scores) / len(scores) if scores else 0.0


def confidence(score: float, said: float) -> float:
    """The calibrated confidence of a match scoring `score` (0..100) for words whose evidence
    is `said` (0..1)."""
    return round(score / 100.0 * (1 - _EVIDENCE_SHARE + _EVIDENCE_SHARE * said), 3)


def not_a_service(text: str, people: Sequence[str] = (),
                  known: Collection[str] = ()) -> str | None:
    """Why `text` is not to be searched at all: "person" (only names or family words, a
    surname after a name), "refusal" ("boh", "lassa sta"), "correction" ("anzi no, era per
    Luca"), "question" ("posso parlare con qualcuno?"), "command" ("annulla", "operatore");
    None otherwise. `known` are the catalogue's words (a word of it is never a surname)."""
    folded = {fold(p).strip() for p in people if p.strip()}
    tokens_ = tokenise(text[:300], frozenset(folded) | FIRST_NAMES)
    words = [t.norm for t in tokens_ if t.norm != "?"]
    norm = " ".join(words)
    if not norm:
        return "refusal"
    if _REFUSAL.search(norm):
        return "refusal"
    if _CORRECTION.search(norm):
        return "correction"
    names = folded | FIRST_NAMES
    content = [w for w in words if w not in STOPWORDS or w in _RELATIONS]
    if content and all(w in names or w in _RELATIONS for w in content):
        return "person"
    if content and content[0] in names and 1 < len(content) <= 2 and not any(
        is_service_head(w) or w.isdigit() or (w in known and w not in everyday_words())
        for w in content[1:]
    ):
        return "person"  # "Anna Rossi": a name and a surname
    if _QUESTION_START.search(norm):
        return "question"
    intent, _ = classify(scores(" ".join(t.norm for t in tokens_)))
    if intent in _COMMAND_INTENTS and find_service(tokens_, text, list(people)) is None:
        return "command"
    return None
