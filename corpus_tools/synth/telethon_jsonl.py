"""Synthetic Telethon dumps (format ``telethon-jsonl``): one message a line, as a scraper writes
``message.to_json()`` for each message of ``client.iter_messages(channel, reverse=True)``.

Each line is ``Message.to_dict()`` of Telethon 1.45 serialised as its ``to_json`` does: every key
of the constructor in order (absent flags as null, absent vectors as []), datetimes ISO 8601 with
``+00:00``, bytes base64, non-ASCII escaped (``\\ud83c\\uddf7`` for 🇷). Channel posts have
``peer_id`` ``{"_": "PeerChannel", "channel_id"}``, ``post: true``, ``from_id: null``, ``views``,
``forwards``, ``post_author`` when signed, ``edit_date`` when edited, ``fwd_from``
(``MessageFwdHeader``: ``from_id`` PeerChannel + ``channel_post``, or ``from_name`` for a user
who hides their account), ``reply_to`` (``MessageReplyHeader.reply_to_msg_id``), ``media``
(``MessageMediaPhoto``/``MessageMediaDocument``), ``reactions`` (``MessageReactions``).
``entities`` count offsets and lengths in UTF-16 code units, as Telegram does: an emoji outside
the Basic Multilingual Plane counts 2, a flag 4. Service messages are ``MessageService`` lines
(``MessageActionChannelCreate``, ``MessageActionPinMessage`` with a ``reply_to`` naming the
pinned post: not a reply, ``MessageActionChatEditPhoto``). Messages of several channels follow
each other, channel by channel, oldest first.

Group chats (``--chat group``): ``peer_id`` is ``PeerChat`` (a basic group) or ``PeerChannel`` (a
supergroup), ``post`` false, ``from_id`` ``{"_": "PeerUser", "user_id"}``, no views, forwards or
signature; entities may be ``MessageEntityMentionName`` (with ``user_id``), ``MessageEntityPhone`` and
``MessageEntityEmail``; a forward from a person has ``fwd_from.from_id`` PeerUser, one from a person
who hides their account only ``from_name``; service messages have the acting person's ``from_id``,
and a basic group's creation is ``MessageActionChatCreate`` with its members' ids.
"""

from __future__ import annotations

import base64
import json
from json.encoder import encode_basestring_ascii as _q  # the C encoder json.dumps uses by default
from typing import Any

from .messages import Channel, Media, Message, Person, Post, Service
from .persons import Cast, chat_peer
from .text import Paragraph
from .writer import FormatWriter, utc_iso

TELETHON_VERSION = "1.45"
ENTITY_TYPES = {"bold": "MessageEntityBold", "italic": "MessageEntityItalic", "code": "MessageEntityCode",
                "hashtag": "MessageEntityHashtag", "mention": "MessageEntityMention", "link": "MessageEntityUrl",
                "text_link": "MessageEntityTextUrl", "blockquote": "MessageEntityBlockquote",
                "mention_name": "MessageEntityMentionName", "phone": "MessageEntityPhone",
                "email": "MessageEntityEmail"}


class TelethonJsonlWriter(FormatWriter):
    format_name = "telethon-jsonl"
    suffix = ".jsonl"

    def __init__(self, channels: list[Channel], cast: Cast | None = None) -> None:
        super().__init__(channels, cast)
        self.peers: dict[int, str] = {}  # each chat's peer_id, written once

    def facts(self) -> dict[str, Any]:
        return {"shape": f"Message.to_json() of Telethon {TELETHON_VERSION}", "entity_offsets": "UTF-16 code units"}

    def message(self, message: Message, channel: Channel) -> str | None:
        if isinstance(message, Post):
            peer = self.peers.get(channel.index) or self.peers.setdefault(channel.index, _dumps(self._peer(channel)))
            return _post(message, channel, peer)
        if isinstance(message, Service):
            return _dumps(_service(message, channel, self._peer(channel))) + "\n"
        return None  # an unsupported message: the API returns it, but as a gap here (a deleted one)

    def _peer(self, channel: Channel) -> dict:
        return _peer(channel.id, chat_peer(channel) if self.cast else "PeerChannel")


def utf16_entities(paragraphs: tuple[Paragraph, ...], sep: str) -> list[dict]:
    """The entities of the text ``paragraphs`` joined by ``sep`` make, offsets and lengths in
    UTF-16 code units.

    >>> from corpus_tools.synth.text import paragraph
    >>> utf16_entities((paragraph("headline", ("🇷🇺 ", ("hashtag", "#Russia", None))),), "\\n")
    [{'_': 'MessageEntityHashtag', 'offset': 5, 'length': 7}]
    """
    entities: list[dict] = []
    offset = 0
    for i, paragraph in enumerate(paragraphs):
        if i:
            offset += len(sep)
        if len(paragraph.parts) == 1 and isinstance(paragraph.parts[0], str):  # no entity: the common case
            offset += _utf16_len(paragraph.text)
            continue
        for part in paragraph.parts:
            if isinstance(part, str):
                offset += _utf16_len(part)
                continue
            kind, text, href = part
            size = _utf16_len(text)
            entity = {"_": ENTITY_TYPES[kind], "offset": offset, "length": size}
            if kind == "text_link":
                entity["url"] = href
            elif kind == "mention_name":
                entity["user_id"] = int(str(href))
            elif kind == "blockquote":
                entity["collapsed"] = None
            entities.append(entity)
            offset += size
    return entities


def _utf16_len(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) >> 1


_dumps = json.JSONEncoder().encode  # json.dumps with its defaults, without its per-call set-up


def _peer(peer_id: int, kind: str = "PeerChannel") -> dict:
    key = {"PeerChannel": "channel_id", "PeerChat": "chat_id", "PeerUser": "user_id"}[kind]
    return {"_": kind, key: peer_id}


def _user(person: Person | None) -> dict | None:
    return None if person is None else _peer(person.user_id, "PeerUser")


def _ident(channel_id: int, message_id: int, salt: int) -> int:
    """A stable 63-bit number for media ids and access hashes."""
    return (channel_id * 6364136223846793005 + message_id * 1442695040888963407 + salt) % (1 << 63)


def _post(post: Post, channel: Channel, peer: str) -> str:
    """The message's line: ``json.dumps(message.to_dict())`` by a template, the runs of constant
    keys written once (tests check it equals ``json.dumps`` of the parsed line)."""
    text, entities = post.text, utf16_entities(post.paragraphs, post.sep)
    if post.sender is None:  # a channel's post: views and forwards counted, no sender
        flag, sender, views, forwards = "true", "null", post.views, post.forwards
    else:
        flag, sender, views, forwards = "false", _dumps(_user(post.sender)), "null", "null"
    forward = _dumps(_forward(post)) if post.forward else "null"
    reply = _dumps(_reply_header(post.reply.id)) if post.reply else "null"
    media = _media(post.media, channel.id, post) if post.media else "null"
    edit = f'"{utc_iso(post.edit_date)}"' if post.edit_date else "null"
    author = _q(post.author) if post.author else "null"
    reactions = _dumps(_reactions(post.reactions)) if post.reactions else "null"
    return (
        f'{{"_": "Message", "id": {post.id}, "peer_id": {peer}, '
        f'"date": "{utc_iso(post.date)}", "message": {_q(text)}, "out": false, "mentioned": null, '
        f'"media_unread": null, "silent": null, "post": {flag}, "from_scheduled": null, "legacy": null, '
        '"edit_hide": null, "pinned": null, "noforwards": null, "invert_media": null, "offline": null, '
        '"video_processing_pending": null, "paid_suggested_post_stars": null, "paid_suggested_post_ton": null, '
        f'"from_id": {sender}, "from_boosts_applied": null, "from_rank": null, "saved_peer_id": null, '
        f'"fwd_from": {forward}, "via_bot_id": null, "via_business_bot_id": null, "guestchat_via_from": null, '
        f'"reply_to": {reply}, "media": {media}, "reply_markup": null, "entities": {_dumps(entities)}, '
        f'"views": {views}, "forwards": {forwards}, "replies": null, "edit_date": {edit}, '
        f'"post_author": {author}, "grouped_id": null, "reactions": {reactions}, "restriction_reason": [], '
        '"ttl_period": null, "quick_reply_shortcut_id": null, "effect": null, "factcheck": null, '
        '"report_delivery_until_date": null, "paid_message_stars": null, "suggested_post": null, '
        '"schedule_repeat_period": null, "summary_from_language": null, "rich_message": null}\n'
    )


def _forward(post: Post) -> dict:
    forward = post.forward
    origin = _peer(forward.channel_id) if forward.channel_id else _peer(forward.user_id, "PeerUser") \
        if forward.user_id else None
    return {"_": "MessageFwdHeader", "date": utc_iso(forward.date), "imported": None, "saved_out": None,
            "from_id": origin, "from_name": None if origin else forward.name, "channel_post": forward.message_id,
            "post_author": None, "saved_from_peer": None, "saved_from_msg_id": None, "saved_from_id": None,
            "saved_from_name": None, "saved_date": None, "psa_type": None}


def _reply_header(message_id: int) -> dict:
    return {"_": "MessageReplyHeader", "reply_to_scheduled": None, "forum_topic": None, "quote": None,
            "reply_to_ephemeral": None, "reply_to_msg_id": message_id, "reply_to_peer_id": None, "reply_from": None,
            "reply_media": None, "reply_to_top_id": None, "quote_text": None, "quote_entities": [],
            "quote_offset": None, "todo_item_id": None, "poll_option": None}


def _reactions(reactions: tuple[tuple[str, int], ...]) -> dict:
    results = [{"_": "ReactionCount", "reaction": {"_": "ReactionEmoji", "emoticon": emoji}, "count": count,
                "chosen_order": None} for emoji, count in reactions]
    return {"_": "MessageReactions", "results": results, "min": None, "can_see_list": None,
            "reactions_as_tags": None, "recent_reactions": [], "top_reactors": []}


def _photo(channel_id: int, message_id: int, *, date: int, width: int, height: int, size: int) -> str:
    ident = _ident(channel_id, message_id, 1)
    key = ident.to_bytes(8, "big")
    reference = base64.b64encode(b"\x02" + key + message_id.to_bytes(8, "big")).decode()
    return (f'{{"_": "Photo", "id": {ident}, "access_hash": {_ident(channel_id, message_id, 2)}, '
            f'"file_reference": "{reference}", "date": "{utc_iso(date)}", "sizes": [{{"_": "PhotoStrippedSize", '
            f'"type": "i", "bytes": "{base64.b64encode(key).decode()}"}}, {{"_": "PhotoSize", "type": "m", '
            f'"w": {width // 4}, "h": {height // 4}, "size": {size // 12}}}, {{"_": "PhotoSizeProgressive", '
            f'"type": "y", "w": {width}, "h": {height}, "sizes": [{size // 8}, {size // 4}, {size // 2}, {size}]}}], '
            f'"dc_id": {2 + 2 * (ident & 1)}, "has_stickers": null, "video_sizes": []}}')


def _media(media: Media, channel_id: int, post: Post) -> str:
    if media.kind == "photo":
        photo = _photo(channel_id, post.id, date=post.date, width=media.width, height=media.height, size=media.size)
        return (f'{{"_": "MessageMediaPhoto", "spoiler": null, "live_photo": null, "photo": {photo}, '
                '"ttl_seconds": null, "video": null}')
    ident = _ident(channel_id, post.id, 3)
    if media.kind == "video":
        attributes = (f'{{"_": "DocumentAttributeVideo", "duration": {float(media.duration)}, "w": {media.width}, '
                      f'"h": {media.height}, "round_message": null, "supports_streaming": true, "nosound": null, '
                      '"preload_prefix_size": null, "video_start_ts": null, "video_codec": null}, '
                      f'{{"_": "DocumentAttributeFilename", "file_name": "video_{media.number}.mp4"}}')
        mime, video = "video/mp4", "true"
    else:
        attributes = f'{{"_": "DocumentAttributeFilename", "file_name": "report_{media.number}.pdf"}}'
        mime, video = "application/pdf", "null"
    reference = base64.b64encode(b"\x02" + ident.to_bytes(8, "big")).decode()
    document = (f'{{"_": "Document", "id": {ident}, "access_hash": {_ident(channel_id, post.id, 4)}, '
                f'"file_reference": "{reference}", "date": "{utc_iso(post.date)}", "mime_type": "{mime}", '
                f'"size": {media.size}, "dc_id": {2 + 2 * (ident & 1)}, "attributes": [{attributes}], '
                '"thumbs": [], "video_thumbs": []}')
    return (f'{{"_": "MessageMediaDocument", "nopremium": null, "spoiler": null, "video": {video}, "round": null, '
            f'"voice": null, "document": {document}, "alt_documents": [], "video_cover": null, '
            '"video_timestamp": null, "ttl_seconds": null}')


def _service(service: Service, channel: Channel, peer: dict) -> dict:
    if service.action == "create_group":
        action = {"_": "MessageActionChatCreate", "title": service.title, "users": [p.user_id for p in service.members]}
    elif service.action == "create_channel":
        action = {"_": "MessageActionChannelCreate", "title": service.title}
    elif service.action == "pin_message":
        action = {"_": "MessageActionPinMessage"}
    else:
        action = {"_": "MessageActionChatEditPhoto",
                  "photo": json.loads(_photo(channel.id, service.id, date=service.date, width=640, height=640, size=48213))}
    return {"_": "MessageService", "id": service.id, "peer_id": peer, "date": utc_iso(service.date),
            "action": action, "out": False, "mentioned": None, "media_unread": None,
            "reactions_are_possible": None, "silent": None, "post": service.actor is None, "legacy": None,
            "from_id": _user(service.actor),
            "saved_peer_id": None,
            "reply_to": _reply_header(service.message_id) if service.message_id else None,
            "reactions": None, "ttl_period": None}
