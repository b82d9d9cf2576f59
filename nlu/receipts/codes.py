"""Partite IVA and codici fiscali on a receipt, their check digits verified (python-stdnum), and
mended where OCR took one character for its look-alike (O/0, I/1, S/5, B/8, Z/2, G/6)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum.it import codicefiscale, iva

__all__ = ["find_tax_codes", "find_vat_numbers", "mend_tax_code", "mend_vat_number"]

_TO_DIGIT = {"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "|": "1", "S": "5", "B": "8",
             "Z": "2", "G": "6", "T": "7"}
_TO_LETTER = {"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z", "6": "G", "7": "T"}
# Where a codice fiscale has letters (L) and digits (D); omocodia may put letters in D places.
_CF_SHAPE = "LLLLLLDDLDDLDDDL"
_OMOCODIA = set("LMNPQRSTUV")


def mend_vat_number(raw: str) -> tuple[str, bool] | None:
    """The valid partita IVA in an 11-character OCR reading, and whether it had to be mended."""
    text = raw.upper().removeprefix("IT")
    if len(text) != 11:
        return None
    digits = "".join(_TO_DIGIT.get(c, c) for c in text)
    if not digits.isdigit():
        return None
    if iva.is_valid(digits):
        return digits, digits != text
    # One digit read for its look-alike digit is beyond repair: the check digit would
    # accept a wrong number as often as the right one.
    return None


def mend_tax_code(raw: str) -> tuple[str, bool] | None:
    """The valid codice fiscale in a 16-character OCR reading, and whether it was mended: each
    place is first read as its kind (letter or digit), then one confusion at a time is tried,
    kept only when exactly one makes the check letter right."""
    text = raw.upper()
    if len(text) != 16 or not text.isalnum():
        return None
    shaped = "".join(
        _TO_LETTER.get(c, c) if kind == "L" else (c if c in _OMOCODIA else _TO_DIGIT.get(c, c))
        for c, kind in zip(text, _CF_SHAPE, strict=True)
    )
    if codicefiscale.is_valid(shaped):
        return shaped, shaped != text
    candidates = set()
    for index, char in enumerate(shaped):
        for swap in (_TO_DIGIT.get(char), _TO_LETTER.get(char)):
            if swap:
                candidate = shaped[:index] + swap + shaped[index + 1:]
                if codicefiscale.is_valid(candidate):
                    candidates.add(candidate)
    if len(candidates) == 1:
        return candidates.pop(), True
    return None


# Eleven digits (OCR may put look-alike letters or spaces in them), not part of a longer run.
_VAT = re.compile(r"(?<![A-Za-z0-9])(?:IT\s?)?((?:[0-9OQDIlSBZG|]\s?){10}[0-9OQDIlSBZG|])(?![0-9])")


def find_vat_numbers(text: str) -> Iterator[tuple[int, str, bool]]:
    """(position, partita IVA, mended) for each valid one in a line."""
    for match in _VAT.finditer(text):
        raw = re.sub(r"\s", "", match.group(1))
        if sum(c.isdigit() for c in raw) < 8:
            continue
        found = mend_vat_number(raw)
        if found:
            yield match.start(), found[0], found[1]


def find_tax_codes(text: str) -> Iterator[tuple[int, str, bool]]:
    """(position, codice fiscale, mended) for each valid one in a line; OCR may drop the space
    between a label and the code ("C.F.RSSMRA85T10A562S"), so a longer run is tried at its end."""
    compact = re.sub(r"(?<=[A-Za-z0-9]) (?=[A-Za-z0-9]{1,4}\b)", "", text)
    seen = set()
    for candidate_text in (text, compact):
        for match in re.finditer(r"[A-Za-z0-9]{16,}", candidate_text):
            run = match.group()
            for start in {0, len(run) - 16}:
                found = mend_tax_code(run[start:start + 16])
                if found and found[0] not in seen:
                    seen.add(found[0])
                    yield match.start() + start, found[0], found[1]
