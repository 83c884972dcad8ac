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

from ..core.records import Poll, PollOption, Post, Reject
from .base import SERVICE, BadRecord, ReaderOptions
from .mapping import count_or_none, media_type, message_number, reaction, set_reply, strip_peer, text_or_none
from .spans import Span, attach, nfc_with_spans
from .timestamps import BadTimestamp, from_unix, set_edited, set_published
from .topics import Topics

# Keys whose presence means media (of the kind ``mapping.media_type`` names), checked in order.
_MEDIA_KEYS = ("photo", "poll", "location_information", "place_name", "contact_information", "file")


@dataclass(frozen=True)
class Chat:
    """The chat a message belongs to: its export ``name``, ``id`` and ``type``; ``single`` when it
    is the one chat of a single-chat export (only then does ``--channel`` rename it)."""

    name: str
    id: str
    type: str | None = None
    single: bool = True


def convert_message(message: Any, *, chat: Chat, options: ReaderOptions, source_file: str,
                    index: int, topics: Topics | None = None) -> Post | Reject | str:
    """The Post for one export message (the ``index``-th of its chat's array), SERVICE for a service
    message, or a Reject saying why not. ``topics`` follows a forum's topics across messages."""
    topics = topics if topics is not None else Topics()
    try:
        if not isinstance(message, dict):
            raise BadRecord(f"message is a JSON {type(message).__name__}, not an object")
        if message.get("type") == "service":
            if message.get("action") == "topic_created" and message.get("id") is not None:
                topics.created(chat.id, message_number(message["id"]), text_or_none(message.get("title")))
            return SERVICE
        post = _post(message, chat=chat, options=options, source_file=source_file)
        topics.place(post)
        return post
    except (BadRecord, BadTimestamp) as problem:
        return Reject(source_file, location(message, chat, index), str(problem), _raw(message))


def location(message: Any, chat: Chat, index: int) -> str:
    """Where a rejected message is: by its id, else by its place in the array (made only for rejects)."""
    if isinstance(message, dict) and message.get("id") is not None:
        return f"message {message.get('id')} of chat {chat.id}"
    return f"messages[{index}] of chat {chat.id}"


def _post(message: dict[str, Any], *, chat: Chat, options: ReaderOptions, source_file: str) -> Post:
    message_id = message_number(message.get("id"))
    text, spans = joined_text(message.get("text", ""))
    text, spans = nfc_with_spans(text, spans)
    post = Post(
        channel=(options.channel if chat.single else None) or chat.name,
        channel_id=chat.id,
        message_id=message_id,
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
    set_reply(post, message.get("reply_to_message_id"), strip_peer(message.get("reply_to_peer_id")))
    post.media_type = message_media(message)
    post.has_media = post.media_type is not None
    post.poll = export_poll(message.get("poll"))
    attach(post, spans)
    return post


def export_poll(value: Any) -> Poll | None:
    """A ``poll`` object ``{question, closed, total_voters, answers: [{text, voters}]}`` as a Poll.

    >>> export_poll({"question": "Q?", "total_voters": 3, "answers": [{"text": "a", "voters": 3}]}).options
    [PollOption(text='a', votes=3, percent=None)]
    """
    if not isinstance(value, dict):
        return None
    options = [PollOption(_plain(answer.get("text")), votes=count_or_none(answer.get("voters")))
               for answer in value.get("answers") or [] if isinstance(answer, dict)]
    closed = value.get("closed")
    return Poll(_plain(value.get("question")) or "", options, closed=closed if isinstance(closed, bool) else None,
                total_voters=count_or_none(value.get("total_voters")))


def _plain(value: Any) -> str | None:
    """A poll text: a string, or (newer exports) a text with entities, as its plain text."""
    if isinstance(value, (str, list)):
        return joined_text(value)[0]
    if isinstance(value, dict) and isinstance(value.get("text"), (str, list)):
        return joined_text(value["text"])[0]
    return text_or_none(value)


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
    edited = message.get("edited_unixtime")
    set_edited(post, instant=None if edited is None else from_unix(edited), local=message.get("edited"),
               zone=options.tz)


def message_media(message: dict[str, Any]) -> str | None:
    """The kind of media a message carries, in the posts table's vocabulary, or None: its
    ``media_type`` when the vocabulary knows it, else the first media key it has."""
    if message.get("type") == "unsupported":
        return "unsupported"
    declared = media_type(message.get("media_type"))
    if declared not in (None, "unknown"):
        return declared
    key = next((key for key in _MEDIA_KEYS if message.get(key)), None)
    return media_type(key) if key else declared


def _reactions(value: Any) -> list[tuple[str, int]]:
    """[(reaction, count)] from ``[{type, count, emoji | document_id}]``."""
    found = (reaction(item.get("type"), count=item.get("count"), emoji=item.get("emoji"),
                      document_id=item.get("document_id")) for item in value or [] if isinstance(item, dict))
    return [item for item in found if item is not None]


def _raw(message: Any) -> str:
    import json

    return json.dumps(message, ensure_ascii=False, sort_keys=True, default=str)
