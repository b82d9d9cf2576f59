"""Amounts in euro as people type them ('120,50', '€ 1.234,56', 'centoventi euro') as Decimal."""

from __future__ import annotations

import functools
import re
import unicodedata
from decimal import Decimal

from nlu.language import babel_locale
from nlu.lazy_patterns import lazy_compile
from nlu.numbers import strip_accents, words_to_digits
from nlu.spoken import written_amounts

__all__ = ["AmountError", "find_amount", "format_amount", "parse_amount"]

_CENT = Decimal("0.01")

# What the customer reads when an amount cannot be taken, by error code.
MESSAGES = {
    "missing": "Non ho trovato un importo: scrivilo in cifre, per esempio 120,50.",
    "currency": "Scrivi l'importo in euro, per esempio 120,50.",
    "negative": "L'importo non può essere negativo: scrivi quanto hai pagato, senza il segno meno.",
    "zero": "L'importo deve essere maggiore di zero: scrivi quanto hai pagato.",
    "too_high": "{amount} mi sembra troppo: l'importo massimo è {maximum}. "
    "Controlla di averlo scritto bene.",
    "decimals": "Un importo in euro ha al massimo due decimali, per esempio 120,50.",
    "comma_thousands": "Non capisco «{token}»: per le migliaia non serve la virgola (scrivi "
    "{digits}), per i centesimi bastano due cifre dopo la virgola.",
    "grouping": "Non capisco «{token}»: scrivi l'importo senza punti, per esempio 1234,50.",
    "several": "Ho trovato più numeri ({numbers}): scrivi solo l'importo pagato, "
    "per esempio 120,50.",
}


class AmountError(ValueError):
    """An amount that cannot be taken; `message` says why, in Italian, for the customer.

    `code` names the reason (a key of MESSAGES) for callers that word it themselves.
    """

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def _error(code: str, **values: object) -> AmountError:
    return AmountError(MESSAGES[code].format(**values), code)


_CURRENCY_AFTER = lazy_compile(r"\s?(?:€|eur(?:o|i)?\b|e\b(?! \d))")
_CURRENCY_BEFORE = lazy_compile(r"(?:€|\beur(?:o|i)?)\s?$")
_OTHER_CURRENCY = lazy_compile(r"[$£]|\b(?:dollar[oi]|usd|sterlin[ae]|gbp|franch[oi]|chf)\b")
_ROUND = lazy_compile(r"(?<=\d)[.,]-")  # "120,-" is a round amount
_DATES_AND_TIMES = lazy_compile(
    r"\b\d{1,2}:\d{2}\b|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\b\d{1,2}-\d{1,2}-\d{2,4}\b"
)
# ASCII digits only (after normalising): "٣" or a superscript "³" are no amount.
_NUMBER = lazy_compile(r"\d+(?:[.,]\d+)*", re.ASCII)
# A number glued to a word ("a3", "3b", "x9y") is a code, unless the word is the currency.
_GLUED_BEFORE = lazy_compile(r"[^\W\d_]$")
_GLUED_AFTER = lazy_compile(r"[^\W\d_]")
_CURRENCY_GLUED_BEFORE = lazy_compile(r"(?:€|\beur(?:o|i)?)$")
_CURRENCY_GLUED_AFTER = lazy_compile(r"(?:eur(?:o|i)?|e)\b")
_NEGATIVE = lazy_compile(r"(?:(?<!\w)[-\u2212]|\bmeno\b)\s*(?:€\s*)?\d")
# "120 euro e 50", "centoventi e cinquanta", "1 euro e 5 centesimi": euro and cents
_EURO_AND_CENTS = lazy_compile(
    r"(?<![^\W\d_])(?P<euro>\d+) ?(?:€ ?|eur(?:o|i)? )?e (?P<cents>\d{1,2})"
    r"(?: ?(?:centesimi|cent)\b)?(?!\s*[.,]?\d)", re.ASCII
)
_ONLY_CENTS = lazy_compile(r"^(?P<cents>\d{1,2}) ?(?:centesimi|cent)\b", re.ASCII)


def _value(token: str) -> Decimal:
    """'1.234,56' -> 1234.56; '120.50' -> 120.50; '1.234' -> 1234 (Italian thousands)."""
    if "," in token and "." in token:
        decimal_mark = "," if token.rfind(",") > token.rfind(".") else "."
    elif token.count(",") == 1:
        decimal_mark = ","
    elif token.count(".") == 1:
        digits_after = len(token) - token.rfind(".") - 1
        decimal_mark = "." if digits_after != 3 else ""
    else:
        decimal_mark = ""  # "1.234.567" or "1,234,567": only thousands
    if decimal_mark:
        whole, _, decimals = token.rpartition(decimal_mark)
    else:
        whole, decimals = token, ""
    groups = re.split(r"[.,]", whole)
    if len(groups) > 1 and (
        not 1 <= len(groups[0]) <= 3 or any(len(group) != 3 for group in groups[1:])
    ):
        raise _error("grouping", token=token)
    if len(decimals) > 2:
        if decimal_mark == "," and len(decimals) == 3:
            raise _error("comma_thousands", token=token, digits="".join(groups) + decimals)
        raise _error("decimals")
    return Decimal("".join(groups) + ("." + decimals if decimals else ""))


def _next_to_currency(text: str, token: re.Match[str]) -> bool:
    return bool(
        _CURRENCY_AFTER.match(text, token.end()) or _CURRENCY_BEFORE.search(text, 0, token.start())
    )


def _glued(text: str, token: re.Match[str]) -> bool:
    before, after = text[:token.start()], text[token.end():]
    return bool(
        (_GLUED_BEFORE.search(before) and not _CURRENCY_GLUED_BEFORE.search(before))
        or (_GLUED_AFTER.match(after) and not _CURRENCY_GLUED_AFTER.match(after))
    )


def _normalise(text: str) -> str:
    # Superscripts, fractions and circled numbers would become digits below: they are none.
    text = "".join(" " if unicodedata.category(ch) == "No" else ch for ch in text)
    text = strip_accents(text.lower()).replace("\u00a0", " ").replace("’", "'")
    text = _ROUND.sub("", text)
    text = _DATES_AND_TIMES.sub(" ", text)  # "il 12/03 ho pagato 50": the date is no amount
    text = written_amounts(words_to_digits(text, keep=frozenset()))
    return re.sub(r"\s+", " ", text).strip()


def _amount_in(text: str) -> Decimal:
    """The one amount in normalised text, before any range check."""
    cents_only = _ONLY_CENTS.match(text)
    if cents_only:
        return Decimal(cents_only["cents"]) / 100
    split = _EURO_AND_CENTS.search(text)
    if split:
        return Decimal(split["euro"]) + Decimal(split["cents"]) / 100
    tokens = [token for token in _NUMBER.finditer(text) if not _glued(text, token)]
    if not tokens:
        raise _error("missing")
    if len(tokens) > 1:
        # Several numbers: the amount is the one next to the currency ("2 visite, 150 euro").
        near_currency = [token for token in tokens if _next_to_currency(text, token)]
        if len(near_currency) != 1:
            raise _error("several", numbers=", ".join(token.group() for token in tokens))
        tokens = near_currency
    return _value(tokens[0].group())


def parse_amount(text: str, max_amount: Decimal = Decimal(100000)) -> Decimal:
    """The amount in euro, to the cent; AmountError (in Italian) when it cannot be taken.

    >>> parse_amount("€ 1.234,56")
    Decimal('1234.56')
    """
    normalised = _normalise(text)
    if not normalised:
        raise _error("missing")
    if _OTHER_CURRENCY.search(normalised):
        raise _error("currency")
    if _NEGATIVE.search(normalised):
        raise _error("negative")
    amount = _amount_in(normalised).quantize(_CENT)
    if amount == 0:
        raise _error("zero")
    if amount > max_amount:
        raise _error("too_high", amount=format_amount(amount), maximum=format_amount(max_amount))
    return amount


def find_amount(text: str, max_amount: Decimal = Decimal(100000)) -> Decimal | None:
    """The one amount a sentence names next to a currency ("... del 12 novembre 130 euro per
    Marco"), or None: a number alone in a sentence may be a day, a count or a code.

    >>> find_amount("rimborso visita del 12 novembre, 130 euro")
    Decimal('130.00')
    """
    normalised = _normalise(text)
    if _OTHER_CURRENCY.search(normalised) or _NEGATIVE.search(normalised):
        return None
    split = _EURO_AND_CENTS.search(normalised)
    if split and re.search(r"€|eur", split.group()):  # "120 euro e 50"
        amount = (Decimal(split["euro"]) + Decimal(split["cents"]) / 100).quantize(_CENT)
        return amount if 0 < amount <= max_amount else None
    found = {token.group() for token in _NUMBER.finditer(normalised)
             if _next_to_currency(normalised, token)}
    if len(found) != 1:
        return None
    try:
        amount = _value(found.pop()).quantize(_CENT)
    except AmountError:
        return None
    return amount if 0 < amount <= max_amount else None


def format_amount(amount: Decimal) -> str:
    """'€ 1.234,56': the euro sign first, Italian separators, always two decimals."""
    return _formatted(str(amount), babel_locale())


# Keyed by the amount's exact text (Decimal("85.0") and Decimal("85.00") are equal but
# are different keys; -0 keeps its sign) and the turn's locale: babel's formatting is slow
# and a summary shows the same amounts turn after turn.
@functools.lru_cache(maxsize=4096)
def _formatted(amount: str, locale: str) -> str:
    from babel.numbers import format_currency  # Babel's data with the first amount shown

    return format_currency(
        Decimal(amount), "EUR", format="¤ #,##0.00", locale=locale, currency_digits=False
    )
