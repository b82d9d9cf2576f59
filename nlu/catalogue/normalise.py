"""Text folding, tokenising and light Italian stemming shared by the index and the queries."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from nlu.lazy_patterns import lazy_compile

__all__ = ["BOUNDARY", "fold", "stem", "tokens"]

# Marks where a clause ends (full stop, bracket, colon...): negation ("senza ...") stops there.
BOUNDARY = "|"

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "′": "'"})
# "ECO(COLOR)DOPPLERGRAFIA": brackets inside a word are part of the word, not a clause.
_GLUED_BRACKETS = lazy_compile(r"(?<=\w)\((\w+)\)(?=\w)")
_CLAUSE_BREAKS = lazy_compile(r"[.;:()\[\]{}\"“”«»!?]+")
# "AA.II.", "M.D.C.", "s/mdc": dots and slashes inside abbreviations only separate letters.
_ABBREVIATION_DOTS = lazy_compile(
    r"(?<=\b[a-z])\.(?=[a-z]\b)|(?<=\b[a-z]{2})\.(?=[a-z]{2}\b)|(?<=\b[a-z])/(?=[a-z])"
)
# "24h", "h24" and "24ore" are how people write "24 ore" on a prescription.
_HOURS = lazy_compile(r"\b(?:h\s*(\d{1,2})|(\d{1,2})\s*(?:h|ore))\b")
_NON_WORD = lazy_compile(r"[^a-z0-9|]+")
# Letters glued to digits ("ca125", "b12") keep both parts searchable.
_LETTER_DIGIT = lazy_compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])")
_DIGIT = lazy_compile(r"\d")


def fold(text: str) -> str:
    """Lower-case ASCII text: accents and apostrophes gone, clause breaks kept as ``|``."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
        text = text.encode("ascii", "ignore").decode("ascii")
    text = text.lower()
    if "(" in text:
        text = _GLUED_BRACKETS.sub(r"\1", text)
    if "." in text or "/" in text:
        text = _ABBREVIATION_DOTS.sub(" ", text)
    text = _CLAUSE_BREAKS.sub(f" {BOUNDARY} ", text)
    if _DIGIT.search(text):
        text = _HOURS.sub(lambda m: f" {m.group(1) or m.group(2)} ore ", text)
        text = _LETTER_DIGIT.sub(" ", text)
    return _NON_WORD.sub(" ", text).strip()


@lru_cache(maxsize=16384)
def tokens(text: str) -> tuple[str, ...]:
    """The folded words of ``text``, with ``|`` where a clause breaks."""
    return tuple(fold(text).split())


# Derivational endings folded to one stem, longest first, so that the noun, the adjective and
# the specialist share it: cardiologia/cardiologica/cardiologo, ecografia/ecografica,
# oculista/oculistica, psichiatra/psichiatrica, renale/rene, venoso/vena, polmonare/polmone.
_SUFFIXES: tuple[tuple[str, str, int], ...] = tuple(
    sorted(
        (
            (suffix, replacement, min_stem)
            for endings, replacement, min_stem in (
                (
                    (
                        "ologiche",
                        "ologici",
                        "ologica",
                        "ologico",
                        "ologia",
                        "ologie",
                        "ologo",
                        "ologi",
                    ),
                    "olog",
                    2,
                ),
                (
                    ("iatrica", "iatrico", "iatriche", "iatrici", "iatria", "iatra", "iatri"),
                    "iatr",
                    2,
                ),
                (
                    ("ografia", "ografie", "ografica", "ografico", "ografiche", "ografici"),
                    "ograf",
                    2,
                ),
                (
                    ("oscopia", "oscopie", "oscopica", "oscopico", "oscopiche", "oscopici"),
                    "oscop",
                    2,
                ),
                (("istica", "istico", "istiche", "istici", "ista", "isti", "iste"), "ist", 3),
                (("icamente",), "", 4),
                (("mente",), "", 4),
                (("ica", "ico", "iche", "ici", "aca", "aco", "ache", "aci"), "", 4),
                (("ale", "ali", "are", "ari"), "", 3),
                (("oso", "osa", "osi", "ose"), "", 3),
            )
            for suffix in endings
        ),
        key=lambda item: -len(item[0]),
    )
)
# Nouns that only look like adjectives: stripping "-ica" would part them from their adjective.
_NOT_ADJECTIVES = frozenset({"vescica", "vesciche", "ombelico", "stomaco", "verifica", "replica"})


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light Italian stem: the same for singular/plural, noun/adjective, most genders."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word not in _NOT_ADJECTIVES:
        for suffix, replacement, min_stem in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= min_stem:
                word = word[: -len(suffix)] + replacement
                break
    stripped = word.rstrip("aeiou")
    if stripped.endswith(("ch", "gh")):
        stripped = stripped[:-1]
    return stripped if len(stripped) >= 3 else word
