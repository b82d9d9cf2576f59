"""Italian dates and periods as people type them: 'martedì scorso', '12/3', 'da settembre'."""

from nlu.dates._days import DateReading, parse_date, parse_date_detail, parse_date_time
from nlu.dates._describe import describe_date
from nlu.dates._periods import parse_period

__all__ = [
    "DateReading",
    "describe_date",
    "parse_date",
    "parse_date_detail",
    "parse_date_time",
    "parse_period",
]
