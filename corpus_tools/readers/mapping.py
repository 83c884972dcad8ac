"""Mapping a source's fields onto a ``Post``: what every record reader does the same way.

Exports name the same facts differently (Telegram Desktop's ``media_type: "voice_message"``, Telethon's
``MessageMediaDocument`` with a voice attribute, 4CAT's ``attachment_type: "geo"``); each reader knows
where its format keeps a fact, and hands the value to the helpers here, which turn it into the posts
table's vocabulary. So the vocabulary, the id rules and the reply rules are written once.

>>> media_type("voice_message"), media_type("MessageMediaWebPage"), media_type("hologram")
('voice', None, 'unknown')
"""

from __future__ import annotations

from functools import cache
from typing import Any

from ..core.records import Post
from ..core.schema import load_schemas
from .base import BadRecord

# Every source's name for a kind of media -> the posts table's media_type; None where the source's
# "media" is not the post's media (a link preview is a link). Names of the vocabulary itself map to
# themselves (see ``media_types``).
_MEDIA_NAMES: dict[str, str | None] = {
    # Telegram Desktop JSON: media_type values, and the keys whose presence means media
    "video_file": "video", "video_message": "video", "voice_message": "voice", "audio_file": "audio",
    "location_information": "location", "place_name": "location", "contact_information": "contact",
    "file": "document",
    # Telethon (MTProto) media classes; documents are told apart by their attributes (telethon_jsonl)
    "MessageMediaPhoto": "photo", "MessageMediaDocument": "document", "MessageMediaPoll": "poll",
    "MessageMediaGeo": "location", "MessageMediaGeoLive": "location", "MessageMediaVenue": "location",
    "MessageMediaContact": "contact", "MessageMediaUnsupported": "unsupported", "MessageMediaEmpty": None,
    "MessageMediaWebPage": None,
    # 4CAT attachment types
    "geo": "location", "geo_live": "location", "venue": "location", "game": "unknown", "invoice": "unknown",
    "url": None,
    # Telegram Desktop HTML export: the class of a message's media block (generic blocks are told apart
    # by their title first, see telegram_html)
    "photo_wrap": "photo", "video_file_wrap": "video", "animated_wrap": "animation", "sticker_wrap": "sticker",
    "media_poll": "poll", "media_photo": "photo", "media_video": "video", "media_voice_message": "voice",
    "media_audio_file": "audio", "media_file": "document", "media_contact": "contact", "media_location": "location",
    "media_live_location": "location", "media_venue": "location", "media_game": "unknown", "media_invoice": "unknown",
    "media_giveaway": "unknown",
    # Telegram Desktop HTML export: the titles of generic media blocks
    "Photo": "photo", "Sticker": "sticker", "Animation": "animation", "Video file": "video", "Video message": "video",
    "Voice message": "voice", "Audio file": "audio", "File": "document", "Location": "location",
    "Live location": "location", "Self-destructing photo": "photo", "Self-destructing video": "video",
    # Telegram's web preview (t.me/s): the class of a post's media element
    "tgme_widget_message_photo_wrap": "photo", "tgme_widget_message_video_player": "video",
    "tgme_widget_message_roundvideo_player": "video", "tgme_widget_message_voice_player": "voice",
    "tgme_widget_message_document_wrap": "document", "tgme_widget_message_sticker_wrap": "sticker",
    "tgme_widget_message_location_wrap": "location", "tgme_widget_message_venue_wrap": "location",
    "tgme_widget_message_poll": "poll", "tgme_widget_message_contact_wrap": "contact",
    "tgme_widget_message_link_preview": None,
}
# A document's MIME type -> its kind, for sources that give only the type (telegram-tracker CSVs).
_DOCUMENT_TYPES = {"application/x-tgsticker": "sticker", "image/webp": "sticker", "audio/ogg": "voice",
                   "video/webm": "sticker", "image/gif": "animation"}
# Reactions: each source's name for the three kinds Telegram has.
_REACTION_KINDS = {"emoji": "emoji", "ReactionEmoji": "emoji", "custom_emoji": "custom",
                   "ReactionCustomEmoji": "custom", "paid": "paid", "ReactionPaid": "paid"}


@cache
def media_types() -> tuple[str, ...]:
    """The posts table's media_type vocabulary: the ``enum`` its schema declares."""
    return tuple(load_schemas()["posts"].field("media_type")["constraints"]["enum"])


def media_type(name: Any) -> str | None:
    """A source's name for a post's media, in the vocabulary: None when absent or not media, 'unknown'
    for media the vocabulary has no name for."""
    if name is None or name == "":
        return None
    name = str(name)
    if name in _MEDIA_NAMES:
        return _MEDIA_NAMES[name]
    return name if name in media_types() else "unknown"


def document_media(mime_type: Any) -> str:
    """The kind of a document from its MIME type: sticker, animation, voice, video, audio or document.

    >>> document_media("video/mp4"), document_media("audio/ogg"), document_media("application/pdf")
    ('video', 'voice', 'document')
    """
    mime = str(mime_type or "").lower()
    if mime in _DOCUMENT_TYPES:
        return _DOCUMENT_TYPES[mime]
    return next((kind for prefix, kind in (("video/", "video"), ("audio/", "audio")) if mime.startswith(prefix)),
                "document")


_SUFFIXES = {"K": 1_000, "M": 1_000_000, "B": 1_000_000_000}


def shown_count(text: Any) -> tuple[int, bool] | None:
    """A count as a page shows it, and whether it is rounded: '37.2K' is about 37200, '8.67M' about
    8670000, '512' exactly 512; None for what is not a count.

    >>> shown_count("37.2K"), shown_count(" 512 "), shown_count("1,234"), shown_count("n/a")
    ((37200, True), (512, False), (1234, False), None)
    """
    value = str(text or "").strip().replace(",", "").replace("\u00a0", "")
    suffix = value[-1:].upper()
    number = value[:-1] if suffix in _SUFFIXES else value
    try:
        amount = float(number) if suffix in _SUFFIXES else int(number)
    except ValueError:
        return None
    if amount < 0:
        return None
    return (round(amount * _SUFFIXES[suffix]), True) if suffix in _SUFFIXES else (int(amount), False)


def reaction(kind: Any, *, count: Any, emoji: Any = None, document_id: Any = None) -> tuple[str, int] | None:
    """(reaction, count) as the reactions table names it: the emoji, 'custom:DOCUMENT_ID' for a custom
    emoji, 'paid' for paid stars; None for what is not a reaction with a count.

    >>> reaction("ReactionCustomEmoji", count=3, document_id=5), reaction("emoji", count=2, emoji="👍")
    (('custom:5', 3), ('👍', 2))
    """
    if not isinstance(count, int) or isinstance(count, bool):
        return None
    kind = _REACTION_KINDS.get(kind)
    if kind == "emoji" and emoji:
        return str(emoji), count
    if kind == "custom":
        return f"custom:{'' if document_id is None else document_id}", count
    if kind == "paid":
        return "paid", count
    return None


def message_number(value: Any) -> str:
    """A message id as the tables write it: the number in decimal. Sources write ids as numbers, as
    strings of digits, or (pandas' CSVs) as floats such as 805.0; anything else is a BadRecord.

    >>> message_number(805), message_number("805"), message_number(805.0), message_number("805.0")
    ('805', '805', '805', '805')
    """
    if value is None or value == "":
        raise BadRecord("missing id")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip() if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
    number = text.removesuffix(".0")
    if number.lstrip("-").isdigit():
        return number
    raise BadRecord(f"id {value!r} is not a message number")


def set_reply(post: Post, message_id: Any, chat_id: str | None = None) -> None:
    """Record that ``post`` replies to message ``message_id`` of chat ``chat_id`` (None, or the post's
    own chat, for a reply within it). The reply's candidate post id is set by convert's ids step."""
    if message_id is None or message_id == "":
        return
    post.reply_to_message_id = message_number(message_id)
    post.reply_to_chat_id = chat_id if chat_id != post.channel_id else None


def strip_peer(value: object) -> str | None:
    """A chat or user id without its kind prefix: 'channel1878264527' -> '1878264527'.

    >>> strip_peer("channel1878264527"), strip_peer(42), strip_peer(None)
    ('1878264527', '42', None)
    """
    if value is None or value == "":
        return None
    text = str(value)
    for prefix in ("channel", "chat", "user", "peer"):
        if text.startswith(prefix) and text[len(prefix):].lstrip("-").isdigit():
            return text[len(prefix):]
    return text


def text_or_none(value: Any) -> str | None:
    """A field's value as text, with absent and empty both None."""
    return None if value is None or value == "" else str(value)


def count_or_none(value: Any) -> int | None:
    """A count (views, forwards) when the source gives a non-negative integer, else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None
