"""Reader for Telethon message dumps as JSON lines (format ``telethon-jsonl``): one
``Message.to_dict()`` per line, dates as ISO strings (``isoformat()`` or ``str()``) or Unix seconds.

Entity offsets count UTF-16 code units (Telegram's convention), so they are mapped to code points
before use. ``MessageService`` lines are service messages, not posts. A line that is not JSON, not
an object, or lacks what a post needs is a reject; a file in which no line is a message is an
InputError. Lines are read one at a time: memory does not grow with the file.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..core.records import Post, Reject
from ..errors import InputError
from .base import SERVICE, BadRecord, ReaderOptions, RecordReader, Shard
from .detect import Head
from .mapping import count_or_none, media_type, message_number, reaction, set_reply, strip_peer, text_or_none
from .shards import ByteRange, line_shards
from .spans import Span, attach, nfc_with_spans, utf16_offsets
from .textfile import check_file, replace_lone_surrogates
from .timestamps import BadTimestamp, from_instant

_ENTITY_KINDS = {
    "MessageEntityHashtag": "hashtag", "MessageEntityMention": "mention", "MessageEntityMentionName": "mention_name",
    "InputMessageEntityMentionName": "mention_name", "MessageEntityUrl": "url", "MessageEntityTextUrl": "text_link",
}
# Document attributes that say what kind of document (sticker, GIF, video, voice or music) it is.
_DOCUMENT_KINDS = (("DocumentAttributeSticker", "sticker"), ("DocumentAttributeAnimated", "animation"),
                   ("DocumentAttributeVideo", "video"), ("DocumentAttributeAudio", "audio"))


def no_objects(path: Path) -> str:
    return f"{path}: no line is a JSON object, so not a Telethon JSON-lines dump"


class TelethonJsonlReader(RecordReader):
    """Posts from a JSON-lines dump of Telethon messages."""

    format_name = "telethon-jsonl"

    @classmethod
    def recognises(cls, head: Head, options: ReaderOptions) -> bool:
        """A whole Telethon message on the first line (a Desktop export's first line is just '{')."""
        record = head.json_first_line()
        return isinstance(record, dict) and (str(record.get("_", "")).startswith("Message") or "peer_id" in record)

    def read(self, path: Path, source_file: str, shard: Shard | None = None) -> Iterator[Post | Reject]:
        check_file(path)
        self._usage(source_file)
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
        """Lines are records: cut anywhere at a line end."""
        return line_shards(path, count)

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
        if record.get("_") == "MessageService":
            return SERVICE, True
        try:
            return self._post(record, source_file, number), True
        except (BadRecord, BadTimestamp) as problem:
            return Reject(source_file, location, str(problem), text), True

    def _post(self, record: dict[str, Any], source_file: str, number: int) -> Post:
        message_id = message_number(record.get("id"))
        chat_id = _peer_id(record.get("peer_id"))
        text = record.get("message")
        if text is None:
            text = ""
        if not isinstance(text, str):
            raise BadRecord(f"text of the wrong type ({type(text).__name__})")
        text, spans = nfc_with_spans(text, _spans(text, record.get("entities")))
        post = Post(
            channel=self.channel or (f"channel{chat_id}" if chat_id else "unknown"),
            channel_id=chat_id, message_id=message_id, text=text, source_file=source_file,
            published_at=_instant(record.get("date"), "date"), date_precision="second", date_source="platform",
            author=text_or_none(record.get("post_author")), author_id=_peer_ref(record.get("from_id")),
            views=count_or_none(record.get("views")), forwards=count_or_none(record.get("forwards")),
            reactions=_reactions(record.get("reactions")), media_type=_media(record.get("media")),
        )
        if record.get("edit_date"):
            post.edited_at = _instant(record["edit_date"], "edit_date")
        _set_forward(post, record.get("fwd_from"))
        reply = record.get("reply_to")
        if isinstance(reply, dict):
            set_reply(post, reply.get("reply_to_msg_id"), _peer_id(reply.get("reply_to_peer_id")))
        post.has_media = post.media_type is not None
        attach(post, spans)
        return post


def _spans(text: str, entities: Any) -> list[Span]:
    spans, units = [], None
    for entity in entities or []:
        kind = _ENTITY_KINDS.get(entity.get("_")) if isinstance(entity, dict) else None
        if kind is None or not isinstance(entity.get("offset"), int) or not isinstance(entity.get("length"), int):
            continue
        units = units or utf16_offsets(text)
        start, end = entity["offset"], entity["offset"] + entity["length"]
        if 0 <= start <= end < len(units):
            user = entity.get("user_id")
            spans.append(Span(kind, units[start], units[end], url=text_or_none(entity.get("url")),
                              user_id=None if user is None else str(user)))
    return spans


def _instant(value: Any, name: str):
    if value is None:
        raise BadRecord(f"no {name}")
    return from_instant(value)


def _peer_id(peer: Any) -> str | None:
    """The id of a Peer dict ({'_': 'PeerChannel', 'channel_id': 1}) or of a plain number: bare for
    a channel or group, 'user'-prefixed for a person (a personal chat), so pseudonymisation knows it."""
    if isinstance(peer, dict):
        for key in ("channel_id", "chat_id"):
            if peer.get(key) is not None:
                return str(peer[key])
        return f"user{peer['user_id']}" if peer.get("user_id") is not None else None
    return strip_peer(peer)


def _peer_ref(peer: Any) -> str | None:
    """A peer as Telegram Desktop writes it ('channel123', 'user123'), so ids compare across formats."""
    if isinstance(peer, dict):
        for key, kind in (("channel_id", "channel"), ("chat_id", "chat"), ("user_id", "user")):
            if peer.get(key) is not None:
                return f"{kind}{peer[key]}"
        return None
    return None if peer is None else str(peer)


def _set_forward(post: Post, header: Any) -> None:
    if not isinstance(header, dict):
        return
    post.forwarded_from_id = _peer_ref(header.get("from_id"))
    post.forwarded_from = text_or_none(header.get("from_name")) or post.forwarded_from_id or "unknown"


def _media(media: Any) -> str | None:
    kind = media.get("_") if isinstance(media, dict) else None
    if kind == "MessageMediaDocument":
        return document_kind(media.get("document"))
    return media_type(kind)


def document_kind(document: Any) -> str:
    """What a Telethon document is, from its attributes: sticker, animation, video, voice, audio or document."""
    attributes = document.get("attributes", []) if isinstance(document, dict) else []
    names = {a.get("_"): a for a in attributes if isinstance(a, dict)}
    kind = next((kind for attribute, kind in _DOCUMENT_KINDS if attribute in names), "document")
    return "voice" if kind == "audio" and names["DocumentAttributeAudio"].get("voice") else kind


def _reactions(value: Any) -> list[tuple[str, int]]:
    results = value.get("results", []) if isinstance(value, dict) else []
    found = []
    for item in results:
        emoji = item.get("reaction") if isinstance(item, dict) else None
        if isinstance(emoji, dict):
            found.append(reaction(emoji.get("_"), count=item.get("count"), emoji=emoji.get("emoticon"),
                                  document_id=emoji.get("document_id")))
    return [item for item in found if item is not None]


