"""What every reader is: a class with one ``read`` method that yields posts and rejects for one file.

The converter loops over inputs and hands each file to its reader; a reader only knows its format.
Facts about an input that belong in the convert manifest (how its lines or records were used) go
into ``self.stats[source_file]``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from ..core.records import Post, Reject
from .detect import Head


@dataclass(frozen=True)
class ReaderOptions:
    """What the user tells readers that the input does not say.

    ``channel`` names the channel of sources that don't (or overrides a single chat's title);
    ``tz`` is the zone of local times that come without an offset; ``columns`` overrides the CSV
    reader's column mapping (field -> column name); ``include_chats`` lists the personal chats of a
    full-account export to read, which are left out otherwise (they are one person's).
    """

    channel: str | None = None
    tz: ZoneInfo | None = None
    columns: dict[str, str] = field(default_factory=dict)
    include_chats: tuple[str, ...] = ()  # personal chats of a full-account export to read (names or ids)


@dataclass(frozen=True)
class Shard:
    """A part of an input that can be read on its own: the bytes ``start`` to ``end`` hold whole
    records, the first on line ``first_line`` of the file and the ``first_record``-th record (from 0).
    Readers that can cut their input so (``Reader.shards``) let convert read one file on every core."""

    start: int
    end: int
    first_line: int = 1
    first_record: int = 0


class Reader:
    """Base class: subclasses set ``format_name`` and implement ``read`` (and ``shards`` when
    their input can be cut into parts read independently)."""

    format_name: ClassVar[str] = ""

    def __init__(self, options: ReaderOptions | None = None) -> None:
        self.options = options or ReaderOptions()
        self.stats: dict[str, dict[str, Any]] = {}

    @property
    def channel(self) -> str | None:
        return self.options.channel

    @classmethod
    def recognises(cls, head: Head, options: ReaderOptions) -> bool:
        """Is a file with this head in this reader's format? (``--format auto`` asks each reader.)"""
        return False

    def read(self, path: Path, source_file: str, shard: Shard | None = None) -> Iterator[Post | Reject]:
        """Yield the posts of ``path`` (or of its ``shard``) in source order, and a Reject for each
        unusable record."""
        raise NotImplementedError

    def shards(self, path: Path, count: int) -> list[Shard] | None:
        """Cut ``path`` into about ``count`` parts at record boundaries, or None when it cannot be."""
        return None


SERVICE = "service"
EXCLUDED = "excluded"  # a record left out on purpose: a personal chat of a full-account export
RECORD_KINDS = ("post", SERVICE, "rejected", EXCLUDED)
REPEATED = "repeated"  # a record the input holds again (a post in two overlapping saved pages)


def record_usage(usage: Mapping[str, int]) -> dict[str, int]:
    """The manifest's count of each kind of record, in a fixed order (``repeated`` only when met)."""
    kinds = RECORD_KINDS + ((REPEATED,) if usage.get(REPEATED) else ())
    return {kind: usage.get(kind, 0) for kind in kinds}


class BadRecord(ValueError):
    """A record that cannot become a post; its message is the reject reason."""


class RecordReader(Reader):
    """A reader of record-shaped sources (JSON messages, JSON lines, CSV rows).

    Subclasses yield ``(record_result, ...)`` through ``_tally``, which counts every record as a post,
    a service message (not a post: channel created, message pinned), a repeat of a record given
    before, or a reject, so the manifest accounts for every record.
    """

    def _usage(self, source_file: str) -> Counter:
        entry = self.stats.setdefault(source_file, {"records": 0, "record_usage": Counter()})
        return entry["record_usage"]

    def _tally(self, source_file: str, result: Post | Reject | str) -> Post | Reject | None:
        """Count one record's outcome; return it unless it is a service message or a repeat."""
        usage = self._usage(source_file)
        kind = "post" if isinstance(result, Post) else "rejected" if isinstance(result, Reject) else result
        usage[kind] += 1
        self.stats[source_file]["records"] += 1
        return result if isinstance(result, (Post, Reject)) else None

    def _finish(self, source_file: str) -> None:
        usage = self._usage(source_file)
        self.stats[source_file]["record_usage"] = record_usage(usage)
        self.stats[source_file].setdefault("replaced_characters", 0)  # not UTF-8, replaced by U+FFFD
