"""Cutting a large input into parts that can be read independently, at record boundaries.

Two layouts allow it without parsing the whole file first:

- JSON lines: any newline ends a record;
- a Telegram Desktop single-chat export as Telegram writes it, indented: every message of the
  ``messages`` array opens with a newline and the same indentation. A raw newline never occurs inside
  a JSON string (JSON escapes it), so that newline-and-indentation marks a message boundary wherever it
  appears. A compact export on one line, or one with data after its messages, is not cut.

A part is read through ``ByteRange``, which shows the bytes of one part (for JSON, wrapped in ``[``
and ``]`` to make an array of its messages) as a file.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from ..core.progress import count
from .base import Shard

_HEAD_BYTES = 1 << 16
_TAIL_BYTES = 1 << 12
_SCAN_BYTES = 1 << 20
# The top-level "messages" array of a single-chat export and the indentation of its first element.
_MESSAGES = re.compile(rb'\n[ \t]*"messages"[ \t]*:[ \t]*\[[ \t]*\r?\n(?P<indent>[ \t]+)\{')
_END = re.compile(rb"\}\s*\]\s*\}\s*$")


class ByteRange(io.RawIOBase):
    """Bytes ``start`` to ``end`` of a file, between ``prefix`` and ``suffix``, as a readable file."""

    def __init__(self, path: Path, start: int, end: int, *, prefix: bytes = b"", suffix: bytes = b"") -> None:
        super().__init__()
        self._file = path.open("rb")
        self._file.seek(start)
        self._left = end - start
        self._prefix, self._suffix = prefix, suffix

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        if self._prefix:
            data, self._prefix = self._prefix[:len(buffer)], self._prefix[len(buffer):]
        elif self._left > 0:
            data = self._file.read(min(len(buffer), self._left))
            self._left = self._left - len(data) if data else 0
            count(len(data))  # convert's bar, in the parent, follows the bytes its workers read
        else:
            data, self._suffix = self._suffix[:len(buffer)], self._suffix[len(buffer):]
        buffer[:len(data)] = data
        return len(data)

    def close(self) -> None:
        self._file.close()
        super().close()


def _find(path: Path, needle: bytes, start: int) -> int:
    """The offset of the first ``needle`` at or after ``start``, or -1."""
    with path.open("rb") as handle:
        handle.seek(start)
        carried = b""
        while block := handle.read(_SCAN_BYTES):
            window = carried + block
            found = window.find(needle)
            if found >= 0:
                return start - len(carried) + found
            carried = window[-(len(needle) - 1):]
            start += len(block)
    return -1


def contains(path: Path, needle: bytes) -> bool:
    """Does the file hold ``needle`` anywhere (a scan at the speed of reading it)?"""
    return _find(path, needle, 0) >= 0


def line_shards(path: Path, count: int) -> list[Shard]:
    """Cut a file of lines into ``count`` parts of about equal size, each starting a line."""
    size = path.stat().st_size
    starts = [0]
    for k in range(1, count):
        newline = _find(path, b"\n", max(size * k // count, starts[-1]))
        if newline < 0 or newline + 1 >= size:
            break
        starts.append(newline + 1)
    lines, shards = 1, []
    with path.open("rb") as handle:
        for begin, end in zip(starts, starts[1:] + [size]):
            shards.append(Shard(begin, end, first_line=lines))
            handle.seek(begin)
            lines += _count(handle, end - begin, b"\n")
    return shards


def _count(handle, length: int, needle: bytes) -> int:
    found = 0
    while length > 0 and (block := handle.read(min(_SCAN_BYTES, length))):
        found += block.count(needle)
        length -= len(block)
    return found


def message_shards(path: Path, count: int) -> list[Shard] | None:
    """Cut the messages of an indented single-chat export into ``count`` parts, each a run of whole
    messages; None when the layout is not the one described above."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        opening = _MESSAGES.search(handle.read(_HEAD_BYTES))
        handle.seek(max(0, size - _TAIL_BYTES))
        tail_start = handle.tell()
        tail = handle.read()
    if opening is None or not _END.search(tail):
        return None
    indent = opening.group("indent")
    closing = tail.rfind(b"\n" + indent + b"}")
    if closing < 0:
        return None
    last = tail_start + closing + len(indent) + 2  # just after the last message's closing brace
    starts = [opening.end() - 1]  # the first message's '{'
    for k in range(1, count):
        boundary = _find(path, b"\n" + indent + b"{", max(size * k // count, starts[-1] + 1))
        if boundary < 0 or boundary >= last:
            break
        starts.append(boundary + 1 + len(indent))
    ends = [_comma_before(path, start) for start in starts[1:]] + [last]
    shards, before = [], 0
    with path.open("rb") as handle:
        for begin, end in zip(starts, ends):
            shards.append(Shard(begin, end, first_record=before))
            handle.seek(begin)  # the part's first message, then every other one that starts in it
            before += 1 + _count(handle, end - begin, b"\n" + indent + b"{")
    return shards


def _comma_before(path: Path, start: int) -> int:
    """The offset of the comma that separates the message starting at ``start`` from the one before."""
    with path.open("rb") as handle:
        handle.seek(max(0, start - 256))
        window = handle.read(start - handle.tell())
    return start - len(window) + window.rindex(b",")
