"""Reader for Telethon message dumps (format ``telethon-jsonl``): one ``Message.to_dict()`` per line
(JSON lines), or one JSON array of them, as the common ``json.dump(all_messages, cls=DateTimeEncoder)``
scraper writes. Message by message conversion is in ``telethon_message``.

Both are streamed: lines are read one at a time, and an array's items are built one at a time by
ijson (through ``textfile.CleanJson``), so memory does not grow with the file. A line or item that is
not a message object, or lacks what a post needs, is a reject; a file in which no line is a message
is an InputError, and so is an array that is not JSON from its start. An array that breaks off after
some messages (a truncated copy) keeps them and records the break as a reject.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..core.records import Post, Reject
from ..errors import InputError
from .base import BadRecord, ReaderOptions, RecordReader, Shard
from .detect import Head, content_kind
from .shards import ByteRange, contains, line_shards
from .jsonstream import stream_records
from .telethon_message import convert_record
from .textfile import check_file, read_head, replace_lone_surrogates
from .timestamps import BadTimestamp
from .topics import Topics


def no_objects(path: Path) -> str:
    return f"{path}: no line is a JSON object, so not a Telethon JSON-lines dump"


def _is_message(record: Any) -> bool:
    return isinstance(record, dict) and (str(record.get("_", "")).startswith("Message") or "peer_id" in record)


class TelethonJsonlReader(RecordReader):
    """Posts from a JSON-lines dump or a JSON array of Telethon messages."""

    format_name = "telethon-jsonl"

    def __init__(self, options: ReaderOptions | None = None) -> None:
        super().__init__(options)
        self.topics = Topics()

    @classmethod
    def recognises(cls, head: Head, options: ReaderOptions) -> bool:
        """A whole Telethon message on the first line (a Desktop export's first line is just '{'), or
        a JSON array whose first item is one."""
        if head.kind == "json-array":
            return _is_message(head.first_array_item())
        return _is_message(head.json_first_line())

    def read(self, path: Path, source_file: str, shard: Shard | None = None) -> Iterator[Post | Reject]:
        check_file(path)
        self._usage(source_file)
        if shard is None and content_kind(read_head(path, 4096)) == "json-array":
            yield from self._read_array(path, source_file)
            self._finish(source_file)
            return
        parsed = 0
        with path.open("rb") if shard is None else ByteRange(path, shard.start, shard.end) as raw_handle:
            handle = raw_handle if shard is None else io.BufferedReader(raw_handle)
            for number, raw in enumerate(handle, start=shard.first_line if shard else 1):
                if not raw.strip():
                    continue
                result, ok = self._line(raw, source_file, number)
                parsed += ok
                result = self._tally(source_file, result)
                if result is not None:
                    yield result
        if shard is not None:
            self.stats[source_file]["objects"] = parsed  # whether any part held one is decided on merging
        elif parsed == 0:
            raise InputError(no_objects(path))
        self._finish(source_file)

    def shards(self, path: Path, count: int) -> list[Shard] | None:
        """Lines are records: cut anywhere at a line end. Not an array, and not a forum's dump (a
        topic's title comes from its creation message, which another part may hold)."""
        if content_kind(read_head(path, 4096)) == "json-array" or contains(path, b"MessageActionTopicCreate"):
            return None
        return line_shards(path, count)

    def _read_array(self, path: Path, source_file: str) -> Iterator[Post | Reject]:
        """The items of a JSON array, built one at a time (see ``jsonstream.stream_records``)."""
        import ijson

        def convert(cleaned, skip: int) -> Iterator[Post | Reject | None]:
            items = ijson.items(io.BufferedReader(cleaned, 1 << 16), "item", use_float=True)
            for index, record in enumerate(items):
                if index >= skip:
                    yield self._tally(source_file, self._record(record, source_file, f"item {index}"))

        results = stream_records(path, convert, source_file=source_file, stats=self.stats[source_file],
                                 tally=lambda reject: self._tally(source_file, reject))
        yield from (result for result in results if result is not None)

    def _record(self, record: Any, source_file: str, location: str) -> Post | Reject | str:
        if not isinstance(record, dict):
            return Reject(source_file, location, f"item is a JSON {type(record).__name__}, not an object",
                          json.dumps(record, ensure_ascii=False, default=str))
        try:
            return convert_record(record, channel=self.channel, source_file=source_file, topics=self.topics)
        except (BadRecord, BadTimestamp) as problem:
            return Reject(source_file, location, str(problem), json.dumps(record, ensure_ascii=False, default=str))

    def _line(self, raw: bytes, source_file: str, number: int) -> tuple[Post | Reject | str, bool]:
        location = f"line {number}"
        raw, replaced = replace_lone_surrogates(raw)
        if replaced:
            self.stats[source_file]["replaced_characters"] = self.stats[source_file].get("replaced_characters", 0) + replaced
        try:
            text = raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError as error:
            return Reject(source_file, location, f"invalid UTF-8 (byte {error.start + 1} of the line)",
                          raw.decode("utf-8", "replace").rstrip("\r\n")), False
        try:
            record = json.loads(text)
        except json.JSONDecodeError as error:
            return Reject(source_file, location, f"malformed JSON line ({error.msg} at column {error.colno})", text), False
        except RecursionError:
            return Reject(source_file, location, "JSON nested too deeply to be a message", text[:1000]), False
        if not isinstance(record, dict):
            return Reject(source_file, location, f"line is a JSON {type(record).__name__}, not an object", text), False
        try:
            return convert_record(record, channel=self.channel, source_file=source_file, topics=self.topics), True
        except (BadRecord, BadTimestamp) as problem:
            return Reject(source_file, location, str(problem), text), True
