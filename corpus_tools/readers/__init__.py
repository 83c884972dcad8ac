"""Readers, one module per input format, and the choice of reader for a file.

``--format auto`` sniffs the file's first bytes once (``detect.sniff``) and asks each reader in turn
whether it recognises them: a first line that is a whole Telethon message is a JSON-lines dump,
another JSON object a Telegram Desktop export, a header row naming the CSV mapping's columns a
scraper CSV, other text a web-preview dump. Binary files are refused by name, and so is a file of
no format here (a JSON array, HTML, XML).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError, UsageError
from .base import Reader, ReaderOptions
from .csv_export import CsvReader
from .detect import sniff
from .telegram_json import TelegramJsonReader
from .telegram_text import TelegramTextReader
from .telethon_jsonl import TelethonJsonlReader

READERS: dict[str, type[Reader]] = {
    reader.format_name: reader for reader in (TelegramJsonReader, TelethonJsonlReader, CsvReader, TelegramTextReader)
}
FORMATS = ["auto", *READERS]
# The order readers are asked in: the more particular a format's mark, the earlier.
_DETECTION_ORDER = (TelethonJsonlReader, TelegramJsonReader, CsvReader, TelegramTextReader)
_UNSUPPORTED = {
    "json-array": "a JSON array; expected a Telegram Desktop export (an object) or JSON lines",
    "html": "HTML input (a saved page or HTML export) is not supported; export as JSON",
    "xml": "XML, not a supported input",
}


def detect_format(path: Path, *, columns: dict[str, str] | None = None) -> str:
    """The format of ``path`` from its first bytes."""
    head = sniff(path)
    options = ReaderOptions(columns=dict(columns or {}))
    for reader in _DETECTION_ORDER:
        if reader.recognises(head, options):
            return reader.format_name
    raise InputError(f"{path}: {_UNSUPPORTED.get(head.kind, 'not a supported input')}")


def reader_for(format_name: str, options: ReaderOptions) -> Reader:
    if format_name not in READERS:
        raise UsageError(f"unknown format {format_name!r}; choose one of {', '.join(FORMATS)}")
    return READERS[format_name](options)
