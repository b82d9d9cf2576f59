"""An estimate and a guarantee's terms in words: the one line «Stima: € 96,00 = € 120,00 −
scoperto 20 % (…)», the limits that cut it, the terms in short."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache

from dialogs.estimate._texts import t
from nlu.language import babel_locale
from nlu.money import format_amount
from portal.estimate import Cut, Estimate
from portal.models import Guarantee, Terms

__all__ = ["direct_cost", "explain", "limits_text", "percent", "terms_text"]


def percent(value: Decimal) -> str:
    """20 -> "20", 12.5 -> "12,5" (in the turn's language)."""
    from babel.numbers import format_decimal  # Babel's data with the first figure shown

    return format_decimal(value.normalize(), locale=babel_locale())


def explain(result: Estimate, day: str = "") -> str:
    """The estimate in one line, each amount taken off named."""
    cut = next((c for c in result.cuts if c.kind in ("carenza", "fuori_periodo")), None)
    if cut is not None:
        until = format_date(cut.until) if cut.until else ""
        return t(f"line.{cut.kind}", day=day, until=until)
    if not result.cuts:
        return t("line.nothing_taken", amount=format_amount(result.amount))
    cuts = "".join(_cut(c) for c in result.cuts)
    return t("line.estimate", amount=format_amount(result.amount),
             claimed=format_amount(result.claimed), cuts=cuts)


def _cut(cut: Cut) -> str:
    amount = format_amount(cut.amount)
    if cut.kind == "scoperto":
        if not cut.percent:
            return t("line.minimum", amount=amount)
        if cut.minimum:
            return t("line.scoperto_minimum", percent=percent(cut.percent),
                     minimum=format_amount(cut.minimum), amount=amount)
        return t("line.scoperto", percent=percent(cut.percent), amount=amount)
    if cut.kind == "per_seduta":
        return t("line.per_seduta", amount=amount, limit=format_amount(cut.limit or Decimal(0)))
    if cut.kind == "sedute":
        return t("line.sedute", amount=amount, per_year=cut.per_year, name=cut.name)
    return t(f"line.{cut.kind}", amount=amount)


def limits_text(result: Estimate, terms: Terms, code: str) -> str:
    """"massimale residuo € 300,00; sedute di fisioterapia ancora disponibili: 2 su 10", for
    the limits that apply; "" when none does."""
    parts = []
    if result.massimale_left is not None and result.covered:
        parts.append(t("line.massimale_left", amount=format_amount(result.massimale_left)))
    limit = terms.limit_for(code)
    if limit is not None and result.sessions_left is not None and result.covered:
        parts.append(t("line.sessions_left", name=limit.name, left=result.sessions_left,
                       per_year=limit.per_year))
    return "; ".join(parts)


def terms_text(guarantee: Guarantee, *, direct: bool = False) -> str:
    """The guarantee's terms in short: "scoperto 20 % con il minimo di € 50,00, massimale
    € 5.000,00 l'anno per tutto il nucleo"."""
    terms = guarantee.terms
    if terms is None:
        return t("terms.none")
    parts = []
    if direct:
        parts.append(direct_cost(terms, short=True))
    else:
        if terms.franchigia:
            parts.append(t("terms.franchigia", amount=format_amount(terms.franchigia)))
        if terms.scoperto and terms.minimo:
            parts.append(t("terms.scoperto_minimum", percent=percent(terms.scoperto),
                           minimum=format_amount(terms.minimo)))
        elif terms.scoperto:
            parts.append(t("terms.scoperto", percent=percent(terms.scoperto)))
        elif terms.minimo:
            parts.append(t("terms.minimum", minimum=format_amount(terms.minimo)))
        if not parts:
            parts.append(t("terms.nothing"))
    if terms.massimale is not None:
        key = "terms.massimale_household" if terms.per_household else "terms.massimale_person"
        parts.append(t(key, amount=format_amount(terms.massimale)))
    for limit in terms.limits:
        if limit.each is not None:
            parts.append(t("terms.limit_each", name=limit.name, per_year=limit.per_year,
                           each=format_amount(limit.each)))
        else:
            parts.append(t("terms.limit", name=limit.name, per_year=limit.per_year))
    if terms.carenza_days:
        parts.append(t("terms.carenza", days=terms.carenza_days))
    return ", ".join(parts)


def direct_cost(terms: Terms | None, *, short: bool = False) -> str:
    """What the customer pays a network facility for a direct service."""
    quota = terms.direct_quota if terms is not None else None
    if short:
        if quota:
            return t("terms.direct_quota", amount=format_amount(quota))
        return t("terms.direct_free")
    if quota:
        return t("summary.direct_quota", amount=format_amount(quota))
    return t("summary.direct_free")


def format_date(value: date) -> str:
    """24 novembre 2026, in the turn's language."""
    return _formatted_date(value, babel_locale())


# Babel's formatting is slow (~40 us) and a summary shows the same days turn after turn.
@lru_cache(maxsize=4096)
def _formatted_date(value: date, locale: str) -> str:
    from babel.dates import format_date as babel_date  # not at every start

    return str(babel_date(value, "d MMMM y", locale=locale))
