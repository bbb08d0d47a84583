"""The Stakeholders tab: every known person on both sides, with side and role."""

from __future__ import annotations

from collections.abc import Sequence

from mutualplan.errors import InputError
from mutualplan.plan.people.parties import nfkc
from mutualplan.plan.sheet.cells import cell_text
from mutualplan.plan.sheet.grid import Cell, Grid
from mutualplan.plan.sheet.layout import Kind, SetCell, Value
from mutualplan.plan.sheet.model import Side, Stakeholder
from mutualplan.plan.sheet.text import clean, label_key

COLUMNS = {"name": "name", "email": "email", "side": "side", "role": "role"}
SIDES = {"customer": Side.CUSTOMER, "buyer": Side.CUSTOMER, "vendor": Side.VENDOR, "seller": Side.VENDOR}


def read_stakeholders(grid: Grid | None) -> tuple[Stakeholder, ...]:
    """The people of a Stakeholders tab, found by its header row; rows without a name or email skipped."""
    found = _header(grid)
    if grid is None or found is None:
        return ()
    index, columns = found
    return tuple(_people(grid.rows[index + 1 :], columns))


def _header(grid: Grid | None) -> tuple[int, dict[str, int]] | None:
    """The header row's index and its columns by name, where the tab has one."""
    for index, row in enumerate(grid.rows if grid else ()):
        columns = {
            COLUMNS[key]: col
            for col, cell in enumerate(row)
            if (key := label_key(cell_text(cell))) in COLUMNS
        }
        if {"name", "email"} & columns.keys() and "side" in columns:
            return index, columns
    return None


def adding_writes(grid: Grid | None, tab: str, people: Sequence[Stakeholder]) -> list[SetCell]:
    """The cells that add people below the tab's last row, each in its header's columns (as text)."""
    found = _header(grid)
    if grid is None or found is None:
        raise InputError(f"The {tab} tab is gone or has no Name, Email and Side header: put it back first")
    _, columns = found
    writes = []
    for offset, person in enumerate(people):
        row = len(grid.rows) + offset
        said = {
            "name": person.name,
            "email": person.email,
            "side": person.side.value.capitalize(),
            "role": person.role,
        }
        writes += [SetCell(tab, row, col, Value(Kind.TEXT, said[name])) for name, col in columns.items()]
    return writes


def _people(rows: Sequence[Sequence[Cell]], columns: dict[str, int]) -> list[Stakeholder]:
    people = []
    for row in rows:
        texts = {
            name: clean(nfkc(cell_text(row[col]))) if col < len(row) else "" for name, col in columns.items()
        }
        name, email = texts.get("name", ""), texts.get("email", "")
        if name or email:
            side = SIDES.get(label_key(texts.get("side", "")), Side.UNKNOWN)
            people.append(Stakeholder(name, email, side, texts.get("role", "")))
    return people


def side_in(stakeholders: Sequence[Stakeholder], email: str | None, name: str | None) -> Side:
    """The side the Stakeholders tab gives a person, by email, else by name."""
    for person in stakeholders:
        if email and person.email.casefold() == email.casefold():
            return person.side
    for person in stakeholders:
        if name and person.name.casefold() == name.casefold():
            return person.side
    return Side.UNKNOWN


def champion_of(stakeholders: Sequence[Stakeholder]) -> Stakeholder | None:
    """The customer's champion, when the Stakeholders tab names one with an email."""
    return next(
        (
            person
            for person in stakeholders
            if person.side is Side.CUSTOMER and label_key(person.role) == "champion" and "@" in person.email
        ),
        None,
    )
