"""Readers, one module per input format, and the choice of reader for a file.

``--format auto`` looks at the file's first bytes: a first line that is a whole Telethon message is
a JSON-lines dump, another JSON object a Telegram Desktop export, a header row naming the CSV
mapping's columns is a scraper CSV, other text a web-preview dump. Binary and HTML files are
refused by name.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from ..errors import InputError, UsageError
from .base import Reader, ReaderOptions
from .csv_export import CsvReader, column_mapping
from .telegram_json import TelegramJsonReader
from .telegram_text import TelegramTextReader
from .telethon_jsonl import TelethonJsonlReader
from .textfile import binary_kind, check_file, read_head

READERS: dict[str, type[Reader]] = {
    reader.format_name: reader for reader in (TelegramJsonReader, TelethonJsonlReader, CsvReader, TelegramTextReader)
}
FORMATS = ["auto", *READERS]


def detect_format(path: Path, *, columns: dict[str, str] | None = None) -> str:
    """The format of ``path`` from its first bytes."""
    check_file(path)
    head = read_head(path)
    kind = binary_kind(head)
    if kind:
        raise InputError(f"{path}: {kind}, not a supported input")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    first_line = text.split(b"\n", 1)[0]
    if text.startswith(b"{") and _is_message_line(first_line):
        return TelethonJsonlReader.format_name
    if text.startswith(b"{"):
        return TelegramJsonReader.format_name
    if text.startswith(b"["):
        raise InputError(f"{path}: a JSON array; expected a Telegram Desktop export (an object) or JSON lines")
    if text[:15].lower().startswith((b"<!doctype html", b"<html")):
        raise InputError(f"{path}: HTML input (a saved page or HTML export) is not supported; export as JSON")
    if _is_csv_header(first_line, columns or {}):
        return CsvReader.format_name
    return TelegramTextReader.format_name


def _is_message_line(line: bytes) -> bool:
    """A whole Telethon message on one line (a Desktop export's first line is just '{')."""
    try:
        record = json.loads(line)
    except ValueError:
        return False
    return isinstance(record, dict) and (str(record.get("_", "")).startswith("Message") or "peer_id" in record)


def _is_csv_header(line: bytes, columns: dict[str, str]) -> bool:
    try:
        header = next(csv.reader(io.StringIO(line.decode("utf-8", "replace"))))
    except (StopIteration, csv.Error):
        return False
    mapping = column_mapping(columns)
    return len(header) > 1 and all(mapping[field] in header for field in ("message_id", "text"))


def reader_for(format_name: str, options: ReaderOptions) -> Reader:
    if format_name not in READERS:
        raise UsageError(f"unknown format {format_name!r}; choose one of {', '.join(FORMATS)}")
    return READERS[format_name](options)
