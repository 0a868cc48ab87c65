"""Reading the cells of an xlsx workbook, quickly: the grid, not the formatting.

openpyxl reads a national-scale workbook (some 500 000 cells) in about six
times the time dikt loads the same spec from TOML: it builds a cell object
per cell in Python. This reader takes only what an import needs from the
archive: the sheets (name, whether hidden), the shared strings, which cell
styles are dates (openpyxl's own rule for number formats), and per sheet its
cells' values, its formulas and its merged ranges, scanned from the sheet's
XML with regular expressions over the bytes. Values are as openpyxl gives
them: ``str``, ``int``, ``float``, ``bool``, ``datetime``; an error value
(``#N/A``) is a :class:`CellError`. Strings are unescaped as Excel writes
them (XML entities, then ``_xHHHH_``).

What it refuses (a file that is no xlsx, an encrypted one, one with macros,
one too large) it raises as :class:`WorkbookError`, with a message for people.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping
from typing import Final

import attrs

from dikt.i18n import Message, message

__all__ = [
    "MAX_UNPACKED_BYTES",
    "OLE_SIGNATURE",
    "CellError",
    "Grid",
    "WorkbookError",
    "escape",
    "read",
    "unescape",
]

#: The first bytes of an OLE compound file: an encrypted xlsx (or an old .xls).
OLE_SIGNATURE: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_SIGNATURE: Final = b"PK\x03\x04"
#: The most a workbook's parts may hold unpacked: far above a national spec's
#: workbook (some 40 MB), far below what would exhaust memory (a zip bomb).
MAX_UNPACKED_BYTES: Final = 512 * 1024 * 1024

_MAIN: Final = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS: Final = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_RELS: Final = "{http://schemas.openxmlformats.org/package/2006/relationships}"

_P = rb"(?:[A-Za-z_][\w.-]*:)?"  # an optional namespace prefix (x:c)
_ROW: Final = re.compile(rb"<" + _P + rb"row\b([^>]*?)(?:/>|>(.*?)</" + _P + rb"row>)", re.S)
_CELL: Final = re.compile(rb"<" + _P + rb"c\b([^>]*?)(?:/>|>(.*?)</" + _P + rb"c>)", re.S)
_ATTRIBUTE: Final = re.compile(rb'\b([rst])="([^"]*)"')
_VALUE: Final = re.compile(rb"<" + _P + rb"v>(.*?)</" + _P + rb"v>", re.S)
_FORMULA: Final = re.compile(rb"<" + _P + rb"f\b")
_TEXT: Final = re.compile(rb"<" + _P + rb"t\b[^>]*?(?:/>|>(.*?)</" + _P + rb"t>)", re.S)
_PHONETIC: Final = re.compile(rb"<" + _P + rb"rPh\b.*?</" + _P + rb"rPh>", re.S)
_MERGE: Final = re.compile(rb"<" + _P + rb'mergeCell\b[^>]*?\bref="([^"]*)"')
_REFERENCE: Final = re.compile(r"([A-Z]{1,3})([0-9]+)")
_ENTITY: Final = re.compile(r"&(#[0-9]+|#x[0-9A-Fa-f]+|amp|lt|gt|quot|apos);")
_ENTITIES: Final = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_EXCEL_ESCAPE: Final = re.compile(r"_x([0-9A-Fa-f]{4})_")
#: What a cell's text cannot hold as it is in XML (or would lose: a carriage
#: return reads back as a line feed), and a literal ``_xHHHH_``.
_TO_ESCAPE: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\r\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_INTEGER: Final = re.compile(rb"-?[0-9]+")


class WorkbookError(Exception):
    """The file is no workbook dikt reads; the message says why, for people."""

    def __init__(self, said: Message) -> None:
        super().__init__(said)
        self.message = said


@attrs.frozen
class CellError:
    """An error value in a cell (``#N/A``, ``#DIV/0!``), as Excel shows it."""

    text: str


@attrs.frozen
class Grid:
    """One sheet's cells: values by (row, column), 1-based; formulas; merged ranges."""

    name: str
    hidden: bool
    cells: Mapping[tuple[int, int], object]
    formulas: frozenset[tuple[int, int]]
    merged: tuple[str, ...]
    #: The cells holding an error value (a :class:`CellError`).
    errors: frozenset[tuple[int, int]] = frozenset()


def escape(text: str) -> str:
    """``text`` as Excel stores it in a cell: what XML cannot hold as ``_xHHHH_``.

    >>> escape("a\\rb_x0041_")
    'a_x000D_b_x005F_x0041_'
    """
    return _TO_ESCAPE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def unescape(text: str) -> str:
    """The text of a cell as Excel stores it: ``_xHHHH_`` is the character HHHH.

    >>> unescape("a_x000D_b_x005F_x0041_")
    'a\\rb_x0041_'
    """
    if "_x" not in text:
        return text
    return _EXCEL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name.startswith("#x"):
        return chr(int(name[2:], 16))
    if name.startswith("#"):
        return chr(int(name[1:]))
    return _ENTITIES[name]


def _text(raw: bytes) -> str:
    text = raw.decode("utf-8")
    if "&" in text:
        text = _ENTITY.sub(_entity, text)
    return unescape(text)


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _parse_xml(archive: zipfile.ZipFile, name: str) -> ET.Element:
    with archive.open(name) as stream:
        # expat expands no external entities: no file is read through the XML.
        return ET.parse(stream).getroot()


def _shared_strings(archive: zipfile.ZipFile, names: set[str]) -> list[str]:
    if "xl/sharedStrings.xml" not in names:
        return []
    data = archive.read("xl/sharedStrings.xml")
    strings = []
    for item in re.finditer(rb"<" + _P + rb"si\b[^>]*?(?:/>|>(.*?)</" + _P + rb"si>)", data, re.S):
        body = _PHONETIC.sub(b"", item.group(1) or b"")
        strings.append("".join(_text(t.group(1) or b"") for t in _TEXT.finditer(body)))
    return strings


def _date_styles(archive: zipfile.ZipFile, names: set[str]) -> frozenset[int]:
    """The indices of the cell styles whose number format shows a date."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format  # noqa: PLC0415

    if "xl/styles.xml" not in names:
        return frozenset()
    root = _parse_xml(archive, "xl/styles.xml")
    formats: dict[int, str] = {k: v for k, v in BUILTIN_FORMATS.items() if v}
    for fmt in root.iter(f"{_MAIN}numFmt"):
        formats[int(fmt.get("numFmtId", "0"))] = fmt.get("formatCode", "")
    dates = set()
    cell_xfs = root.find(f"{_MAIN}cellXfs")
    for index, xf in enumerate([] if cell_xfs is None else cell_xfs.findall(f"{_MAIN}xf")):
        code = formats.get(int(xf.get("numFmtId", "0")), "")
        if is_date_format(code):
            dates.add(index)
    return frozenset(dates)


def _sheets(archive: zipfile.ZipFile) -> tuple[list[tuple[str, bool, str]], bool]:
    """Each sheet's name, whether hidden and its part; whether dates count from 1904."""
    workbook = _parse_xml(archive, "xl/workbook.xml")
    rels = _parse_xml(archive, "xl/_rels/workbook.xml.rels")
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PACKAGE_RELS}Relationship")}
    found = []
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_RELS}id"), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        hidden = sheet.get("state", "visible") != "visible"
        found.append((sheet.get("name", ""), hidden, posixpath.normpath(part)))
    properties = workbook.find(f"{_MAIN}workbookPr")
    date1904 = properties is not None and properties.get("date1904") in ("1", "true")
    return found, date1904


def _value(kind: bytes, raw: bytes, strings: list[str], epoch: dt.datetime | None) -> object:
    """A cell's value from its type and the text of its ``<v>``; a date where ``epoch`` is given."""
    if kind == b"s":
        return strings[int(raw)] if raw.isdigit() and int(raw) < len(strings) else ""
    if kind == b"b":
        return raw.strip() in (b"1", b"true")
    if kind == b"str":
        return _text(raw)
    if kind == b"e":
        return CellError(_text(raw))
    if kind == b"d":
        return dt.datetime.fromisoformat(raw.decode("ascii"))
    number: int | float = int(raw) if _INTEGER.fullmatch(raw) else float(raw)
    if epoch is None:
        return number
    from openpyxl.utils.datetime import from_excel  # noqa: PLC0415

    return from_excel(number, epoch=epoch)


#: A cell as Excel, LibreOffice and openpyxl write it: reference, then style, then type.
_FAST_CELL: Final = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]+)"(?: s="([0-9]+)")?(?: t="([A-Za-z]+)")?\s*'
    rb"(?:/>|>(?:<is><t>([^<&]*)</t></is>|<v>([^<&]*)</v>|(.*?))</c>)",
    re.S,
)


def _fast_cells(
    data: bytes, strings: list[str], dates: frozenset[int], epoch: dt.datetime
) -> tuple[dict[tuple[int, int], object], set[tuple[int, int]]] | None:
    """The cells of a sheet whose cells all have the usual form, in one pass; else None.

    Some 500 000 cells of a national spec's workbook go through here: one
    regular expression over the sheet, no per-cell attribute parsing.
    """
    cells: dict[tuple[int, int], object] = {}
    formulas: set[tuple[int, int]] = set()
    columns: dict[bytes, int] = {}
    found = _FAST_CELL.findall(data)
    for letters, row, style, kind, inline, number, body in found:
        column = columns.get(letters)
        if column is None:
            column = columns[letters] = _column_number(letters.decode("ascii"))
        key = (int(row), column)
        if inline:  # <is><t>text</t></is>: the common string, quickly
            cells[key] = unescape(inline.decode("utf-8")) if b"_x" in inline else inline.decode()
            continue
        raw = number
        if raw:
            if not style and not kind and raw.isdigit():
                cells[key] = int(raw)  # the common number: a count
                continue
        elif body:
            if b"<f" in body and _FORMULA.search(body):
                formulas.add(key)
            if kind == b"inlineStr":
                texts = _TEXT.finditer(_PHONETIC.sub(b"", body))
                cells[key] = "".join(_text(t.group(1) or b"") for t in texts)
                continue
            value = _VALUE.search(body)
            if value is None:
                continue
            raw = value.group(1)
        else:  # <c .../>, <c ...></c> or an empty string
            if kind == b"inlineStr":
                cells[key] = ""
            continue
        if kind == b"s" and raw.isdigit() and int(raw) < len(strings):
            cells[key] = strings[int(raw)]
            continue
        is_date = bool(style) and int(style) in dates
        cells[key] = _value(kind or b"n", raw, strings, epoch if is_date else None)
    count = len(found)
    if count != data.count(b"<c "):
        return None  # cells of another form: the general reader takes the sheet
    return cells, formulas


def _grid(
    name: str,
    hidden: bool,
    data: bytes,
    *,
    strings: list[str],
    dates: frozenset[int],
    epoch: dt.datetime,
) -> Grid:
    """One sheet's cells, formulas and merged ranges, scanned from its XML."""
    merged = tuple(m.group(1).decode("ascii", "replace") for m in _MERGE.finditer(data))
    fast = _fast_cells(data, strings, dates, epoch)
    if fast is not None:
        cells, formulas = fast
    else:
        cells, formulas = _cells(data, strings=strings, dates=dates, epoch=epoch)
    errors: frozenset[tuple[int, int]] = frozenset()
    if b't="e"' in data:  # error values are rare: look for them only where there are some
        errors = frozenset(at for at, value in cells.items() if type(value) is CellError)
    return Grid(name, hidden, cells, frozenset(formulas), merged, errors)


def _cells(
    data: bytes, *, strings: list[str], dates: frozenset[int], epoch: dt.datetime
) -> tuple[dict[tuple[int, int], object], set[tuple[int, int]]]:
    """The cells and formulas of a sheet in any form: row by row, attribute by attribute."""
    cells: dict[tuple[int, int], object] = {}
    formulas = set()
    row_number = 0
    for row in _ROW.finditer(data):
        attributes = dict(_ATTRIBUTE.findall(row.group(1)))
        row_number = int(attributes[b"r"]) if b"r" in attributes else row_number + 1
        column = 0
        for cell in _CELL.finditer(row.group(2) or b""):
            attributes = dict(_ATTRIBUTE.findall(cell.group(1)))
            reference = attributes.get(b"r")
            if reference is not None:
                match = _REFERENCE.fullmatch(reference.decode("ascii", "replace"))
                column = _column_number(match.group(1)) if match else column + 1
            else:
                column += 1
            body = cell.group(2)
            kind = attributes.get(b"t", b"n")
            if body is None:
                if kind == b"inlineStr":  # openpyxl writes an empty string so
                    cells[row_number, column] = ""
                continue
            if _FORMULA.search(body):
                formulas.add((row_number, column))
            if kind == b"inlineStr":
                texts = _TEXT.finditer(_PHONETIC.sub(b"", body))
                cells[row_number, column] = "".join(_text(t.group(1) or b"") for t in texts)
                continue
            if body.startswith(b"<v>") and body.endswith(b"</v>") and b"<" not in body[3:-4]:
                raw = body[3:-4]
            else:
                found = _VALUE.search(body)
                if found is None:
                    continue
                raw = found.group(1)
            style = attributes.get(b"s")
            is_date = style is not None and style.isdigit() and int(style) in dates
            cells[row_number, column] = _value(kind, raw, strings, epoch if is_date else None)
    return cells, formulas


def read(data: bytes, wanted: set[str] | None = None) -> list[Grid]:
    """The sheets of an xlsx workbook, in order; only those named in ``wanted`` with cells.

    The others come without cells (their names and states are all an import
    needs of them). Raises :class:`WorkbookError` for a file that is no
    workbook dikt reads.
    """
    if data.startswith(OLE_SIGNATURE):
        raise WorkbookError(
            message(
                "an encrypted workbook (or an Excel 97-2003 .xls file), which dikt cannot "
                "read: save it without a password as an Excel workbook (.xlsx)"
            )
        )
    if not data.startswith(_ZIP_SIGNATURE):
        raise WorkbookError(message("not an Excel workbook (.xlsx): the file is not a zip archive"))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise WorkbookError(
                message(
                    "a workbook with macros, which dikt does not read: save it as an Excel "
                    "workbook (.xlsx) without macros"
                )
            )
        if "xl/workbook.xml" not in names:
            raise WorkbookError(message("not an Excel workbook (.xlsx): no xl/workbook.xml"))
        unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise WorkbookError(
                message(
                    "the workbook unpacks to {size} bytes; dikt reads at most {most}",
                    size=unpacked,
                    most=MAX_UNPACKED_BYTES,
                )
            )
        sheets, date1904 = _sheets(archive)
        strings = _shared_strings(archive, names)
        dates = _date_styles(archive, names)
        epoch = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
        grids = []
        for name, hidden, part in sheets:
            if (wanted is None or name in wanted) and part in names:
                grids.append(
                    _grid(
                        name, hidden, archive.read(part), strings=strings, dates=dates, epoch=epoch
                    )
                )
            else:
                grids.append(Grid(name, hidden, {}, frozenset(), ()))
        return grids
    except WorkbookError:
        raise
    except (zipfile.BadZipFile, ET.ParseError, KeyError, ValueError, OSError, EOFError) as error:
        raise WorkbookError(
            message("the workbook cannot be read: {reason}", reason=str(error))
        ) from None
