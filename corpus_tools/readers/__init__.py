"""Readers, one module per input format, and the choice of reader for a file.

``--format auto`` sniffs the file's first bytes once (``detect.sniff``) and asks each reader in turn
whether it recognises them (``_DETECTION_ORDER``): a Telethon message on the first line, or first in
a JSON array, is a Telethon dump; another JSON object a Telegram Desktop export; the pages of a
Telegram Desktop HTML export and saved web-preview pages by their markup; a CSV header row by its
columns (telegram-tracker's, or the CSV mapping's); other text a web-preview text dump. Binary files
are refused by name, and a file of no format here with one line naming the formats tried.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError, UsageError
from .base import Reader, ReaderOptions
from .csv_export import CsvReader
from .detect import sniff
from .telegram_html import TelegramHtmlReader, page_number, pages
from .telegram_json import TelegramJsonReader
from .telegram_text import TelegramTextReader
from .telethon_jsonl import TelethonJsonlReader
from .tme_html import TmeHtmlReader
from .tracker_csv import TrackerCsvReader

READERS: dict[str, type[Reader]] = {
    reader.format_name: reader for reader in (TelegramJsonReader, TelegramHtmlReader, TmeHtmlReader,
                                              TelethonJsonlReader, CsvReader, TrackerCsvReader, TelegramTextReader)
}
FORMATS = ["auto", *READERS]
# The order readers are asked in: the more particular a format's mark, the earlier.
_DETECTION_ORDER = (TelethonJsonlReader, TelegramJsonReader, TelegramHtmlReader, TmeHtmlReader, TrackerCsvReader,
                    CsvReader, TelegramTextReader)
_KINDS = {"json-array": "a JSON array", "json-object": "a JSON object", "html": "HTML", "xml": "XML", "text": "text"}


def detect_format(path: Path, *, columns: dict[str, str] | None = None) -> str:
    """The format of ``path`` from its first bytes."""
    head = sniff(path)
    options = ReaderOptions(columns=dict(columns or {}))
    for reader in _DETECTION_ORDER:
        if reader.recognises(head, options):
            return reader.format_name
    tried = ", ".join(reader.format_name for reader in _DETECTION_ORDER)
    raise InputError(f"{path}: {_KINDS.get(head.kind, 'a file')} in none of the supported formats (tried {tried})")


def reader_for(format_name: str, options: ReaderOptions) -> Reader:
    if format_name not in READERS:
        raise UsageError(f"unknown format {format_name!r}; choose one of {', '.join(FORMATS)}")
    return READERS[format_name](options)


def expand_inputs(paths: list[Path]) -> list[Path]:
    """The input files the user means: an export folder stands for its files (the pages of an HTML
    export in page order, or its result.json), and the pages of one HTML export given one by one are
    put in page order (a shell's messages*.html lists messages10.html before messages2.html).

    >>> [p.name for p in expand_inputs([Path("e/messages2.html"), Path("e/messages10.html"), Path("e/messages.html")])]
    ['messages.html', 'messages2.html', 'messages10.html']
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = pages(path) or [p for p in (path / "result.json",) if p.is_file()]
            if not found:
                raise InputError(f"{path}: is a directory, and not a Telegram export folder (no messages.html or "
                                 f"result.json in it); give the input files")
            files += found
        else:
            files.append(path)
    return _in_page_order(files)


def _in_page_order(files: list[Path]) -> list[Path]:
    """Pages of the same folder sorted by page number, in the place of the first of them."""
    groups: dict[Path, list[Path]] = {}
    for path in files:
        if page_number(path) is not None:
            groups.setdefault(path.parent, []).append(path)
    result: list[Path] = []
    for path in files:
        if page_number(path) is None:
            result.append(path)
        elif groups.get(path.parent):
            result += sorted(groups.pop(path.parent), key=lambda page: page_number(page) or 0)
    return result
