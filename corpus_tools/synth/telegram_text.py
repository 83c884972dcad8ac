"""Synthetic flat-text dumps of Telegram's web preview (format ``telegram-text``).

Each post is written as the preview shows it (see ``readers/telegram_text.py``):

    [Forwarded from NAME | CHANNEL TITLE + excerpt…]   forward header or reply quote
    [This media is not supported in your browser       a video post
     VIEW IN TELEGRAM]
    headline, body without quotes                        rendering 1
    body with quotes                                     rendering 2
    [Please open Telegram to view this post              a document or a media-only post:
     VIEW IN TELEGRAM]                                   content withheld, rendering 1 only

Posts are named by position (1 = the first post of the dump): a dump has no ids. A photo does not
show in the text, so a photo post reads as a post without media; a video shows as its placeholder
(``media_type`` video); a document or a post that is only media is withheld (``unknown``).
Text is written so that none of the dump's known limits (docs/formats.md) applies (see ``text.py``), and
a media-only post always comes with a forward header or reply quote: without one its closing
lines would be read as the end of the post before it.
"""

from __future__ import annotations

from typing import Any

from ..core.telegram import CONTENT_WITHHELD, ELLIPSIS, FORWARD_PREFIX, MEDIA_UNSUPPORTED, VIEW_IN_TELEGRAM
from .messages import Channel, Message, Post, Ref
from .text import QUOTE
from .writer import FormatWriter, View


class TelegramTextWriter(FormatWriter):
    format_name = "telegram-text"
    suffix = ".txt"
    id_kind = "position"
    has_entities = False
    dump_safe = True
    has_groups = False

    def facts(self) -> dict[str, Any]:
        return {"channel_title": self.channels[0].title,
                "media_types": {"video": "the placeholder before a video post",
                                "unknown": "content withheld: a document, or a post that is only media"}}

    def message(self, message: Message, channel: Channel) -> str | None:
        if not isinstance(message, Post):
            return None  # the preview shows no service message, and skips what it cannot render
        lines = []
        if message.forward:
            lines.append(FORWARD_PREFIX + message.forward.name)
        elif message.reply:
            lines += [channel.title, message.excerpt + ELLIPSIS]
        media = self.view(message).media
        if media == "video":
            lines += [MEDIA_UNSUPPORTED, VIEW_IN_TELEGRAM]
        lines += [p.text for p in message.paragraphs if p.role != QUOTE]  # rendering 1
        if media == "unknown":
            lines += [CONTENT_WITHHELD, VIEW_IN_TELEGRAM]
        else:
            lines += [p.text for p in message.paragraphs[1:]]  # rendering 2
        return "\n".join(lines) + "\n"

    def key(self, ref: Post | Ref) -> int:
        return ref.index + 1

    def view(self, post: Post) -> View:
        text = "\n".join(p.text for p in post.paragraphs)
        if post.media is None:
            return View(text, None)
        if post.media.kind == "document" or not post.paragraphs:
            return View(text, "unknown")
        return View(text, "video" if post.media.kind == "video" else None)
