"""Reading dates: serials, date cells, ISO, locale text; never a guess."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mutualplan.plan.dates.reading import (
    DateOrder,
    DateProblem,
    DateReading,
    date_order,
    date_to_serial,
    format_day,
    read_date,
    serial_to_date,
)
from mutualplan.plan.sheet.grid import Cell, CellValue

GO_LIVE = date(2027, 2, 2)
DAYS = st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31))


def read(value: CellValue, locale: str | None = None, anchor: date | None = GO_LIVE) -> DateReading:
    return read_date(Cell(value), date_order(locale), anchor)


@given(DAYS)
def test_serial_numbers_round_trip(day: date) -> None:
    assert serial_to_date(date_to_serial(day)) == day


@given(DAYS, st.floats(min_value=0, max_value=0.999))
def test_a_serial_with_a_time_fraction_is_that_day(day: date, fraction: float) -> None:
    assert serial_to_date(date_to_serial(day) + fraction) == day


@given(DAYS)
def test_iso_text_round_trips(day: date) -> None:
    reading = read_date(Cell(day.isoformat()), None, None)
    assert reading.value == day
    assert reading.problem is None


def test_the_serial_epoch_is_the_thirtieth_of_december_1899() -> None:
    assert serial_to_date(1) == date(1899, 12, 31)
    assert serial_to_date(46000) == date(2025, 12, 9)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (46000, date(2025, 12, 9)),
        (46000.75, date(2025, 12, 9)),
        (date(2026, 11, 3), date(2026, 11, 3)),
        (datetime(2026, 11, 3, 17, 30), date(2026, 11, 3)),
        ("2026-11-03", date(2026, 11, 3)),
        ("2026-11-03T10:00:00Z", date(2026, 11, 3)),
        ("2026/11/03", date(2026, 11, 3)),
        ("Nov 3, 2026", date(2026, 11, 3)),
        ("3 November 2026", date(2026, 11, 3)),
        ("Tue 3rd Nov 2026", date(2026, 11, 3)),
        ("3-Nov-26", date(2026, 11, 3)),
        ("13/04/2027", date(2027, 4, 13)),
        ("04/04/2027", date(2027, 4, 4)),
        ("1.12.2026", date(2026, 12, 1)),
        ("\u00a0 2026-11-03\u200b ", date(2026, 11, 3)),
    ],
)
def test_dates_that_read_one_way_are_read(value: CellValue, expected: date) -> None:
    reading = read(value)
    assert reading.value == expected
    assert reading.problem is None


def test_a_day_month_text_follows_the_sheet_locale() -> None:
    assert read("03/04/2027", "en_US").value == date(2027, 3, 4)
    assert read("03/04/2027", "en_GB").value == date(2027, 4, 3)


def test_a_day_month_text_is_ambiguous_without_a_locale_and_both_readings_are_kept() -> None:
    reading = read("03/04/2027")
    assert reading.problem is DateProblem.AMBIGUOUS
    assert reading.value is None
    assert reading.readings == (date(2027, 3, 4), date(2027, 4, 3))


def test_a_locale_reading_that_is_impossible_is_not_swapped_into_a_guess() -> None:
    assert read("13/04/2027", "en_US").problem is DateProblem.UNREADABLE


@pytest.mark.parametrize(
    "value",
    ["TBD", "next week", "Q1", "0012", "7e30", "23E123123", "2027-02-30", "November 2026", "ASAP",
     0, -3, 7e30, float("inf"), float("nan"), True, "31/31/2027"],
)  # fmt: skip
def test_unreadable_dates_are_findings_not_guesses(value: CellValue) -> None:
    reading = read(value)
    assert reading.value is None
    assert reading.problem is DateProblem.UNREADABLE


def test_a_blank_cell_is_no_date_and_no_problem() -> None:
    assert read(None).is_blank
    assert read("  ").is_blank


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 Nov", date(2026, 11, 3)),
        ("Mar 30", date(2027, 3, 30)),
        ("30 Jul", date(2027, 7, 30)),
        ("20 Dec", date(2026, 12, 20)),
    ],
)
def test_a_date_without_a_year_takes_the_year_nearest_the_go_live(text: str, expected: date) -> None:
    reading = read(text)
    assert reading.value == expected
    assert reading.problem is DateProblem.NO_YEAR


def test_a_date_without_a_year_and_no_go_live_asks_for_the_year() -> None:
    assert read("3 Nov", anchor=None).problem is DateProblem.UNREADABLE


def test_a_formula_date_keeps_its_computed_value_but_is_flagged() -> None:
    reading = read_date(Cell(46000, is_formula=True), None, None)
    assert reading.value == date(2025, 12, 9)
    assert reading.problem is DateProblem.FORMULA
    uncomputed = read_date(Cell(None, is_formula=True), None, None)
    assert uncomputed.value is None
    assert uncomputed.problem is DateProblem.FORMULA


@pytest.mark.parametrize(
    ("locale", "order"),
    [("en_US", DateOrder.MDY), ("en-GB", DateOrder.DMY), ("de_DE", DateOrder.DMY),
     ("ja_JP", DateOrder.YMD), ("en", None), (None, None), ("nonsense!", None)],
)  # fmt: skip
def test_locales_give_their_date_order(locale: str | None, order: DateOrder | None) -> None:
    assert date_order(locale) is order


def test_days_are_written_the_same_in_every_locale() -> None:
    assert format_day(date(2026, 11, 3)) == "3 Nov 2026"
