"""Synthetic Telegram Desktop exports (format ``telegram-json``): ``result.json`` as the desktop app's
"Export chat history" writes it.

One channel gives a single-chat export ``{"name", "type": "public_channel", "id", "messages"}``;
several give a full-account export ``{"about", "chats": {"about", "list": [chat, ...]}}``. The
layout is the app's: one-space indentation, keys in the app's order, non-ASCII written as is,
no newline at the end (byte-identical to ``json.dumps(data, indent=1, ensure_ascii=False)``).

Per message, as the app writes it: ``date`` is wall-clock time at the exporting machine's offset,
fixed here at UTC+03:00 (``LOCAL_OFFSET``) and written without it, ``date_unixtime`` the true
instant as a string; ``edited``/``edited_unixtime`` likewise; ``from``/``from_id``
(``channel<ID>``), ``author`` (a signature), ``forwarded_from`` (+ ``forwarded_from_id`` when the
origin is a channel), ``reply_to_message_id``; media as ``photo`` or ``file`` + ``media_type`` +
``mime_type``; ``text`` a string when it has no entities, else a list mixing strings and
``{type, text[, href]}`` objects; ``text_entities`` always a list (plain parts included);
``reactions`` ``[{type: emoji, count, emoji}]``. Service messages (``type: service``,
``create_channel``, ``pin_message``, ``edit_group_photo``) are not posts; ``{id, type:
unsupported}`` stands for a message the app could not export.

Group chats (``--chat group``): a single chat is ``"type": "private_group"``; in a full-account export
the chats are basic groups and supergroups (``private_group``, ``private_supergroup``), and besides
them come the owner's ``personal_information`` and ``contacts`` and one or two one-to-one chats
(``personal_chat``, named after the other person: one first in the list, one last). A group's
message is from a person (``from`` the display name, ``from_id`` ``user<ID>``, no ``author``), its
text may hold ``mention_name`` parts (with ``user_id``), ``phone`` and ``email`` ones, a forward from
a person has ``forwarded_from_id`` ``user<ID>`` (none when the person hides their account), and a
service message's ``actor`` is a person (a basic group's creation lists its ``members``).
"""

from __future__ import annotations

from json.encoder import encode_basestring as _q  # the C string encoder, non-ASCII kept
from typing import Any

from .messages import Channel, Media, Message, Person, Post, Segment, Service
from .persons import Cast, PersonalChat, chat_type, personal_information
from .text import Part
from .writer import FormatWriter, flatten, local_iso

LOCAL_OFFSET = 3 * 3600  # seconds east of UTC of the (imagined) exporting machine: UTC+03:00
LOCAL_OFFSET_TEXT = "+03:00"
ABOUT = "Here is the data you requested. Remember: Telegram is ad free, it doesn't sell your data."
CHATS_ABOUT = "This page lists all chats from this export."
CONTACTS_ABOUT = "If you allow access, Telegram continuously synchronizes your contacts."


class TelegramJsonWriter(FormatWriter):
    format_name = "telegram-json"
    suffix = ".json"
    account_export = True

    def __init__(self, channels: list[Channel], cast: Cast | None = None) -> None:
        super().__init__(channels, cast)
        self.full = len(channels) > 1
        self.level = 5 if self.full else 2  # nesting depth of a message object
        self.first = True
        self.account = cast if cast is not None and cast.account else None
        personal = self.account.personal_chats if self.account else ()
        self.personal_first = [chat for chat in personal if chat.first]
        self.personal_last = [chat for chat in personal if not chat.first]

    def facts(self) -> dict[str, Any]:
        return {"local_utc_offset": LOCAL_OFFSET_TEXT, "export": "full-account" if self.full else "single-chat"}

    def start(self) -> str:
        if not self.full:
            return ""
        own = ""
        if self.account:  # the owner's data, before the chats as the app writes it
            own = (f'\n "personal_information": {_dump(personal_information(self.account), 1)},'
                   f'\n "contacts": {_dump(_contacts(self.account), 1)},')
        chats = ",".join(f"\n   {_dump(_personal_chat(chat), 3)}" for chat in self.personal_first)
        return f'{{\n "about": {_q(ABOUT)},{own}\n "chats": {{\n  "about": {_q(CHATS_ABOUT)},\n  "list": [{chats}'

    def begin_segment(self, segment: Segment) -> None:
        self.first = segment.number == 0  # the channel's first message has no comma before it

    def begin_channel(self, channel: Channel) -> str:
        pad = "\n" + " " * (self.level - 1)  # keys of the chat object
        head = "{" if not self.full else ("," if channel.index or self.personal_first else "") + "\n   {"
        kind = chat_type(channel) if self.cast else "public_channel"
        return (f'{head}{pad}"name": {_q(channel.title)},{pad}"type": "{kind}",'
                f'{pad}"id": {channel.id},{pad}"messages": [')

    def end_channel(self, channel: Channel) -> str:
        pad = " " * (self.level - 1)
        return f"\n{pad}]\n{pad[:-1]}}}"

    def end(self) -> str:
        chats = "".join(f",\n   {_dump(_personal_chat(chat), 3)}" for chat in self.personal_last)
        return f"{chats}\n  ]\n }}\n}}" if self.full else ""

    def message(self, message: Message, channel: Channel) -> str | None:
        if isinstance(message, Post):
            body = _post(message, channel, self.level)
        else:
            pairs = _service(message, channel) if isinstance(message, Service) else [
                ("id", message.id), ("type", "unsupported")]
            body = _dump(dict(pairs), self.level)
        sep = "" if self.first else ","
        self.first = False
        return f"{sep}\n{' ' * self.level}{body}"


def _dates(message: Post | Service) -> list[tuple[str, object]]:
    return [("date", local_iso(message.date, LOCAL_OFFSET)), ("date_unixtime", str(message.date))]


def _post(post: Post, channel: Channel, level: int) -> str:
    """The message object, written field by field in the app's order and layout."""
    pad = "\n" + " " * (level + 1)
    pairs = [("id", post.id), ("type", "message"), *_dates(post)]
    if post.edit_date:
        pairs += [("edited", local_iso(post.edit_date, LOCAL_OFFSET)), ("edited_unixtime", str(post.edit_date))]
    pairs += _from(post.sender, channel)
    if post.author:
        pairs.append(("author", post.author))
    if post.forward:
        pairs.append(("forwarded_from", post.forward.name))
        if post.forward.channel_id:
            pairs.append(("forwarded_from_id", f"channel{post.forward.channel_id}"))
        elif post.forward.user_id:
            pairs.append(("forwarded_from_id", f"user{post.forward.user_id}"))
    if post.reply:
        pairs.append(("reply_to_message_id", post.reply.id))
    if post.media:
        pairs += _media(post.media, post.date)
    fields = [f'{pad}"{key}": {_q(value) if isinstance(value, str) else value}' for key, value in pairs]
    fields += _text(flatten(post.paragraphs, post.sep), level + 1)
    if post.reactions:
        inner = pad + "  "
        items = ",".join(f'{pad} {{{inner}"type": "emoji",{inner}"count": {count},{inner}"emoji": {_q(emoji)}{pad} }}'
                         for emoji, count in post.reactions)
        fields.append(f'{pad}"reactions": [{items}{pad}]')
    return "{" + ",".join(fields) + "\n" + " " * level + "}"


def _text(parts: list[Part], level: int) -> list[str]:
    """The ``text`` and ``text_entities`` fields at ``level``: an entity's object is written
    once and used in both lists, which sit at the same depth."""
    pad = "\n" + " " * level
    if not parts:
        return [f'{pad}"text": ""', f'{pad}"text_entities": []']
    item, inner = pad + " ", pad + "  "
    objects = []
    for part in parts:
        kind, text, extra = ("plain", part, None) if isinstance(part, str) else part
        link = f',{inner}"href": {_q(extra)}' if kind == "text_link" else (
            f',{inner}"user_id": {extra}' if kind == "mention_name" else "")
        objects.append(f'{{{inner}"type": "{kind}",{inner}"text": {_q(text)}{link}{item}}}')
    entities = f'{pad}"text_entities": [{"".join(f"{item}{o}," for o in objects)[:-1]}{pad}]'
    if len(parts) == 1 and isinstance(parts[0], str):
        return [f'{pad}"text": {_q(parts[0])}', entities]
    text = ",".join(item + (_q(p) if isinstance(p, str) else o) for p, o in zip(parts, objects, strict=True))
    return [f'{pad}"text": [{text}{pad}]', entities]


def _stamp(date: int) -> str:
    """'18-07-2023_00-24-19': local time as the app writes it into media file names."""
    local = local_iso(date, LOCAL_OFFSET)
    return f"{local[8:10]}-{local[5:7]}-{local[:4]}_{local[11:].replace(':', '-')}"


def _media(media: Media, date: int) -> list[tuple[str, object]]:
    stamp = _stamp(date)
    if media.kind == "photo":
        return [("photo", f"photos/photo_{media.number}@{stamp}.jpg"), ("photo_file_size", media.size),
                ("width", media.width), ("height", media.height)]
    if media.kind == "video":
        path = f"video_files/video_{media.number}@{stamp}.mp4"
        return [("file", path), ("file_size", media.size), ("thumbnail", path + "_thumb.jpg"),
                ("thumbnail_file_size", media.size // 400), ("media_type", "video_file"), ("mime_type", "video/mp4"),
                ("duration_seconds", media.duration), ("width", media.width), ("height", media.height)]
    name = f"report_{media.number}.pdf"
    return [("file", f"files/{name}"), ("file_name", name), ("file_size", media.size),
            ("mime_type", "application/pdf")]


def _from(person: Person | None, channel: Channel, key: str = "from") -> list[tuple[str, object]]:
    """Who sent a message: the channel, or in a group a person."""
    if person is None:
        return [(key, channel.title), (f"{key}_id", f"channel{channel.id}")]
    return [(key, person.name), (f"{key}_id", f"user{person.user_id}")]


def _service(service: Service, channel: Channel) -> list[tuple[str, object]]:
    pairs = [("id", service.id), ("type", "service"), *_dates(service), *_from(service.actor, channel, "actor"),
             ("action", service.action)]
    if service.action == "create_group":
        pairs += [("title", service.title), ("members", [p.name for p in service.members])]
    elif service.action == "create_channel":
        pairs.append(("title", service.title))
    elif service.action == "pin_message":
        pairs.append(("message_id", service.message_id))
    else:
        pairs += [("photo", f"photos/photo_{service.id}@{_stamp(service.date)}.jpg"),
                  ("photo_file_size", 48213), ("width", 640), ("height", 640)]
    return [*pairs, ("text", ""), ("text_entities", [])]


def _contacts(cast: Cast) -> dict[str, object]:
    return {"about": CONTACTS_ABOUT, "list": [
        {"user_id": p.user_id, "first_name": p.first_name, "last_name": p.last_name, "phone_number": p.phone,
         "date": local_iso(date, LOCAL_OFFSET), "date_unixtime": str(date)} for p, date in cast.contacts]}


def _personal_chat(chat: PersonalChat) -> dict[str, object]:
    """A one-to-one chat of the owner's, whole (it is small)."""
    messages = []
    for message in chat.messages:
        entities = [{"type": "plain", "text": p} if isinstance(p, str) else {"type": p[0], "text": p[1]}
                    for p in message.parts]
        text = message.parts[0] if len(entities) == 1 else [p if isinstance(p, str) else e
                                                            for p, e in zip(message.parts, entities, strict=True)]
        messages.append({"id": message.id, "type": "message", "date": local_iso(message.date, LOCAL_OFFSET),
                         "date_unixtime": str(message.date), "from": message.sender.name,
                         "from_id": f"user{message.sender.user_id}", "text": text, "text_entities": entities})
    return {"name": chat.person.name, "type": "personal_chat", "id": chat.person.user_id, "messages": messages}


def _dump(value: object, level: int) -> str:
    """JSON with the app's layout: what ``json.dumps(value, indent=1, ensure_ascii=False)`` gives
    (``value`` nested ``level`` deep), several times faster for these small shapes."""
    if isinstance(value, str):
        return _q(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    pad = "\n" + " " * (level + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = ",".join(f"{pad}{_q(k)}: {_dump(v, level + 1)}" for k, v in value.items())
        return f"{{{inner}\n{' ' * level}}}"
    if isinstance(value, list):
        if not value:
            return "[]"
        inner = ",".join(f"{pad}{_dump(v, level + 1)}" for v in value)
        return f"[{inner}\n{' ' * level}]"
    raise TypeError(f"cannot write {type(value).__name__}")
