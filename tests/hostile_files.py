"""Hostile plan files for `mutualplan check`, made small on disk: what a fuzzer or an attacker hands it."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

MB = 1 << 20


def _bomb(path: Path, member: str, unpacked_mb: int, chunk: bytes) -> Path:
    """A zip whose one member unpacks to unpacked_mb of a repeated chunk (a few KB on disk)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(member, "w", force_zip64=True) as stream:
            block = chunk * (MB // len(chunk))
            for _ in range(unpacked_mb):
                stream.write(block)
    return path


def huge_shared_strings(folder: Path) -> Path:
    """1,000 shared strings of 1 MB each: a gigabyte once unpacked."""
    return _bomb(
        folder / "shared.xlsx", "xl/sharedStrings.xml", 1000, b"<si><t>" + b"A" * 1017 + b"</t></si>"
    )


def tiny_strings(folder: Path) -> Path:
    """Twenty million tiny shared strings."""
    return _bomb(folder / "tiny.xlsx", "xl/sharedStrings.xml", 400, b"<si><t>x</t></si>")


def huge_inline_cell(folder: Path) -> Path:
    """One inline cell of 500 MB."""
    return _bomb(folder / "inline.xlsx", "xl/worksheets/sheet1.xml", 500, b"A" * 1024)


def far_cell(folder: Path) -> Path:
    """A real workbook whose one cell stands at XFD1048576."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "MAP"
    sheet["A1"] = "ID"
    sheet["XFD1048576"] = "far"
    path = folder / "far.xlsx"
    workbook.save(path)
    return path


def impossible_date(folder: Path) -> Path:
    """A plan whose one step is due on a date cell holding 7e30."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "MAP"
    sheet.append(["Deal", "Acme"])
    sheet.append([])
    sheet.append(["ID", "Track", "Step", "Customer owner", "Due", "Exit evidence"])
    sheet.append(["M01", "Legal", "MSA signed", "Jane Doe <jane@acme.com>", 7e30, "Signed MSA"])
    sheet["E4"].number_format = "yyyy-mm-dd"
    path = folder / "date.xlsx"
    workbook.save(path)
    return path


def fifo(folder: Path) -> Path:
    """A named pipe called plan.csv: opening it to read would wait forever."""
    path = folder / "plan.csv"
    os.mkfifo(path)
    return path


def link_to_zero(folder: Path) -> Path:
    """A .csv that is a link to /dev/zero: reading it never ends."""
    path = folder / "zero.csv"
    path.symlink_to("/dev/zero")
    return path


def _small_plan(path: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "MAP"
    sheet["A1"], sheet["B1"], sheet["A2"], sheet["B2"], sheet["C2"] = "ID", "Step", "M01", "Kickoff", 3.5
    sheet["C2"].number_format = "0.00"
    workbook.save(path)
    return path


def _rewritten(path: Path, member: str, old: bytes, new: bytes) -> Path:
    """The file with one part's bytes replaced, everything else as it was."""
    original = path.with_suffix(".orig.xlsx")
    path.rename(original)
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, data.replace(old, new) if item.filename == member else data)
    return path


def huge_number_format(folder: Path) -> Path:
    """A style whose number format id is past any integer the reader's fields hold."""
    path = _small_plan(folder / "numfmt.xlsx")
    return _rewritten(path, "xl/styles.xml", b'numFmtId="2"', b'numFmtId="999999999999"')


def shared_string_past_the_table(folder: Path) -> Path:
    """A cell naming shared string 99,999 in a file that has none."""
    path = _small_plan(folder / "strings.xlsx")
    cell = b'<c r="B2" t="inlineStr"><is><t>Kickoff</t></is></c>'
    return _rewritten(path, "xl/worksheets/sheet1.xml", cell, b'<c r="B2" t="s"><v>99999</v></c>')


HOSTILE: dict[str, Callable[[Path], Path]] = {
    "a number format id of 999999999999": huge_number_format,
    "a shared string index past the table": shared_string_past_the_table,
    "1,000 × 1 MB shared strings": huge_shared_strings,
    "20 million tiny strings": tiny_strings,
    "one 500 MB inline cell": huge_inline_cell,
    "a cell at XFD1048576": far_cell,
    "a FIFO named .csv": fifo,
    "a .csv linked to /dev/zero": link_to_zero,
    "a 7e30 date": impossible_date,
}
