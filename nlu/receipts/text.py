"""The text of a receipt as the reader sees it: lines in reading order, each with how sure the
OCR was of it (1.0 for a PDF's own text), and the fixes OCR typically needs before parsing."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["TextLine", "clean", "digits_fixed"]


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of the document; `page` counts from 0."""

    text: str
    confidence: float = 1.0
    page: int = 0


_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f]+")
_EURO = re.compile(r"[€₠]|(?<=\d)\s?(?:EUR|Eur)\b")


def clean(text: str) -> str:
    """NFKC, one kind of space and dash, the euro sign as '€'; columns kept apart by 2 spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2212", "-").replace("\u2013", "-").replace("\u2014", "-")
    text = re.sub(r"[ \t\u00a0\u2000-\u200b\u202f]{2,}", "  ", text)
    text = re.sub(r"(?<! ) (?! )", " ", text)
    return text.strip()


# Inside a token that is mostly digits, the letters OCR confuses with digits.
_AS_DIGIT = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "|": "1",
                           "i": "1", "S": "5", "s": "5", "B": "8", "Z": "2", "z": "2", "G": "6",
                           "b": "6", "g": "9", "q": "9", "T": "7"})
# A whole token (possessive: never a piece of a word such as a codice fiscale's "85T10").
_TOKEN = re.compile(r"(?<![A-Za-z0-9])[0-9OoDQIl|iSsBZzGbgqT.,:/\-]++(?![A-Za-z])")


_SHAPES = re.compile(
    r"\d{1,3}(?:[.,]?\d{3})*[.,]\d{2}"  # an amount
    r"|\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"  # a date
    r"|\d{1,2}:\d{2}"  # a time
)


def digits_fixed(text: str) -> str:
    """'12/O3/2O26' -> '12/03/2026', '1O5,OO' -> '105,00': a token that becomes an amount, a
    date or a time once its look-alike letters are read as digits; words are left alone."""

    def fix(match: re.Match[str]) -> str:
        token = match.group()
        if not any(c.isdigit() for c in token) or not any(c.isalpha() or c == "|" for c in token):
            return token
        fixed = token.translate(_AS_DIGIT)
        return fixed if _SHAPES.fullmatch(fixed.strip(".,:-/")) else token

    return _TOKEN.sub(fix, text)
