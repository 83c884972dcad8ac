"""One Telethon ``Message.to_dict()`` -> Post: what the JSON-lines and the JSON-array dumps share.

Facts of the format this relies on: ``peer_id`` names the chat, ``message`` is the text and
``entities`` mark it by offset and length in UTF-16 code units (Telegram's convention, mapped to code
points here); ``fwd_from``, ``reply_to`` (with ``forum_topic`` and ``reply_to_top_id`` in forums),
``views``, ``forwards``, ``edit_date``, ``post_author``, ``media`` and ``reactions`` the rest. Dates
are ISO strings (``isoformat()`` or ``str()``) or Unix seconds. ``MessageService`` records are
service messages; a forum's ``MessageActionTopicCreate`` names its topic.
"""

from __future__ import annotations

from typing import Any

from ..core.records import Poll, PollOption, Post
from .base import SERVICE, BadRecord
from .mapping import count_or_none, media_type, message_number, reaction, set_reply, strip_peer, text_or_none
from .spans import Span, attach, nfc_with_spans, utf16_offsets
from .timestamps import from_instant, set_edited
from .topics import Topics

_ENTITY_KINDS = {
    "MessageEntityHashtag": "hashtag", "MessageEntityMention": "mention", "MessageEntityMentionName": "mention_name",
    "InputMessageEntityMentionName": "mention_name", "MessageEntityUrl": "url", "MessageEntityTextUrl": "text_link",
}
# Document attributes that say what kind of document (sticker, GIF, video, voice or music) it is.
_DOCUMENT_KINDS = (("DocumentAttributeSticker", "sticker"), ("DocumentAttributeAnimated", "animation"),
                   ("DocumentAttributeVideo", "video"), ("DocumentAttributeAudio", "audio"))


def convert_record(record: dict[str, Any], *, channel: str | None, source_file: str, topics: Topics) -> Post | str:
    """The Post of one message record, or SERVICE for a service message; BadRecord or BadTimestamp
    for a record that cannot be a post."""
    if record.get("_") == "MessageService":
        action = record.get("action")
        if isinstance(action, dict) and action.get("_") == "MessageActionTopicCreate" and record.get("id") is not None:
            topics.created(peer_id(record.get("peer_id")) or "unknown", message_number(record["id"]),
                           text_or_none(action.get("title")))
        return SERVICE
    post = _post(record, channel=channel, source_file=source_file)
    topics.place(post)
    return post


def _post(record: dict[str, Any], *, channel: str | None, source_file: str) -> Post:
    message_id = message_number(record.get("id"))
    chat_id = peer_id(record.get("peer_id"))
    text = record.get("message")
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise BadRecord(f"text of the wrong type ({type(text).__name__})")
    text, spans = nfc_with_spans(text, _spans(text, record.get("entities")))
    media = record.get("media")
    post = Post(
        channel=channel or (f"channel{chat_id}" if chat_id else "unknown"),
        channel_id=chat_id, message_id=message_id, text=text, source_file=source_file,
        published_at=_instant(record.get("date"), "date"), date_precision="second", date_source="platform",
        author=text_or_none(record.get("post_author")), author_id=_peer_ref(record.get("from_id")),
        views=count_or_none(record.get("views")), forwards=count_or_none(record.get("forwards")),
        reactions=_reactions(record.get("reactions")), media_type=_media(media), poll=media_poll(media),
    )
    edited = record.get("edit_date")
    set_edited(post, instant=_instant(edited, "edit_date") if edited else None, local=None, zone=None)
    _set_forward(post, record.get("fwd_from"))
    _set_reply(post, record.get("reply_to"))
    post.has_media = post.media_type is not None
    attach(post, spans)
    return post


def _set_reply(post: Post, reply: Any) -> None:
    """The reply, and in a forum the topic: a message posted in a topic 'replies' to the topic's
    creation message (``reply_to_top_id`` absent), a reply inside it names the topic as its top."""
    if not isinstance(reply, dict):
        return
    target = reply.get("reply_to_msg_id")
    if reply.get("forum_topic"):
        top = reply.get("reply_to_top_id")
        topic = top if top is not None else target
        post.topic_id = None if topic is None else message_number(topic)
        if top is None:
            return
    set_reply(post, target, peer_id(reply.get("reply_to_peer_id")))


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


def peer_id(peer: Any) -> str | None:
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


def media_poll(media: Any) -> Poll | None:
    """The poll of a ``MessageMediaPoll``: its question and answers, and the results matched to the
    answers by their ``option`` (by position when the dump lost the options' bytes).

    >>> media_poll({"_": "MessageMediaPoll", "poll": {"question": {"text": "Q?"}, "answers": [
    ...     {"text": "a", "option": "0"}, {"text": "b", "option": "1"}]}, "results": {"total_voters": 2,
    ...     "results": [{"option": "1", "voters": 2}, {"option": "0", "voters": 0}]}}).options
    [PollOption(text='a', votes=0, percent=None), PollOption(text='b', votes=2, percent=None)]
    """
    if not isinstance(media, dict) or media.get("_") != "MessageMediaPoll" or not isinstance(media.get("poll"), dict):
        return None
    poll, results = media["poll"], media.get("results") if isinstance(media.get("results"), dict) else {}
    answers = [a for a in poll.get("answers") or [] if isinstance(a, dict)]
    counted = [r for r in results.get("results") or [] if isinstance(r, dict)]
    by_option = {str(r.get("option")): count_or_none(r.get("voters")) for r in counted}
    options = []
    for position, answer in enumerate(answers):
        votes = by_option.get(str(answer.get("option"))) if "option" in answer else None
        if votes is None and len(counted) == len(answers) and "option" not in answer:
            votes = count_or_none(counted[position].get("voters"))
        options.append(PollOption(plain_text(answer.get("text")), votes=votes))
    closed = poll.get("closed")
    return Poll(plain_text(poll.get("question")) or "", options, closed=closed if isinstance(closed, bool) else None,
                total_voters=count_or_none(results.get("total_voters")))


def plain_text(value: Any) -> str | None:
    """A Telethon text: a string, or a ``TextWithEntities`` object, as its plain text."""
    if isinstance(value, dict):
        value = value.get("text")
    return text_or_none(value)


def _reactions(value: Any) -> list[tuple[str, int]]:
    results = value.get("results", []) if isinstance(value, dict) else []
    found = []
    for item in results:
        emoji = item.get("reaction") if isinstance(item, dict) else None
        if isinstance(emoji, dict):
            found.append(reaction(emoji.get("_"), count=item.get("count"), emoji=emoji.get("emoticon"),
                                  document_id=emoji.get("document_id")))
    return [item for item in found if item is not None]
