"""Small Italian pieces of archive answers: days, money, statuses, documents, the filters."""

from __future__ import annotations

import calendar
import functools
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from dialogs.archive._query import ArchiveQuery
from dialogs.archive._texts import t
from nlu.language import babel_locale
from nlu.money import format_amount
from portal.models import Document, Household, Request, RequestRow, StatusDetails

__all__ = [
    "day",
    "deductions_taken",
    "describe_filters",
    "document_label",
    "format_date",
    "iban_end",
    "listing",
    "missing_list",
    "missing_verb",
    "money",
    "person_name",
    "reason_text",
    "request_day",
    "status_word",
]


def format_date(day: date, pattern: str, locale: str) -> str:
    """Babel's format_date; its calendars are loaded with the first date shown, not at start."""
    from babel.dates import format_date as babel_format_date

    return str(babel_format_date(day, pattern, locale=locale))


ROME = ZoneInfo("Europe/Rome")


def day(value: date | datetime) -> str:
    """24 novembre 2026 (a datetime in Italian time)."""
    if isinstance(value, datetime):
        value = value.astimezone(ROME).date()
    return _long_day(value, babel_locale())


# A list shows a date per request and babel's formatting is slow; a day's name in a locale
# never changes, so remembering the latest few thousand (day, locale) is always right.
@functools.lru_cache(maxsize=4096)
def _long_day(value: date, locale: str) -> str:
    return format_date(value, "d MMMM y", locale=locale)


def request_day(request: Request | RequestRow) -> str:
    return day(request.created_at)


def money(amount: Decimal) -> str:
    return format_amount(amount)


def deductions_taken(details: StatusDetails) -> str:
    """What the back office took off a payment, in words ("€ 56,00 di scoperto e € 20,00 di
    franchigia"); "" when nothing was recorded."""
    from dialogs.archive._texts import t

    taken = [t(f"meaning.{kind}", amount=money(getattr(details, kind)))
             for kind in ("franchigia", "scoperto", "over_limit", "not_covered")
             if getattr(details, kind)]
    if len(taken) < 2:
        return "".join(taken)
    return ", ".join(taken[:-1]) + f" {t('fact.and')} " + taken[-1]


def iban_end(iban: str | None) -> str | None:
    """The last four characters only: enough to recognise the account."""
    return iban.replace(" ", "")[-4:] if iban else None


def status_word(status: str) -> str:
    try:
        return t(f"status.{status}")
    except KeyError:
        return status.replace("_", " ")


def person_name(person_id: int, household: Household) -> str:
    member = next((m for m in household.members if m.id == person_id), None)
    return member.first_name if member else "?"


def listing(items: list[str]) -> str:
    """"a", "a e b", "a, b e c"."""
    if len(items) <= 1:
        return "".join(items)
    return t("meaning.missing_many", what=", ".join(items[:-1]), last=items[-1])


def missing_list(missing: tuple[str, ...]) -> str:
    """The missing documents with their articles ("la prescrizione medica"); anything that
    is not a document kind as the insurer wrote it."""
    named = []
    for item in missing:
        try:
            named.append(t(f"missing.{item}"))
        except KeyError:
            named.append(item[:1].lower() + item[1:])
    return listing(named)


def missing_verb(missing: tuple[str, ...]) -> str:
    """"manca" or "mancano"."""
    return t("meaning.many") if len(missing) > 1 else t("meaning.one")


def document_label(document: Document) -> str:
    """"documento di spesa n. 2025/0388 del 14 maggio 2025, € 280,00 (PDF)"."""
    kind = t(f"document.{document.kind.value}")
    parts = [kind]
    if document.number:
        parts.append(t("document.number", number=document.number))
    if document.expense_date:
        parts.append(t("document.dated", day=day(document.expense_date)))
    label = " ".join(parts)
    if document.amount is not None:
        label += ", " + money(document.amount)
    form = t("document.pdf") if document.mime_type == "application/pdf" else t("document.image")
    return f"{label} ({form})"


def describe_filters(query: ArchiveQuery, today: date) -> str:
    """"sospese di Luca a marzo": the query's filters as words, for titles and "Non trovo"."""
    parts = []
    if query.status:
        parts.append(t(f"filter.{query.status}"))
    if query.person:
        parts.append(t("filter.person", name=query.person))
    if query.service:
        parts.append(t("filter.service", service=query.service))
    if query.period:
        parts.append(_period(query.period, today))
    return " ".join(parts)


def _period(period: tuple[date, date], today: date) -> str:
    start, end = period
    if start == end:
        return t("filter.day", day=day(start))
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return t("filter.year", year=start.year)
    last = calendar.monthrange(start.year, start.month)[1]
    if start.day == 1 and end == start.replace(day=last):
        month = format_date(start, "MMMM", locale=babel_locale())
        if start.year == today.year:
            return t("filter.month", month=month)
        return t("filter.month_year", month=month, year=start.year)
    return t("filter.range", start=day(start), end=day(end))


def reason_text(reason: str) -> str:
    """The insurer's reason inside a sentence: "il massimale…", without its full stop."""
    reason = reason.strip().rstrip(".")
    if not reason:
        return "—"
    if len(reason) > 1 and reason[1].islower():
        reason = reason[0].lower() + reason[1:]
    return reason
