"""Readers, one module per input format, and the choice of reader for a file.

``--format auto`` looks at the file's first bytes; a format that is recognised but has no reader
yet, or an unknown one, is a one-line InputError naming the file.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError, UsageError
from .base import Reader
from .telegram_text import TelegramTextReader
from .textfile import binary_kind, check_file, read_head

READERS: dict[str, type[Reader]] = {
    TelegramTextReader.format_name: TelegramTextReader,
}
FORMATS = ["auto", *READERS]


def detect_format(path: Path) -> str:
    """The format of ``path`` from its first bytes."""
    check_file(path)
    head = read_head(path)
    kind = binary_kind(head)
    if kind:
        raise InputError(f"{path}: {kind}, not a supported input")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith((b"{", b"[")):
        raise InputError(f"{path}: JSON input (a Telegram Desktop export?) has no reader in this version")
    if text[:15].lower().startswith((b"<!doctype html", b"<html")):
        raise InputError(f"{path}: HTML input (a saved page or HTML export) is not supported; export as text or JSON")
    return TelegramTextReader.format_name


def reader_for(format_name: str, *, channel: str | None) -> Reader:
    if format_name not in READERS:
        raise UsageError(f"unknown format {format_name!r}; choose one of {', '.join(FORMATS)}")
    return READERS[format_name](channel=channel)
