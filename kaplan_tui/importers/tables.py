"""The thin reading layer: a CSV or XLSX file becomes a :class:`Table` of rows with line numbers.

CSV is decoded as UTF-8 (with or without a byte-order mark), else GB18030 (a superset of GBK
and GB2312, what Chinese Excel and CRMs write), or UTF-16 when it starts with that BOM; the
encoding used is reported. The delimiter (comma, semicolon or tab) is read from the header line.
XLSX is read with openpyxl in read-only mode. Input files are only ever read.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from kaplan_tui.importers.mapping import REQUIRED, ImportMap, Role
from kaplan_tui.importers.values import CellValue, text_of

MAX_BYTES = 200 * 1024 * 1024
"""Refuse files larger than this: a CRM export that size is a mistake, not a table."""
HEADER_SEARCH_ROWS = 10
"""Exports often put a title or the export time above the header; look this far for it."""


class ReadError(Exception):
    """A file that cannot be read at all (missing, not CSV/XLSX, wrong encoding)."""


@dataclass(frozen=True)
class Row:
    """One data row: its line (CSV) or row number (XLSX), 1-based, and its cells."""

    line: int
    cells: tuple[CellValue, ...]


@dataclass(frozen=True)
class Table:
    """One file of a CRM export, parsed but not interpreted."""

    role: Role
    file: str
    """The file as the user named it, for messages."""
    headers: tuple[str, ...]
    header_line: int
    rows: tuple[Row, ...]
    encoding: str
    """``utf-8``, ``utf-8-sig`` (with BOM), ``gb18030``, ``utf-16`` or ``xlsx``."""


def read_table(path: Path, role: Role, mapping: ImportMap, display: str | None = None) -> Table:
    """Read the CSV or XLSX file at ``path`` as the table ``role``.

    Raises:
        ReadError: the file is missing, too large, or cannot be decoded or opened.
    """
    name = display or str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReadError(f"{name}: cannot read ({exc.strerror})") from None
    if size > MAX_BYTES:
        raise ReadError(f"{name}: {size} bytes is too large for a CRM export")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        rows, encoding = _read_xlsx(path, name, mapping.sheets.get(role)), "xlsx"
    else:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ReadError(f"{name}: cannot read ({exc.strerror})") from None
        if data[:4] == b"PK\x03\x04":
            rows, encoding = _read_xlsx(path, name, mapping.sheets.get(role)), "xlsx"
        else:
            text, encoding = decode(data, name, mapping.encoding)
            rows = _read_csv(text, name)
    return _with_header(rows, role, name, encoding, mapping)


def decode(data: bytes, name: str, forced: str | None = None) -> tuple[str, str]:
    """Decode CSV bytes; returns the text and the encoding used.

    Raises:
        ReadError: ``forced`` is given and does not fit, or no encoding fits.
    """
    if forced:
        try:
            return data.decode(forced), forced
        except UnicodeDecodeError as exc:
            raise ReadError(f"{name}: not {forced} at byte {exc.start}") from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise ReadError(f"{name}: broken UTF-16 at byte {exc.start}") from None
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise ReadError(f"{name}: broken UTF-8 at byte {exc.start}") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise ReadError(
            f"{name}: neither UTF-8 nor GB18030 (byte {exc.start}); set [options] encoding "
            "in a --map file"
        ) from None


def _read_csv(text: str, name: str) -> list[Row]:
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    start = 1
    try:
        for record in reader:
            if any(cell.strip() for cell in record):
                rows.append(Row(start, tuple(record)))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise ReadError(f"{name}:{reader.line_num}: {exc}") from None
    return rows


def _read_xlsx(path: Path, name: str, sheet: str | None) -> list[Row]:
    import zipfile

    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReadError(f"{name}: not a readable XLSX workbook ({exc})") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise ReadError(f"{name}: no sheet {sheet!r}; sheets are {', '.join(book.sheetnames)}")
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        rows: list[Row] = []
        for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = tuple(_xlsx_cell(v) for v in values)
            if any(text_of(c) for c in cells):
                rows.append(Row(number, cells))
        return rows
    finally:
        book.close()


def _xlsx_cell(value: object) -> CellValue:
    if value is None or isinstance(value, str | int | float | dt.date):
        return value
    return str(value)


def _with_header(
    rows: list[Row], role: Role, name: str, encoding: str, mapping: ImportMap
) -> Table:
    required = REQUIRED[role]
    header_at = 0
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        fields = {mapping.field_of(role, text_of(c)) for c in row.cells}
        if all(f in fields for f in required):
            header_at = i
            break
    if not rows:
        return Table(role, name, (), 1, (), encoding)
    header = rows[header_at]
    headers = tuple(text_of(c) for c in header.cells)
    return Table(role, name, headers, header.line, tuple(rows[header_at + 1 :]), encoding)
