"""Italian number words ("dodici", "centoventi", "duemilacinquecento", "primo") as integers."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["ordinal_value", "strip_accents", "word_value", "words_to_digits"]

_UNITS = {
    "uno": 1,
    "un": 1,
    "una": 1,
    "due": 2,
    "tre": 3,
    "quattro": 4,
    "cinque": 5,
    "sei": 6,
    "sette": 7,
    "otto": 8,
    "nove": 9,
}
_TEENS = {
    "dieci": 10,
    "undici": 11,
    "dodici": 12,
    "tredici": 13,
    "quattordici": 14,
    "quindici": 15,
    "sedici": 16,
    "diciassette": 17,
    "diciotto": 18,
    "diciannove": 19,
}
_TENS = {
    "venti": 20,
    "trenta": 30,
    "quaranta": 40,
    "cinquanta": 50,
    "sessanta": 60,
    "settanta": 70,
    "ottanta": 80,
    "novanta": 90,
}
# Before "uno" and "otto" the tens drop their final vowel: ventuno, trentotto.
_ELIDED_TENS = {word[:-1]: value for word, value in _TENS.items()}

# Morphemes a compound number is made of, longest first so that "settanta" wins over "sette".
_MORPHEMES: list[tuple[str, str, int]] = sorted(
    [(word, "unit", value) for word, value in _UNITS.items()]
    + [(word, "teen", value) for word, value in _TEENS.items()]
    + [(word, "tens", value) for word, value in _TENS.items()]
    + [(word, "elided_tens", value) for word, value in _ELIDED_TENS.items()]
    + [("cento", "hundred", 100), ("cent", "hundred", 100)]
    + [("mille", "thousand", 1000), ("mila", "thousands", 1000)]
    + [("milioni", "millions", 1_000_000), ("milione", "million", 1_000_000)],
    key=lambda morpheme: -len(morpheme[0]),
)

_ORDINALS = {
    "primo": 1,
    "secondo": 2,
    "terzo": 3,
    "quarto": 4,
    "quinto": 5,
    "sesto": 6,
    "settimo": 7,
    "ottavo": 8,
    "nono": 9,
    "decimo": 10,
}


def strip_accents(text: str) -> str:
    """'martedì' -> 'martedi', 'ventitré' -> 'ventitre' (also drops other combining marks)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _split_morphemes(word: str) -> list[tuple[str, int]] | None:
    """Split into morphemes, backtracking: "centottanta" is "cent" + "ottanta", not "cento" + ?"""
    if not word:
        return []
    for text, kind, value in _MORPHEMES:
        if word.startswith(text):
            rest = _split_morphemes(word[len(text) :])
            if rest is not None:
                return [(kind, value), *rest]
    return None


def _group_value(parts: list[tuple[str, int]]) -> int | None:
    """Value of a group below one thousand: [unit] [cento] [tens [unit] | teen | unit]."""
    value = 0
    index = 0
    if index + 1 < len(parts) and parts[index][0] == "unit" and parts[index + 1][0] == "hundred":
        if parts[index][1] == 1:
            return None  # "unocento" is not Italian: it is just "cento"
        value += parts[index][1] * 100
        index += 2
    elif index < len(parts) and parts[index][0] == "hundred":
        value += 100
        index += 1
    if index < len(parts) and parts[index][0] in ("tens", "elided_tens"):
        elided = parts[index][0] == "elided_tens"
        value += parts[index][1]
        index += 1
        if index < len(parts) and parts[index][0] == "unit":
            # "ventuno", "trentotto" elide; "ventiuno" is tolerated, "ventdue" is not.
            if elided and parts[index][1] not in (1, 8):
                return None
            value += parts[index][1]
            index += 1
        elif elided:
            return None
    elif index < len(parts) and parts[index][0] in ("teen", "unit"):
        value += parts[index][1]
        index += 1
    return value if index == len(parts) and parts else None


# Only words made of morphemes are worth splitting: most words are rejected here, in C.
_MADE_OF_MORPHEMES = re.compile(
    "(?:" + "|".join(re.escape(text) for text, _, _ in _MORPHEMES) + ")+"
)


@lru_cache(maxsize=4096)
def word_value(word: str) -> int | None:
    """The value of one Italian cardinal written as a word ('centoventi' -> 120), else None."""
    word = strip_accents(word.lower())
    if not _MADE_OF_MORPHEMES.fullmatch(word):
        return None
    parts = _split_morphemes(word)
    if not parts:
        return None
    total = 0
    for scale_kind, scale, single_kind in (
        ("millions", 1_000_000, "million"),
        ("thousands", 1000, "thousand"),
    ):
        for position, (kind, _) in enumerate(parts):
            if kind == scale_kind:
                multiplier = _group_value(parts[:position])
                if multiplier is None or multiplier < 2:
                    return None  # "duemila" but never "unomila"
                total += multiplier * scale
                parts = parts[position + 1 :]
                break
            if kind == single_kind:
                # "mille" and "(un) milione" stand alone: "duemille" is wrong.
                if parts[:position] not in ([], [("unit", 1)]):
                    return None
                total += scale
                parts = parts[position + 1 :]
                break
    if parts:
        rest = _group_value(parts)
        if rest is None:
            return None
        total += rest
    return total


def ordinal_value(word: str) -> int | None:
    """'primo' -> 1, 'terzo' -> 3, 'ventunesimo' -> 21; feminine and plural endings accepted."""
    word = strip_accents(word.lower())
    stem = word[:-1] if word[-1:] in "oaie" else word
    for ordinal, value in _ORDINALS.items():
        if stem == ordinal[:-1]:
            return value
    if stem.endswith("esim"):
        root = stem[: -len("esim")]
        # "undicesimo" <- undici, "ventitreesimo" <- ventitre, "trentesimo" <- trenta.
        for candidate in (root + "i", root + "e", root + "a", root + "o", root):
            cardinal = word_value(candidate)
            if cardinal is not None and cardinal > 10:
                return cardinal
    return None


_WORD = re.compile(r"[^\W\d_]+")


def words_to_digits(text: str, *, keep: frozenset[str] = frozenset({"un", "una", "uno"})) -> str:
    """Replace cardinal number words in lower-case text by digits: 'dodici marzo' -> '12 marzo'.

    Words in `keep` (by default the articles "un", "una", "uno") are left alone, since callers
    read them in context ("un mese fa" is a count, "una visita" is not).
    Two adjacent words that only make sense together ("cento venti") are joined.
    """
    tokens = _WORD.split(text)
    words = _WORD.findall(text)
    result: list[str] = [tokens[0]]
    index = 0
    while index < len(words):
        word = words[index]
        value = None if word in keep else word_value(word)
        separator = tokens[index + 1]
        if value is not None and separator == " " and index + 1 < len(words):
            joined = word_value(word + words[index + 1])
            if joined is not None and words[index + 1] not in keep:
                result.append(str(joined))
                result.append(tokens[index + 2])
                index += 2
                continue
        result.append(str(value) if value is not None else word)
        result.append(separator)
        index += 1
    return "".join(result)
