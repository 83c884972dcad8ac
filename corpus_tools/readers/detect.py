"""Sniffing a file's format from its first bytes: done once, here, for detection and for the readers
that refuse what is plainly another format.

``sniff`` reads the head of a file and refuses binary files by name; ``content_kind`` says what the
text looks like (a JSON object, a JSON array, HTML, XML or other text). Each reader then says
whether it recognises the head (``Reader.recognises``), and ``readers.detect_format`` asks them in turn.

>>> content_kind(b'\\xef\\xbb\\xbf  {"name": "x"}'), content_kind(b"<!DOCTYPE html><html>"), content_kind(b"Hello")
('json-object', 'html', 'text')
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..errors import InputError
from .textfile import CleanJson, binary_kind, check_file, read_head

_BLANK = b"\xef\xbb\xbf \t\r\n"  # a UTF-8 byte order mark and white space, before the content starts


def content_kind(data: bytes) -> str:
    """'json-object', 'json-array', 'html', 'xml' or 'text', from the first bytes of a text file."""
    start = data.lstrip(_BLANK)
    if start.startswith(b"{"):
        return "json-object"
    if start.startswith(b"["):
        return "json-array"
    lowered = start[:15].lower()
    if lowered.startswith((b"<!doctype html", b"<html")):
        return "html"
    if lowered.startswith(b"<?xml"):
        return "xml"
    return "text"


@dataclass(frozen=True)
class Head:
    """The first bytes of an input (``data``, from its first non-blank byte on), sniffed once."""

    data: bytes

    @cached_property
    def kind(self) -> str:
        return content_kind(self.data)

    @cached_property
    def first_line(self) -> bytes:
        return self.data.split(b"\n", 1)[0]

    def json_first_line(self) -> object:
        """The first line parsed as JSON, or None when it is not a whole JSON value."""
        try:
            return json.loads(self.first_line)
        except (ValueError, RecursionError):  # a line cut off by the head, or nested absurdly deep
            return None

    def first_array_item(self) -> object:
        """The first item of a JSON array, when the head holds it whole; else None (also for JSON
        nested absurdly deep, which ``CleanJson`` refuses before the parser sees it)."""
        import ijson

        try:
            return next(ijson.items(io.BufferedReader(CleanJson(io.BytesIO(self.data))), "item"), None)
        except (ijson.JSONError, ValueError, RecursionError):
            return None

    def csv_header(self) -> list[str]:
        """The first line read as a CSV header ([] when it is not one)."""
        try:
            return next(csv.reader(io.StringIO(self.first_line.decode("utf-8", "replace"))))
        except (StopIteration, csv.Error):
            return []


def sniff(path: Path) -> Head:
    """The head of ``path``; InputError for a file that is unusable or binary (named when known)."""
    check_file(path)
    data = read_head(path)
    kind = binary_kind(data)
    if kind:
        raise InputError(f"{path}: {kind}, not a supported input")
    return Head(data.lstrip(_BLANK))
