"""What every synthetic-format writer is: strings for the file's start, each channel, each
message and the end, plus how the truth file names a post in that format.

The runner concatenates the strings as they come, so a writer never holds more than one message.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, ClassVar

from .messages import Channel, Message, Post, Ref, Segment
from .persons import Cast
from .text import Paragraph, Part


@dataclass(frozen=True, slots=True)
class View:
    """A post as a reader of the format can see it: its text and the media kind it can tell."""

    text: str
    media: str | None


class FormatWriter:
    """Base class: subclasses set ``format_name`` and implement ``message`` and ``view``."""

    format_name: ClassVar[str] = ""
    suffix: ClassVar[str] = ""
    id_kind: ClassVar[str] = "message_id"  # how the truth file names posts: their message id
    has_entities: ClassVar[bool] = True  # whether the format marks entities (the truth counts them)
    dump_safe: ClassVar[bool] = False  # whether posts must be representable in a flat-text dump
    has_groups: ClassVar[bool] = True  # whether the format can hold group chats (``--chat group``)
    account_export: ClassVar[bool] = False  # whether several chats make a full-account export

    def __init__(self, channels: list[Channel], cast: Cast | None = None) -> None:
        self.channels = channels
        self.cast = cast  # the persons of group chats; None for channels

    def start(self) -> str:
        return ""

    def begin_channel(self, channel: Channel) -> str:
        return ""

    def begin_segment(self, segment: Segment) -> None:
        """Called before a segment's messages (a writer may be rendering any one segment)."""

    def message(self, message: Message, channel: Channel) -> str | None:
        """The message as this format writes it, or None when the format does not show it."""
        raise NotImplementedError

    def end_channel(self, channel: Channel) -> str:
        return ""

    def end(self) -> str:
        return ""

    def key(self, ref: Post | Ref) -> int:
        return ref.id

    def facts(self) -> dict[str, Any]:
        """What a reader of this format must know, for the truth file."""
        return {}

    def view(self, post: Post) -> View:
        return View(post.text, post.media.kind if post.media else None)


def flatten(paragraphs: tuple[Paragraph, ...], sep: str) -> list[Part]:
    """The post's parts with paragraph separators in, adjacent plain strings merged.

    >>> from corpus_tools.synth.text import paragraph
    >>> flatten((paragraph("headline", ("Hi",)), paragraph("body", ("See ", ("hashtag", "#x", None)))), "\\n")
    ['Hi\\nSee ', ('hashtag', '#x', None)]
    """
    out: list[Part] = []
    for i, paragraph in enumerate(paragraphs):
        parts = paragraph.parts if not i else (sep, *paragraph.parts)
        for part in parts:
            if isinstance(part, str) and out and isinstance(out[-1], str):
                out[-1] += part
            else:
                out.append(part)
    return out


def utc_iso(timestamp: int) -> str:
    """'2024-01-01T00:00:00+00:00': an instant as Telethon's ``to_json`` writes datetimes."""
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(timestamp))


def local_iso(timestamp: int, offset: int) -> str:
    """'2024-01-01T03:00:00': wall-clock time at ``offset`` seconds east of UTC, with no offset
    written, as Telegram Desktop exports write ``date``."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(timestamp + offset))
