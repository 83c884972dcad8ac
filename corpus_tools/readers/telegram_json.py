"""Reader for Telegram Desktop's "Export chat history" JSON (format ``telegram-json``).

Two shapes: a single-chat export ``{name, type, id, messages: [...]}`` and a full-account export
``{..., chats: {list: [chat, ...]}, left_chats: {list: [...]}}`` in which each chat is its own
channel. The file is streamed with ijson, one message at a time, so a multi-gigabyte export
converts in bounded memory. Message by message conversion is in ``telegram_desktop``.

A file that is not JSON at all, or JSON of another shape, is an InputError. If the JSON breaks
off after messages were read (a truncated copy), those messages are kept and the break is a
reject, so nothing read is lost.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from ..core.records import Post, Reject
from ..errors import InputError
from .base import EXCLUDED, ReaderOptions, RecordReader, Shard
from .detect import Head, content_kind
from .jsonstream import stream_records
from .shards import ByteRange, contains, message_shards
from .telegram_desktop import Chat, convert_message
from .textfile import CleanJson, NestedTooDeeply, check_file, read_head
from .topics import Topics

_CHAT_LISTS = ("chats.list.item", "left_chats.list.item")


class TelegramJsonReader(RecordReader):
    """Posts from a Telegram Desktop result.json, single chat or full account."""

    format_name = "telegram-json"

    def __init__(self, options: ReaderOptions | None = None) -> None:
        super().__init__(options)
        self.topics = Topics()

    @classmethod
    def recognises(cls, head: Head, options: ReaderOptions) -> bool:
        return head.kind == "json-object"

    def read(self, path: Path, source_file: str, shard: Shard | None = None) -> Iterator[Post | Reject]:
        check_file(path)
        if content_kind(read_head(path, 4096)) != "json-object":
            raise InputError(f"{path}: not a JSON object, so not a Telegram Desktop export")
        self._usage(source_file)
        full = False  # the archive never holds a full-account export: it is the exporter's whole account
        if shard is None:  # (a part is of a single-chat export: a full account is never cut)
            full = _full_account(path)
        self.stats[source_file]["export"] = "full-account" if full else "single-chat"
        part = None if shard is None else (lambda: ByteRange(path, shard.start, shard.end, prefix=b"[", suffix=b"]"))
        results = stream_records(path, lambda cleaned, skip: self._convert(cleaned, path, source_file, shard, skip=skip),
                                 source_file=source_file, stats=self.stats[source_file],
                                 tally=lambda reject: self._tally(source_file, reject), part=part,
                                 whole=shard is None)
        yield from (result for result in results if result is not None)
        self._finish(source_file)

    def _convert(self, cleaned: CleanJson, path: Path, source_file: str, shard: Shard | None, *,
                 skip: int) -> Iterator[Post | Reject | None]:
        """Every message's outcome (None for a service message), after the first ``skip`` (already
        given before a restart)."""
        handle = io.BufferedReader(cleaned, 1 << 16)
        items = _messages(handle, path) if shard is None else _shard_messages(handle, path)
        first = shard.first_record if shard else 0
        for index, (chat, message) in enumerate(items, start=first):
            if index - first < skip:
                continue
            if not chat.single and chat.type in PERSONAL_CHATS and not self._listed(chat):
                yield self._tally(source_file, EXCLUDED)  # a personal chat of a full-account export
                continue
            yield self._tally(source_file, convert_message(
                message, chat=chat, options=self.options, source_file=source_file, index=index,
                topics=self.topics))

    def _listed(self, chat: Chat) -> bool:
        """Is a personal chat one the user asked for (``include_chats``: by name or id)?"""
        wanted = set(self.options.include_chats)
        return chat.name in wanted or chat.id.removeprefix("user") in wanted

    def shards(self, path: Path, count: int) -> list[Shard] | None:
        """An indented single-chat export cut between messages (see ``shards``); not a full account,
        and not a forum's export (a message's topic is known from the topic's creation message, which
        another part may hold)."""
        if contains(path, b'"topic_created"'):
            return None
        return message_shards(path, count)


def _messages(handle: BinaryIO, path: Path) -> Iterator[tuple[Chat, Any]]:
    """(chat, message) for every message in the export, in file order."""
    import ijson

    shape = _shape(handle, path)
    handle.seek(0)
    if shape is not None:  # single chat: ijson builds each message in C, the fast path
        for message in ijson.items(handle, "messages.item", use_float=True):
            yield shape, message
        return
    yield from _account_messages(handle)


def _shard_messages(part: BinaryIO, path: Path) -> Iterator[tuple[Chat, Any]]:
    """(chat, message) for the messages of one part of a single-chat export (``part``: its
    messages as a JSON array)."""
    import ijson

    with path.open("rb") as whole:
        chat = _shape(whole, path)
    if chat is None:
        raise InputError(f"{path}: a full-account export cannot be read in parts")
    for message in ijson.items(part, "item", use_float=True):
        yield chat, message


def _shape(handle: BinaryIO, path: Path) -> Chat | None:
    """The chat of a single-chat export (its name, id, type precede ``messages``), or None for a
    full-account export; InputError for JSON of another shape."""
    import ijson

    found: dict[str, Any] = {}
    for prefix, event, value in ijson.parse(handle, use_float=True):
        if prefix in ("name", "id", "type") and event in ("string", "number"):
            found[prefix] = value
        elif prefix == "messages" and event == "start_array":
            return _chat(found)
        elif prefix == "chats" and event == "start_map":
            return None
    raise InputError(f"{path}: JSON, but not a Telegram Desktop export (no 'messages' or 'chats')")


def _account_messages(handle: BinaryIO) -> Iterator[tuple[Chat, Any]]:
    """Messages of a full-account export, chat by chat, building one message at a time."""
    import ijson

    fields: dict[str, Any] = {}
    builder, message_prefix = None, ""
    for prefix, event, value in ijson.parse(handle, use_float=True):
        if builder is not None:
            builder.event(event, value)
            if prefix == message_prefix and event in ("end_map", "end_array"):
                yield _chat(fields, single=False), builder.value
                builder = None
            continue
        head, _, name = prefix.rpartition(".")
        if head in _CHAT_LISTS and name in ("name", "id", "type") and event in ("string", "number", "null"):
            fields[name] = value
        elif prefix in _CHAT_LISTS and event == "start_map":
            fields = {}
        elif head.endswith(".messages") and name == "item" and head.removesuffix(".messages") in _CHAT_LISTS:
            if event in ("start_map", "start_array"):
                builder, message_prefix = ijson.ObjectBuilder(), prefix
                builder.event(event, value)
            else:  # a scalar where a message should be: convert_message rejects it
                yield _chat(fields, single=False), value


# Chats with one other person (or a bot, or oneself): their name and id are a person's.
PERSONAL_CHATS = ("personal_chat", "bot_chat", "saved_messages")


def _chat(fields: dict[str, Any], *, single: bool = True) -> Chat:
    chat_id = fields.get("id")
    chat_id = "unknown" if chat_id is None else str(int(chat_id)) if isinstance(chat_id, float) else str(chat_id)
    name = fields.get("name") or f"chat{chat_id}"
    if fields.get("type") in PERSONAL_CHATS:  # the other side is a person: mark the id as a user's
        chat_id = f"user{chat_id}"
    return Chat(name=str(name), id=chat_id, type=fields.get("type"), single=single)


def _full_account(path: Path) -> bool:
    """Is ``path`` a full-account export? (Broken JSON is for the read itself to report: False.)"""
    import ijson

    try:
        with path.open("rb") as head:
            return _shape(io.BufferedReader(CleanJson(head, repair=True)), path) is None
    except (ijson.JSONError, UnicodeDecodeError, NestedTooDeeply, InputError):
        return False
