"""Reader for scraper CSV exports (format ``csv``), through a column mapping.

The default mapping is 4CAT's Telegram export (columns id, thread_id, chat, author, author_name,
body, reply_to, views, timestamp, unix_timestamp, author_forwarded_from_name, ...). Any other
scraper's CSV converts by overriding the mapping, field by field: ``--column text=message``.
Rows are read one at a time. A row that cannot become a post (no id, unreadable date, a count
that is not a number, the wrong number of fields) is a reject.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

from ..core.records import Post, Reject
from ..errors import InputError, UsageError
from .base import BadRecord, ReaderOptions, RecordReader, Shard
from .detect import Head
from .mapping import media_type, message_number, set_reply
from .textfile import MAX_REPLACED_SHARE, check_file, replace_surrogates
from .timestamps import BadTimestamp, from_instant, set_edited, set_published

# field -> column in 4CAT's Telegram CSV. An empty column name means "not in this export".
FOURCAT_COLUMNS = {
    "message_id": "id", "channel": "chat", "channel_id": "", "text": "body", "published_at": "unix_timestamp",
    "published_local": "timestamp", "edited_at": "unix_timestamp_edited", "author": "author_name",
    "author_id": "author", "forwarded_from": "author_forwarded_from_name",
    "forwarded_from_id": "author_forwarded_from_id", "reply_to_message_id": "reply_to", "views": "views",
    "forwards": "forwards", "reactions": "reactions", "media_type": "attachment_type",
}
REQUIRED_FIELDS = ("message_id", "text")


def column_mapping(overrides: dict[str, str], preset: dict[str, str] = FOURCAT_COLUMNS) -> dict[str, str]:
    """A preset mapping (4CAT's by default) with the user's overrides; an unknown field is a UsageError."""
    unknown = sorted(set(overrides) - set(preset))
    if unknown:
        raise UsageError(f"{{columns}}: unknown field {unknown[0]!r}; fields are {', '.join(preset)}",
                         options=["columns"])
    return {**preset, **overrides}


class CsvReader(RecordReader):
    """Posts from a scraper's CSV export."""

    format_name = "csv"
    preset: dict[str, str] = FOURCAT_COLUMNS  # the column mapping before the user's overrides

    @classmethod
    def recognises(cls, head: Head, options: ReaderOptions) -> bool:
        """A header row naming the mapping's id and text columns."""
        header, mapping = head.csv_header(), column_mapping(options.columns, cls.preset)
        return len(header) > 1 and all(mapping[field] in header for field in REQUIRED_FIELDS)

    def __init__(self, options: ReaderOptions | None = None) -> None:
        super().__init__(options)
        self.columns = column_mapping(self.options.columns, self.preset)
        self.header: set[str] = set()

    def read(self, path: Path, source_file: str, shard: Shard | None = None) -> Iterator[Post | Reject]:
        check_file(path)
        csv.field_size_limit(sys.maxsize)  # post bodies can be long
        self._usage(source_file)
        replaced, rows_replaced = 0, 0
        # Bytes that are not UTF-8 are read as lone surrogates, then replaced by U+FFFD row by row.
        with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
            rows = csv.reader(handle)
            try:
                header = next(rows)
                self._check_header(path, header)
                self.header = set(header)
                for row in rows:
                    row, count = _replaced(row)
                    replaced, rows_replaced = replaced + count, rows_replaced + (count > 0)
                    result = self._tally(source_file, self._row(header, row, source_file, rows.line_num))
                    if result is not None:
                        yield result
            except csv.Error as error:
                raise InputError(f"{path}:{rows.line_num}: malformed CSV ({error})") from None
        if rows_replaced > max(10, MAX_REPLACED_SHARE * rows.line_num):
            raise InputError(f"{path}: not UTF-8 ({rows_replaced} of {rows.line_num} rows hold bytes that are not)")
        self.stats[source_file]["replaced_characters"] = replaced
        self._finish(source_file)

    def _check_header(self, path: Path, header: list[str]) -> None:
        for name in REQUIRED_FIELDS:
            column = self.columns[name]
            if column not in header:
                raise InputError(f"{path}: CSV header has no column {column!r} for {name}; "
                                 f"map one with {{columns}} {name}=COLUMN", options=["columns"])

    def _row(self, header: list[str], row: list[str], source_file: str, line: int) -> Post | Reject:
        raw = ",".join(row)
        if len(row) != len(header):
            return Reject(source_file, f"line {line}", f"row has {len(row)} fields, the header {len(header)}", raw)
        values = dict(zip(header, row))
        try:
            return self._post(values, source_file)
        except (BadRecord, BadTimestamp) as problem:
            return Reject(source_file, f"line {line}", str(problem), raw)

    def _value(self, values: dict[str, str], name: str) -> str | None:
        value = values.get(self.columns[name]) if self.columns[name] else None
        return value if value not in (None, "") else None

    def _post(self, values: dict[str, str], source_file: str) -> Post:
        get = partial(self._value, values)
        channel = self.channel or get("channel") or "unknown"
        message_id = message_number((get("message_id") or "").removeprefix(f"{get('channel')}-"))  # 4CAT: CHAT-ID
        media = media_type(get("media_type"))
        post = Post(channel=channel, channel_id=_channel_id(get("channel_id")), message_id=message_id,
                    text=values.get(self.columns["text"], ""), source_file=source_file, author=get("author"), author_id=get("author_id"),
                    forwarded_from=get("forwarded_from") or get("forwarded_from_id"),
                    forwarded_from_id=get("forwarded_from_id"),
                    views=_number(get("views"), "views"), forwards=_number(get("forwards"), "forwards"),
                    reactions=repeated_reactions(get("reactions") or ""), media_type=media, has_media=media is not None)
        set_reply(post, get("reply_to_message_id"))
        self._set_dates(post, get)
        return post

    def _set_dates(self, post: Post, get: Any) -> None:
        instant = get("published_at")
        set_published(post, instant=None if instant is None else from_instant(instant), local=get("published_local"),
                      zone=self.options.tz)
        if self.columns["edited_at"] in self.header:  # a column that says when a post was edited, if it was
            edited = get("edited_at")
            set_edited(post, instant=None if edited is None else from_instant(edited), local=None, zone=None)


def _channel_id(value: str | None) -> str | None:
    """A channel id column's value as the tables write ids ('1746611944.0' -> '1746611944')."""
    return None if value is None else message_number(value)


def _replaced(row: list[str]) -> tuple[list[str], int]:
    """The row with undecodable bytes (lone surrogates) replaced by U+FFFD, and how many were."""
    if not replace_surrogates("".join(row))[1]:
        return row, 0
    fixed = [replace_surrogates(cell) for cell in row]
    return [cell for cell, _ in fixed], sum(count for _, count in fixed)


def _number(value: str | None, name: str) -> int | None:
    if value is None:
        return None
    try:
        number = int(float(value))
    except ValueError:
        raise BadRecord(f"{name} {value!r} is not a number") from None
    if number < 0:
        raise BadRecord(f"{name} {value!r} is negative")
    return number


def repeated_reactions(text: str) -> list[tuple[str, int]]:
    """4CAT writes reactions as each emoji repeated once per reaction: '👍👍❤️' -> counts.

    >>> repeated_reactions("👍👍👍❤️👍")
    [('👍', 4), ('❤️', 1)]
    """
    counts: dict[str, int] = {}
    for cluster in _emoji_clusters(text.replace(",", "").replace(" ", "")):
        counts[cluster] = counts.get(cluster, 0) + 1
    return list(counts.items())


def _emoji_clusters(text: str) -> Iterator[str]:
    """Split a run of emoji into clusters: a base and the joiners, selectors and modifiers after it."""
    cluster = ""
    for char in text:
        code = ord(char)
        joins = code in (0x200D, 0xFE0F, 0xFE0E, 0x20E3) or 0x1F3FB <= code <= 0x1F3FF or cluster.endswith("\u200d")
        if cluster and not joins:
            yield cluster
            cluster = ""
        cluster += char
    if cluster:
        yield cluster
