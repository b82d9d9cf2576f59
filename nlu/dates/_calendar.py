"""Calendar arithmetic: months of different lengths, ISO weeks, Easter, seasons."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def safe_date(year: int, month: int, day: int) -> date | None:
    """The date, or None when it does not exist (31/02, 13/13, 29/02 out of leap years)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    """Same day `months` later (or earlier), clamped to the month's end: 31/03 - 1 -> 28/02."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


def week_start(day: date) -> date:
    """The Monday of the day's week (weeks run Monday to Sunday in Italy)."""
    return day - timedelta(days=day.weekday())


def easter(year: int) -> date:
    """Easter Sunday (Gregorian computus, the anonymous algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 (the algorithm's own names)
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)
