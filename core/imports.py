"""What every bulk import shares: a CSV or Excel (.xlsx) table read into rows, and the
report an import answers with (what each row would do or did, and each row's errors).

A CSV may be UTF-8 (with or without the BOM Excel writes) or CP949, which Korean Excel
uses for "CSV (쉼표로 분리)"; a tab-separated file works as well. Of a workbook the
first sheet is read. The first non-empty row holds the column names; a row's number is
the one the spreadsheet shows (the header is row 1 when it is the first row), so an
error can say "3행 '업종': …" and the staffer finds the cell. Blank rows are skipped.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 1000
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # an .xlsx is a zip: refuse one that unpacks huge
# Image files uploaded beside a posts file (they are held in memory, and in the cache
# between the admin's preview and its confirmation); more is what image URLs are for.
MAX_IMAGES = 50
MAX_IMAGES_BYTES = 50 * 1024 * 1024

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
T = TypeVar("T")


class ImportFileError(Exception):
    """The file as a whole cannot be read as the import's table."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- The report --------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem: in a cell (row and column), a whole row (no column) or the whole
    file (no row)."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if not self.column:
            return _("%(row)s행: %(message)s") % {"row": self.row, "message": self.message}
        return _("%(row)s행 '%(column)s': %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class RowResult:
    """What one row does: creates, updates or leaves its record as it is; ``action`` is
    "" while the row has errors."""

    row: int
    key: str
    label: str = ""
    action: str = ""
    changes: list[str] = field(default_factory=list)  # the columns that change
    errors: list[RowError] = field(default_factory=list)

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.row, column, message))


@dataclass
class ImportReport:
    kind: str  # "shops" or "posts"
    file_name: str
    dry_run: bool
    rows: list[RowResult] = field(default_factory=list)
    file_errors: list[RowError] = field(default_factory=list)
    imported: bool = False  # True once the rows are written

    def file_error(self, message: str) -> None:
        self.file_errors.append(RowError(None, "", message))

    @property
    def errors(self) -> list[RowError]:
        return [*self.file_errors, *(e for row in self.rows for e in row.errors)]

    @property
    def ok(self) -> bool:
        return not self.file_errors and not any(row.errors for row in self.rows)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action and not row.errors)

    @property
    def invalid(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    def summary(self) -> str:
        """One line for the log and the admin's message."""
        return _("새로 %(created)s건, 바뀜 %(updated)s건, 그대로 %(unchanged)s건") % {
            "created": self.count(CREATE),
            "updated": self.count(UPDATE),
            "unchanged": self.count(UNCHANGED),
        }

    def as_dict(self) -> dict[str, Any]:
        def error(e: RowError) -> dict[str, Any]:
            return {"row": e.row, "column": e.column, "message": e.message, "text": str(e)}

        return {
            "kind": self.kind,
            "file_name": self.file_name,
            "dry_run": self.dry_run,
            "imported": self.imported,
            "created": self.count(CREATE),
            "updated": self.count(UPDATE),
            "unchanged": self.count(UNCHANGED),
            "invalid": self.invalid,
            "errors": [error(e) for e in self.errors],
            "rows": [
                {
                    "row": r.row,
                    "key": r.key,
                    "label": r.label,
                    "action": None if r.errors else r.action,
                    "changes": r.changes,
                    "errors": [error(e) for e in r.errors],
                }
                for r in self.rows
            ],
        }


class _Abandoned(Exception):
    """A row's write failed: the transaction rolls back."""


def write_all(
    report: ImportReport,
    rows: Iterable[T],
    write: Callable[[T], RowResult],
    *,
    then: Callable[[], object],
) -> ImportReport:
    """Write every row (``write`` answers the row's result, with any error it met) and
    then ``then`` (the audit entry), in one transaction; when a row fails, nothing is
    kept. Sets ``report.imported``."""
    try:
        with transaction.atomic():
            for row in rows:
                if write(row).errors:
                    raise _Abandoned
            then()
    except _Abandoned:
        return report
    report.imported = True
    return report


# --- Columns -------------------------------------------------------------------------------


def header_key(text: str) -> str:
    """A column name as compared: no spaces, lower case ("주요 고객" is "주요고객")."""
    return re.sub(r"\s+", "", text.replace("\ufeff", "")).lower()


@dataclass(frozen=True)
class Column:
    name: str  # the importer's own name for it
    header: str  # the Korean column name the sample files and the docs use
    aliases: tuple[str, ...] = ()  # other names accepted (the profile format's keys)
    required: bool = False

    def matches(self, header: str) -> bool:
        return header_key(header) in {header_key(self.header), *map(header_key, self.aliases)}


@dataclass
class Table:
    """The file's rows as {column name: cell text}, keyed by the importer's names for the
    columns it knows and by the header as written (spaces removed) for the rest."""

    rows: list[tuple[int, dict[str, str]]]
    headers: dict[str, str]  # column name -> the header as the file wrote it

    def has(self, name: str) -> bool:
        return name in self.headers

    def header(self, name: str) -> str:
        return self.headers.get(name, name)


def read_table(data: bytes, columns: Sequence[Column]) -> Table:
    """The table in ``data`` (CSV or .xlsx, told apart by content). Raises ImportFileError
    when it cannot be read, lacks a required column, or is too big."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            _("파일이 너무 커요 (최대 %(limit)s MB).") % {"limit": MAX_FILE_BYTES // 1024**2}
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            _("예전 엑셀 형식(.xls)은 읽을 수 없어요. .xlsx 또는 CSV로 저장해 주세요.")
        )
    records = _xlsx_records(data) if data.startswith(b"PK\x03\x04") else _csv_records(data)
    header_row: list[str] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    names: list[str] = []
    headers: dict[str, str] = {}
    for number, cells in records:
        if not any(cells):
            continue
        if header_row is None:
            header_row = cells
            names, headers = _names(cells, columns)
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(
                _("행이 너무 많아요 (최대 %(limit)s행). 파일을 나눠서 올려 주세요.")
                % {"limit": MAX_ROWS}
            )
        rows.append((number, {n: c for n, c in zip(names, cells, strict=False) if n}))
    if header_row is None:
        raise ImportFileError(_("파일이 비어 있어요."))
    missing = [c.header for c in columns if c.required and c.name not in headers]
    if missing:
        raise ImportFileError(
            _("필요한 열이 없어요: %(columns)s. 첫 줄에 열 이름을 적어 주세요.")
            % {"columns": ", ".join(f"'{m}'" for m in missing)}
        )
    return Table(rows, headers)


def _names(cells: list[str], columns: Sequence[Column]) -> tuple[list[str], dict[str, str]]:
    names: list[str] = []
    headers: dict[str, str] = {}
    for cell in cells:
        column = next((c for c in columns if c.matches(cell)), None)
        name = column.name if column else header_key(cell)
        if name and name in headers:
            raise ImportFileError(
                _("'%(column)s' 열이 두 번 있어요. 하나만 남겨 주세요.") % {"column": cell.strip()}
            )
        if name:
            headers[name] = cell.strip()
        names.append(name)
    return names, headers


def _decoded(data: bytes) -> str:
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):  # fmt: skip
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                break
    for encoding in ("utf-8", "cp949"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(
        _("글자를 읽을 수 없는 파일이에요. CSV는 UTF-8이나 CP949(엑셀 기본)로 저장해 주세요.")
    )


def _csv_records(data: bytes) -> Iterator[tuple[int, list[str]]]:
    text = _decoded(data)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, [cell.strip() for cell in cells]
    except csv.Error as exc:
        raise ImportFileError(
            _("CSV 형식이 올바르지 않아요 (%(line)s번째 줄).") % {"line": reader.line_num}
        ) from exc


def _xlsx_records(data: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook  # only for workbooks: it takes a moment to import

    unreadable = ImportFileError(_("엑셀 파일을 열 수 없어요. .xlsx로 다시 저장해 주세요."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise ImportFileError(_("엑셀 파일의 내용이 너무 커요. 파일을 나눠서 올려 주세요."))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ImportFileError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise unreadable from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(min_row=1, values_only=True)
        for number, values in enumerate(rows, start=1):
            yield number, [_cell_text(value) for value in values]
    except Exception as exc:  # a sheet that is damaged further in
        raise unreadable from exc
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    """A cell as the text a CSV of it would hold (dates as 2026-03-02, times as 14:00)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "O" if value else ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d" if value.time() == dt.time() else "%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def images_refusal(sizes: Sequence[int]) -> str | None:
    """Why these image uploads are too many or too big together, or None."""
    if len(sizes) > MAX_IMAGES or sum(sizes) > MAX_IMAGES_BYTES:
        return _(
            "이미지 파일은 %(count)s개, 모두 합쳐 %(limit)s MB까지 함께 올릴 수 있어요. "
            "더 많으면 파일을 나누거나 이미지 주소(http…)를 적어 주세요."
        ) % {"count": MAX_IMAGES, "limit": MAX_IMAGES_BYTES // 1024**2}
    return None


# --- Cells ---------------------------------------------------------------------------------


def choice_value(text: str, choices: Sequence[tuple[str, object]]) -> str | None:
    """The choice a person named by its code or its label (in Korean, as the files and
    the docs write it, or in the language shown), spaces and case aside; None if none."""
    wanted = header_key(text)
    shown = [(code, header_key(str(label))) for code, label in choices]
    with translation.override("ko"):
        korean = [header_key(str(label)) for _code, label in choices]
    for (code, label), label_ko in zip(shown, korean, strict=True):
        if wanted in (header_key(code), label_ko, label):
            return code
    return None


def split_list(text: str) -> list[str]:
    """A list in one cell: items on separate lines or between "|"."""
    return [item.strip() for item in re.split(r"[|\n]", text) if item.strip()]


def parse_won(text: str) -> int:
    """A price as people write it: "3800", "3,800", "3,800원", "₩3,800". Raises ValueError."""
    cleaned = re.sub(r"[\s,원₩]", "", text)
    if not cleaned.isdigit():
        raise ValueError(text)
    return int(cleaned)


DATE = re.compile(r"^(\d{4})\s*[-./년]\s*(\d{1,2})\s*[-./월]\s*(\d{1,2})\s*[.일]?$")
TIME = re.compile(r"^(\d{1,2})(?::(\d{2})(?::\d{2})?|시(?:\s*(\d{1,2})분)?)$")


def parse_date(text: str) -> dt.date:
    """2026-03-02, 2026.3.2, 2026/03/02, 2026. 3. 2., 2026년 3월 2일, 20260302 (an Excel
    date cell reads as the first). Raises ValueError."""
    text = re.sub(r"\s+\d{1,2}:\d{2}(:\d{2})?$", "", text.strip())  # a date cell with 00:00
    if re.fullmatch(r"\d{8}", text):
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    match = DATE.match(text)
    if not match:
        raise ValueError(text)
    return dt.date(*(int(part) for part in match.groups()))


def parse_time(text: str) -> dt.time:
    """14:00, 14:00:00, 9:30, 오후 3:00 (as Korean Excel writes a time cell), 3:00 PM,
    14시, 14시 30분. Raises ValueError."""
    text = text.strip().upper()
    half = ""
    for word, meaning in (("오전", "AM"), ("오후", "PM"), ("AM", "AM"), ("PM", "PM")):
        if text.startswith(word) or text.endswith(word):
            half, text = meaning, text.removeprefix(word).removesuffix(word).strip()
            break
    match = TIME.match(text)
    if not match:
        raise ValueError(text)
    hour, minute = int(match.group(1)), int(match.group(2) or match.group(3) or 0)
    if half and not 1 <= hour <= 12:
        raise ValueError(text)
    if half == "PM" and hour < 12:
        hour += 12
    elif half == "AM" and hour == 12:
        hour = 0
    return dt.time(hour, minute)  # raises ValueError out of range


def mark_repeated(rows: Iterable[tuple[RowResult, object]], column: str) -> None:
    """Mark every row whose key (the object beside it) an earlier row already used."""
    first: dict[object, int] = {}
    for row, key in rows:
        if key in first:
            row.error(
                column,
                _("%(row)s행과 같은 키예요. 키는 행마다 달라야 해요.") % {"row": first[key]},
            )
        else:
            first[key] = row.row
