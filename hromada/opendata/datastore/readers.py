"""Reading a resource version's file as rows, streamed: CSV (and TSV) with its encoding
and delimiter detected, or the first sheet of an XLSX workbook.

Encodings, in order: a byte-order mark (UTF-8, UTF-16); valid UTF-8; cp1251 — most
Ukrainian spreadsheets saved as CSV on Windows are in it — when the sample's non-ASCII
bytes are nearly all its Cyrillic letters; otherwise charset-normalizer's guess. Bytes
that the chosen encoding cannot decode later in the file are replaced (U+FFFD) and
counted, so one bad byte at row 900,000 does not undo a load; the count is reported.

Row numbers are the file's record numbers with the header as row 1, as a spreadsheet
numbers them."""

from __future__ import annotations

import codecs
import csv
import io
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

SAMPLE_BYTES = 64 * 1024
DELIMITERS = ",;\t|"

# The Cyrillic letters of cp1251 (А..я, Ґґ Єє Іі Її and Ёё), and the punctuation a
# Ukrainian text uses (№, «», dashes, quotes, the non-breaking space).
_CP1251_LETTERS = set(range(0xC0, 0x100)) | {0xA5, 0xB4, 0xAA, 0xBA, 0xB2, 0xB3, 0xAF, 0xBF, 0xA8, 0xB8}
_CP1251_PUNCT = {0xB9, 0xAB, 0xBB, 0x96, 0x97, 0x93, 0x94, 0x92, 0x91, 0xA0, 0x84, 0x85}


class ReadError(Exception):
    """The file cannot be read as a table at all (a Ukrainian message for the page)."""


_replaced = threading.local()


def _count_replace(error: UnicodeError) -> tuple[str, int]:
    _replaced.count = getattr(_replaced, "count", 0) + 1
    assert isinstance(error, UnicodeDecodeError)
    return "\ufffd", error.end


codecs.register_error("hromada_datastore", _count_replace)


@dataclass
class Table:
    kind: str  # "csv" | "xlsx"
    encoding: str
    delimiter: str
    header: list[str]
    rows: Iterator[tuple[int, list[Any]]]  # (row number, values)
    bytes_read: Callable[[], int]
    replaced: Callable[[], int] = field(default=lambda: 0)


class _Counting(io.RawIOBase):
    """A raw stream that counts the bytes read through it (the load's progress)."""

    def __init__(self, inner: IO[bytes]) -> None:
        self.inner = inner
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.inner.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.count += n
        return n


_VOWELS = set("аеиіоуюяєїыэё")


def _looks_cp1251(sample: bytes) -> bool:
    """Nearly every non-ASCII byte a cp1251 letter or Ukrainian punctuation, and the
    letters read as Cyrillic text reads: about two in five vowels (Greek or Latin-1
    bytes decoded as cp1251 give a Cyrillic without vowels)."""
    high = [b for b in sample if b >= 0x80]
    if not high or sum(1 for b in high if b in _CP1251_LETTERS or b in _CP1251_PUNCT) < 0.9 * len(high):
        return False
    letters = [
        ch for ch in sample.decode("cp1251", errors="replace").lower() if "а" <= ch <= "я" or ch in "іїєґё"
    ]
    if len(letters) < 8:
        return True  # too few to judge: Ukrainian files' usual encoding
    share = sum(1 for ch in letters if ch in _VOWELS) / len(letters)
    return 0.3 <= share <= 0.6


def detect_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if _looks_cp1251(sample):
        return "cp1251"
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    return best.encoding if best is not None else "cp1251"


def detect_delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same number of columns, the
    most columns when several do: a decimal comma ("12,5") or a header such as «Сума,
    грн» in a ';' file must not win. csv.Sniffer breaks ties (quoting it understands);
    ',' when nothing splits anything."""
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if len(lines) > 1:
        lines = lines[:-1]  # the sample may end in the middle of a row
    if not lines:
        return ","
    scores: dict[str, tuple[bool, int, float]] = {}
    for d in DELIMITERS:
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=d)]
        except csv.Error:
            continue
        mode = max(set(widths), key=widths.count)
        consistency = widths.count(mode) / len(widths)
        scores[d] = (consistency >= 0.9 and mode > 1, mode, consistency)
    if not scores:
        return ","
    best = max(scores.values())
    if not best[0] and best[1] <= 1:
        # One column: a delimiter that splits nothing, so "2,75" stays one value.
        return next((d for d in DELIMITERS if d not in text), ",")
    tied = [d for d, score in scores.items() if score == best]
    if len(tied) > 1:
        try:
            sniffed = csv.Sniffer().sniff("\n".join(lines[:20]), delimiters="".join(tied)).delimiter
            if sniffed in tied:
                return sniffed
        except csv.Error:
            pass
    return tied[0]


def is_xlsx(sample: bytes) -> bool:
    return sample.startswith(b"PK\x03\x04")


def open_table(stream: IO[bytes]) -> Table:
    """`stream` is the version's file opened in binary mode and seekable."""
    sample = stream.read(SAMPLE_BYTES)
    stream.seek(0)
    if is_xlsx(sample):
        return _xlsx(stream)
    if sample.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReadError("Формат XLS (Excel 97–2003) не підтримується: збережіть файл як XLSX або CSV.")
    # A text file may hold a stray NUL (its row is refused); a binary one is full of them.
    if sample.count(b"\x00") > len(sample) // 100 + 1 and not sample.startswith(
        (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    ):
        raise ReadError("Файл не схожий на таблицю CSV: у ньому двійкові дані.")
    return _csv(stream, sample)


def _csv(stream: IO[bytes], sample: bytes) -> Table:
    encoding = detect_encoding(sample)
    decoded = sample.decode(encoding, errors="replace")
    delimiter = detect_delimiter(decoded.lstrip("\ufeff"))
    counting = _Counting(stream)
    _replaced.count = 0
    text = io.TextIOWrapper(
        io.BufferedReader(counting, 256 * 1024), encoding=encoding, errors="hromada_datastore", newline=""
    )
    reader = csv.reader(text, delimiter=delimiter)
    header: list[str] | None = None
    number = 0
    try:
        for record in reader:
            number += 1
            if any(cell.strip() for cell in record):
                header = [cell.strip().lstrip("\ufeff") for cell in record]
                break
    except csv.Error as e:
        raise ReadError(f"Не вдалося прочитати заголовок таблиці: {e}") from e
    if header is None:
        raise ReadError("Файл порожній: у ньому немає рядка заголовка.")
    while header and not header[-1]:
        header.pop()  # a trailing delimiter in the header names no column

    def rows() -> Iterator[tuple[int, list[Any]]]:
        n = number
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                n += 1
                yield n, [csv.Error(str(e))]
                continue
            n += 1
            if any(cell.strip() for cell in record):
                yield n, record

    return Table(
        kind="csv",
        encoding=encoding.replace("-sig", ""),
        delimiter=delimiter,
        header=header,
        rows=rows(),
        bytes_read=lambda: counting.count,
        replaced=lambda: getattr(_replaced, "count", 0),
    )


def _xlsx(stream: IO[bytes]) -> Table:
    import zipfile

    from openpyxl import load_workbook  # type: ignore[import-untyped]

    size = _size(stream)
    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise ReadError("Не вдалося відкрити файл XLSX: він пошкоджений або це не книга Excel.") from e
    if not book.worksheets:
        raise ReadError("У книзі XLSX немає аркушів.")
    sheet = book.worksheets[0]
    it = sheet.iter_rows(values_only=True)
    header: list[str] | None = None
    number = 0
    for values in it:
        number += 1
        if any(v is not None and str(v).strip() for v in values):
            header = ["" if v is None else str(v).strip() for v in values]
            break
    if header is None:
        book.close()
        raise ReadError("Перший аркуш книги порожній: у ньому немає рядка заголовка.")
    while header and not header[-1]:
        header.pop()
    done = [False]

    def rows() -> Iterator[tuple[int, list[Any]]]:
        n = number
        try:
            for values in it:
                n += 1
                cells = list(values)
                if any(v is not None and not (isinstance(v, str) and not v.strip()) for v in cells):
                    yield n, cells
        finally:
            done[0] = True
            book.close()

    return Table(
        kind="xlsx",
        encoding="",
        delimiter="",
        header=header,
        rows=rows(),
        # openpyxl reads the zip's parts as it pleases: progress is known only at the end.
        bytes_read=lambda: size if done[0] else 0,
    )


def _size(stream: IO[bytes]) -> int:
    try:
        here = stream.tell()
        stream.seek(0, io.SEEK_END)
        size = stream.tell()
        stream.seek(here)
        return size
    except (OSError, AttributeError):
        return 0
