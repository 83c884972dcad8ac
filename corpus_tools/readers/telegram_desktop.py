"""One Telegram Desktop export message ("Export chat history", result.json) -> Post.

Facts of the format this relies on:
- ``type`` is 'message' or 'service' (channel created, message pinned, ...: not posts);
- ``date`` is the exporting machine's local time without offset; ``date_unixtime`` (a string) is
  the true instant. Exports from before about 2022 lack ``date_unixtime``: then the instant needs
  the zone from ``--tz``, or stays unknown with the local time kept in ``published_local``;
- ``text`` is a string, or a list of strings and entity objects ``{type, text, href?, user_id?}``;
  the post's text is the parts joined;
- ``from``/``from_id`` is the sender, ``author`` a channel post's signature; ``forwarded_from``
  (+ ``forwarded_from_id``), ``reply_to_message_id`` (+ ``reply_to_peer_id`` for a reply into
  another chat), ``photo``/``file``/``media_type``/``poll``/... for media, ``reactions``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..convert.steps.normalize import native_post_id
from ..core.records import Post, Reject
from .base import SERVICE, BadRecord, ReaderOptions, count_or_none, strip_peer, text_or_none
from .spans import Span, attach, nfc_with_spans
from .timestamps import BadTimestamp, from_local, from_unix, set_published

# Telegram Desktop media_type -> the posts table's media_type vocabulary.
_MEDIA_TYPES = {
    "video_file": "video", "video_message": "video", "animation": "animation", "voice_message": "voice",
    "audio_file": "audio", "sticker": "sticker",
}
# Keys whose presence means media of that kind, checked in order.
_MEDIA_KEYS = [("photo", "photo"), ("poll", "poll"), ("location_information", "location"),
               ("place_name", "location"), ("contact_information", "contact"), ("file", "document")]


@dataclass(frozen=True)
class Chat:
    """The chat a message belongs to: its export ``name``, ``id`` and ``type``; ``single`` when it
    is the one chat of a single-chat export (only then does ``--channel`` rename it)."""

    name: str
    id: str
    type: str | None = None
    single: bool = True


def convert_message(message: Any, *, chat: Chat, options: ReaderOptions, source_file: str,
                    index: int) -> Post | Reject | str:
    """The Post for one export message (the ``index``-th of its chat's array), SERVICE for a service
    message, or a Reject saying why not."""
    try:
        if not isinstance(message, dict):
            raise BadRecord(f"message is a JSON {type(message).__name__}, not an object")
        if message.get("type") == "service":
            return SERVICE
        return _post(message, chat=chat, options=options, source_file=source_file)
    except (BadRecord, BadTimestamp) as problem:
        return Reject(source_file, location(message, chat, index), str(problem), _raw(message))


def location(message: Any, chat: Chat, index: int) -> str:
    """Where a rejected message is: by its id, else by its place in the array (made only for rejects)."""
    if isinstance(message, dict) and message.get("id") is not None:
        return f"message {message.get('id')} of chat {chat.id}"
    return f"messages[{index}] of chat {chat.id}"


def _post(message: dict[str, Any], *, chat: Chat, options: ReaderOptions, source_file: str) -> Post:
    message_id = message.get("id")
    if isinstance(message_id, bool) or not isinstance(message_id, (int, str)) or not str(message_id).lstrip("-").isdigit():
        raise BadRecord("missing id" if message_id is None else f"id {message_id!r} is not a message number")
    text, spans = joined_text(message.get("text", ""))
    text, spans = nfc_with_spans(text, spans)
    post = Post(
        channel=(options.channel if chat.single else None) or chat.name,
        channel_id=chat.id,
        message_id=str(message_id),
        text=text,
        source_file=source_file,
        author=text_or_none(message.get("author")) or text_or_none(message.get("from")),
        author_id=text_or_none(message.get("from_id")),
        forwarded_from=text_or_none(message.get("forwarded_from")) or text_or_none(message.get("forwarded_from_id")),
        forwarded_from_id=text_or_none(message.get("forwarded_from_id")),
        views=count_or_none(message.get("views")),
        forwards=count_or_none(message.get("forwards")),
        reactions=_reactions(message.get("reactions")),
    )
    _set_dates(post, message, options)
    _set_reply(post, message, chat)
    post.media_type = media_type(message)
    post.has_media = post.media_type is not None
    attach(post, spans)
    post.post_id = native_post_id(chat.id, post.message_id or "")
    return post


def joined_text(value: Any) -> tuple[str, list[Span]]:
    """The text a ``text`` field shows, and its entities as spans.

    >>> joined_text(["See ", {"type": "text_link", "text": "this", "href": "https://x.org"}, "!"])
    ('See this!', [Span(kind='text_link', start=4, end=8, url='https://x.org', user_id=None)])
    """
    if isinstance(value, str):
        return value, []
    if not isinstance(value, list):
        raise BadRecord(f"text of the wrong type ({type(value).__name__})")
    pieces, spans, length = [], [], 0
    for part in value:
        if isinstance(part, str):
            piece = part
        elif isinstance(part, dict) and isinstance(part.get("text"), str):
            piece = part["text"]
            kind = str(part.get("type", "plain"))
            if kind != "plain":
                user = part.get("user_id")
                spans.append(Span(kind, length, length + len(piece), url=text_or_none(part.get("href")),
                                  user_id=None if user is None else str(user)))
        else:
            raise BadRecord(f"text part of the wrong type ({type(part).__name__})")
        pieces.append(piece)
        length += len(piece)
    return "".join(pieces), spans


def _set_dates(post: Post, message: dict[str, Any], options: ReaderOptions) -> None:
    instant, local = message.get("date_unixtime"), message.get("date")
    if instant is None and local is None and message.get("type") != "unsupported":
        raise BadRecord("no date")
    set_published(post, instant=None if instant is None else from_unix(instant), local=local, zone=options.tz)
    if message.get("edited_unixtime") is not None:
        post.edited_at = from_unix(message["edited_unixtime"])
    elif message.get("edited") is not None and options.tz is not None:
        post.edited_at = from_local(message["edited"], options.tz)


def _set_reply(post: Post, message: dict[str, Any], chat: Chat) -> None:
    reply = message.get("reply_to_message_id")
    if reply is None:
        return
    post.reply_to_message_id = str(reply)
    other = strip_peer(message.get("reply_to_peer_id"))
    post.reply_to_chat_id = other if other != chat.id else None
    # A candidate: the converter keeps it only if that post is in the dataset.
    post.reply_to_post_id = native_post_id(post.reply_to_chat_id or chat.id, post.reply_to_message_id)


def media_type(message: dict[str, Any]) -> str | None:
    """The kind of media a message carries, in the posts table's vocabulary, or None."""
    if message.get("type") == "unsupported" or message.get("media_type") == "unsupported":
        return "unsupported"
    if message.get("media_type") in _MEDIA_TYPES:
        return _MEDIA_TYPES[message["media_type"]]
    for key, kind in _MEDIA_KEYS:
        if message.get(key):
            return kind
    return "unknown" if message.get("media_type") else None


def _reactions(value: Any) -> list[tuple[str, int]]:
    """[(reaction, count)] from ``[{type, count, emoji | document_id}]``."""
    found = []
    for item in value or []:
        if not isinstance(item, dict) or not isinstance(item.get("count"), int):
            continue
        kind = item.get("type")
        if kind == "emoji" and item.get("emoji"):
            found.append((str(item["emoji"]), item["count"]))
        elif kind == "custom_emoji":
            found.append((f"custom:{item.get('document_id', '')}", item["count"]))
        elif kind == "paid":
            found.append(("paid", item["count"]))
    return found


def _raw(message: Any) -> str:
    import json

    return json.dumps(message, ensure_ascii=False, sort_keys=True, default=str)
