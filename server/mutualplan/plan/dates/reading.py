"""Reading dates from cells: serial numbers, date cells, ISO and locale text."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache

from mutualplan.plan.sheet.grid import Cell
from mutualplan.plan.sheet.text import clean

EPOCH = date(1899, 12, 30)
FIRST_SERIAL = 1
LAST_SERIAL = (date(9999, 12, 31) - EPOCH).days


class DateOrder(StrEnum):
    """How a locale writes short numeric dates."""

    MDY = "month/day/year"
    DMY = "day/month/year"
    YMD = "year/month/day"


class DateProblem(StrEnum):
    """Why a cell's date can't simply be used."""

    UNREADABLE = "unreadable"
    AMBIGUOUS = "ambiguous"
    NO_YEAR = "no_year"
    FORMULA = "formula"


@dataclass(frozen=True, slots=True)
class DateReading:
    """What a date cell says: the date, the text shown, and any problem."""

    value: date | None
    text: str = ""
    problem: DateProblem | None = None
    readings: tuple[date, ...] = ()

    @property
    def is_blank(self) -> bool:
        """True when the cell was empty."""
        return self.value is None and self.problem is None


BLANK_DATE = DateReading(None)

_MDY_COUNTRIES = frozenset({"US", "PH", "FM", "MH", "PW", "AS", "GU", "MP", "PR", "UM", "VI"})
_YMD_COUNTRIES = frozenset({"CN", "JP", "KR", "KP", "TW", "HU", "LT", "MN", "IR"})
_LOCALE = re.compile(r"^([A-Za-z]{2,3})(?:[_-]([A-Za-z]{2}|[0-9]{3}))?$")


def is_locale(locale: str) -> bool:
    """True for a locale name like en, en_US or en-GB."""
    return bool(_LOCALE.match(locale.strip()))


def date_order(locale: str | None) -> DateOrder | None:
    """The numeric date order of a locale such as en_US, or None when unknown."""
    if not locale:
        return None
    match = _LOCALE.match(locale.strip())
    if not match or not match.group(2):
        return None
    country = match.group(2).upper()
    if country in _MDY_COUNTRIES:
        return DateOrder.MDY
    if country in _YMD_COUNTRIES:
        return DateOrder.YMD
    return DateOrder.DMY


def is_date_serial(number: float) -> bool:
    """Whether a number is the serial of a date from 1899-12-31 to 9999-12-31 (a sheet may send any number
    in a date-formatted cell: 0, a negative, 20270315 typed into a date column)."""
    return math.isfinite(number) and FIRST_SERIAL <= number < LAST_SERIAL + 1


def serial_to_date(serial: float) -> date:
    """The date of a spreadsheet serial number (days since 1899-12-30)."""
    if not is_date_serial(serial):
        raise ValueError(f"{serial!r} is outside the serial numbers of dates")
    return EPOCH + timedelta(days=math.floor(serial))


def date_to_serial(day: date) -> int:
    """The spreadsheet serial number of a date."""
    return (day - EPOCH).days


EARLIEST_PLAUSIBLE = date(2000, 1, 1)
PLAUSIBLE_DAYS = 5 * 365 + 1  # five years either side of today


def plausible(day: date, today: date) -> bool:
    """Whether a date can be meant: from 2000 on, and within five years of today (else a typo, such as
    year 0304 typed digit by digit — never a slip)."""
    return day >= EARLIEST_PLAUSIBLE and abs((day - today).days) <= PLAUSIBLE_DAYS


def implausible_date(day: date, today: date) -> str | None:
    """Why a date given as an answer can't be meant (None when it can), in words that say what to give."""
    if plausible(day, today):
        return None
    earliest = max(EARLIEST_PLAUSIBLE, today - timedelta(days=PLAUSIBLE_DAYS))
    latest = today + timedelta(days=PLAUSIBLE_DAYS)
    between = f"{format_day(earliest)} and {format_day(latest)}"
    return f"{day.isoformat()} can't be meant: give a date between {between}"


@lru_cache(maxsize=4096)  # a plan's messages name the same few hundred days many times over
def format_day(day: date) -> str:
    """A date as a sales rep reads it in any locale: 3 Nov 2026."""
    return f"{day.day} {day:%b %Y}"


def format_range(pair: str) -> str:
    """Stored dates "2027-01-04 → 2027-01-18" as people read them: "4 Jan 2027 – 18 Jan 2027"."""
    return " – ".join(format_iso(part) if part != "…" else "no date" for part in pair.split(" → "))


def format_iso(text: str) -> str:
    """An ISO date as format_day writes it; any other text as it is."""
    try:
        return format_day(date.fromisoformat(text))
    except ValueError:
        return text


def read_date(cell: Cell, order: DateOrder | None, anchor: date | None) -> DateReading:
    """Read a date cell; anchor (the go-live) places dates written without a year."""
    value = cell.value
    if cell.is_formula:
        computed = _read_value(value, order, anchor) if value is not None else BLANK_DATE
        return DateReading(computed.value, "a formula", DateProblem.FORMULA)
    return _read_value(value, order, anchor)


def _read_value(value: object, order: DateOrder | None, anchor: date | None) -> DateReading:
    if value is None:
        return BLANK_DATE
    if isinstance(value, bool):
        return DateReading(None, str(value).upper(), DateProblem.UNREADABLE)
    if isinstance(value, datetime):
        return DateReading(value.date(), value.date().isoformat())
    if isinstance(value, date):
        return DateReading(value, value.isoformat())
    if isinstance(value, int | float):
        try:
            day = serial_to_date(value)
        except ValueError:
            return DateReading(None, _number_text(value), DateProblem.UNREADABLE)
        return DateReading(day, day.isoformat())
    if isinstance(value, str):
        text = clean(value)
        return _read_text(text, order, anchor) if text else BLANK_DATE
    return DateReading(None, str(value), DateProblem.UNREADABLE)


def _number_text(value: float) -> str:
    return str(int(value)) if isinstance(value, int) else f"{value:g}"


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.]+(?:Z|[+-][0-9:]+)?)?$")
_NUMERIC = re.compile(r"^(\d{1,4})[/.\-](\d{1,2})(?:[/.\-](\d{2}|\d{4}))?\.?$")
_WORDS = re.compile(r"[^\W\d_]+|\d+")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_FILLER = frozenset(
    {
        "mon",
        "monday",
        "tue",
        "tues",
        "tuesday",
        "wed",
        "wednesday",
        "thu",
        "thur",
        "thurs",
        "thursday",
        "fri",
        "friday",
        "sat",
        "saturday",
        "sun",
        "sunday",
        "st",
        "nd",
        "rd",
        "th",
        "of",
        "the",
    }
)


@lru_cache(maxsize=4096)
def _read_text(text: str, order: DateOrder | None, anchor: date | None) -> DateReading:
    iso = _ISO.match(text)
    if iso:
        return _made(text, int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    numeric = _NUMERIC.match(text)
    if numeric:
        return _read_numeric(text, numeric, order, anchor)
    return _read_words(text, anchor)


def _made(text: str, year: int, month: int, day: int) -> DateReading:
    try:
        return DateReading(date(year, month, day), text)
    except ValueError:
        return DateReading(None, text, DateProblem.UNREADABLE)


def _read_numeric(
    text: str, match: re.Match[str], order: DateOrder | None, anchor: date | None
) -> DateReading:
    first, second, year_text = match.group(1), match.group(2), match.group(3)
    if len(first) == 4:
        if year_text is None or len(year_text) == 4:
            return DateReading(None, text, DateProblem.UNREADABLE)
        return _made(text, int(first), int(second), int(year_text))
    if len(first) == 3:
        return DateReading(None, text, DateProblem.UNREADABLE)
    a, b = int(first), int(second)
    year = None if year_text is None else _full_year(year_text)
    if "." in text:
        order = DateOrder.DMY  # dotted dates are day-first wherever they are written
    if order in (DateOrder.MDY, DateOrder.DMY):
        month, day = (a, b) if order is DateOrder.MDY else (b, a)
        return _with_year(text, year, month, day, anchor)
    readings = {
        reading.value: reading
        for reading in (_with_year(text, year, a, b, anchor), _with_year(text, year, b, a, anchor))
        if reading.value is not None
    }
    if len(readings) == 1:
        return next(iter(readings.values()))
    if not readings:
        return DateReading(None, text, DateProblem.UNREADABLE)
    return DateReading(None, text, DateProblem.AMBIGUOUS, tuple(sorted(readings)))


def _full_year(year_text: str) -> int:
    return int(year_text) + 2000 if len(year_text) == 2 else int(year_text)


def _read_words(text: str, anchor: date | None) -> DateReading:
    months: list[int] = []
    numbers: list[str] = []
    for word in _WORDS.findall(text.casefold()):
        if word in _MONTHS:
            months.append(_MONTHS[word])
        elif word.isdigit():
            numbers.append(word)
        elif word not in _FILLER:
            return DateReading(None, text, DateProblem.UNREADABLE)
    if len(months) != 1 or not 1 <= len(numbers) <= 2:
        return DateReading(None, text, DateProblem.UNREADABLE)
    if len(numbers) == 1:
        return _with_year(text, None, months[0], int(numbers[0]), anchor)
    day_text, year_text = numbers if len(numbers[0]) <= 2 else reversed(numbers)
    if len(day_text) > 2 or len(year_text) not in (2, 4):
        return DateReading(None, text, DateProblem.UNREADABLE)
    return _made(text, _full_year(year_text), months[0], int(day_text))


def _with_year(text: str, year: int | None, month: int, day: int, anchor: date | None) -> DateReading:
    if year is not None:
        return _made(text, year, month, day)
    if anchor is None:
        return DateReading(None, text, DateProblem.UNREADABLE)
    candidates = []
    for candidate_year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidates.append(date(candidate_year, month, day))
        except ValueError:
            continue
    if not candidates:
        return DateReading(None, text, DateProblem.UNREADABLE)
    nearest = min(candidates, key=lambda candidate: abs((candidate - anchor).days))
    return DateReading(nearest, text, DateProblem.NO_YEAR)
