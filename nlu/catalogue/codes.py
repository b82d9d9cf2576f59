"""Recognising catalogue codes typed in a query ("89.52", "89.7a.3", "88.76.1 ecografia")."""

from __future__ import annotations

import re

__all__ = ["find_codes", "strip_codes"]

# Nomenclatore codes ("89.7A.3", "90.01.63", "96.6A", "G1.01.D") and ICD-9-CM codes ("13.41",
# "21.5"), with a dot or a comma. A bare "85" is a number, not a code.
_CODE = re.compile(
    r"(?<![\w.,])(G\d[.,]\d{2}(?:[.,][A-Z])?|\d{2}[.,][0-9A-Z]{1,2}(?:[.,][0-9A-Z]{1,2})?)(?![\w]|[.,]\w)",
    re.IGNORECASE,
)


def find_codes(text: str) -> list[str]:
    """The code-shaped tokens of ``text``, normalised (upper case, dots)."""
    return [match.group(1).upper().replace(",", ".") for match in _CODE.finditer(text)]


def strip_codes(text: str) -> str:
    """``text`` without its code-shaped tokens."""
    return _CODE.sub(" ", text)
