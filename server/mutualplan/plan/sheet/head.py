"""Reading the head block: the label/value pairs above the plan table."""

from __future__ import annotations

from collections.abc import Sequence

from mutualplan.plan.dates.reading import DateOrder, DateReading, read_date
from mutualplan.plan.people.parties import read_people
from mutualplan.plan.sheet.cells import cell_text
from mutualplan.plan.sheet.grid import BLANK, Cell, Grid
from mutualplan.plan.sheet.model import Head
from mutualplan.plan.sheet.text import label_key
from mutualplan.plan.sheet.vocabulary import HeadField, head_index

Place = tuple[int, int]


def read_head(grid: Grid, header_index: int, order: DateOrder | None) -> Head:
    """The head block from the rows above the header row (index 0-based)."""
    found: dict[HeadField, tuple[Cell, Place]] = {}
    for row_index in range(header_index):
        for name, cell, place in _pairs(grid.rows[row_index], row_index):
            found.setdefault(name, (cell, place))

    def value_cell(name: HeadField) -> Cell:
        return found[name][0] if name in found else BLANK

    go_live = read_date(value_cell(HeadField.GO_LIVE), order, None)

    def date_of(name: HeadField) -> DateReading:
        return read_date(value_cell(name), order, go_live.value)

    customer = cell_text(value_cell(HeadField.CUSTOMER))
    return Head(
        deal=cell_text(value_cell(HeadField.DEAL)),
        customer=customer,
        customer_domain=cell_text(value_cell(HeadField.CUSTOMER_DOMAIN)),
        vendor_domain=cell_text(value_cell(HeadField.VENDOR_DOMAIN)),
        outcome=cell_text(value_cell(HeadField.OUTCOME)),
        go_live=go_live,
        external_deadline=date_of(HeadField.EXTERNAL_DEADLINE),
        target_signature=date_of(HeadField.TARGET_SIGNATURE),
        signed_off_by=read_people(value_cell(HeadField.SIGNED_OFF_BY), (customer,) if customer else ()),
        signed_off_on=date_of(HeadField.SIGNED_OFF_ON),
        cells={name: place for name, (_, place) in found.items()},
    )


def _pairs(cells: Sequence[Cell], row_index: int) -> list[tuple[HeadField, Cell, Place]]:
    """The (label, value) pairs of one head row: "Go-live | 2027-02-02 | Deal | X"."""
    labels = head_index()
    filled = [(col, cell) for col, cell in enumerate(cells) if not cell.is_blank]
    pairs = []
    position = 0
    while position < len(filled):
        col, cell = filled[position]
        raw = cell.value if isinstance(cell.value, str) else ""
        name = labels.get(label_key(raw)) if raw else None
        if name is None and ":" in raw:
            # "Go-live: 2027-02-02" in one cell
            label, _, value = raw.partition(":")
            inline = labels.get(label_key(label))
            if inline is not None and value.strip():
                pairs.append((inline, Cell(value.strip()), (row_index + 1, col + 1)))
            position += 1
            continue
        if name is None:
            position += 1
            continue
        following = filled[position + 1] if position + 1 < len(filled) else None
        next_is_label = (
            following is not None
            and isinstance(following[1].value, str)
            and (label_key(following[1].value) in labels)
        )
        if following is None or next_is_label:
            pairs.append((name, Cell(), (row_index + 1, col + 2)))
            position += 1
        else:
            pairs.append((name, following[1], (row_index + 1, following[0] + 1)))
            position += 2
    return pairs
