"""Entities that exports mark in a post's text (hashtags, mentions, links), as the Post's lists.

Exports mark entities by position: Telegram Desktop by splitting the text into parts, Telethon by
offset and length in UTF-16 code units. Readers turn them into ``Span`` objects with code-point
offsets into the text, and ``attach`` turns those into the post's hashtags, mentions and links.
Text must be NFC in the tables; if NFC changes the text, each span is found again in the
normalised text, in order, so offsets stay true.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace

from ..core.records import Link, Mention, Post

HASHTAG_KINDS = {"hashtag"}
MENTION_KINDS = {"mention", "mention_name"}
LINK_KINDS = {"link", "url", "text_link"}


@dataclass(frozen=True)
class Span:
    """An entity over ``text[start:end]``; ``url`` for text links, ``user_id`` for mentions by name."""

    kind: str
    start: int
    end: int
    url: str | None = None
    user_id: str | None = None


def utf16_offsets(text: str) -> list[int]:
    """Map UTF-16 code-unit offsets to code-point offsets: ``result[u]`` is the index of the code
    point at unit ``u`` (characters beyond the Basic Multilingual Plane take two units).

    >>> m = utf16_offsets("😀a")
    >>> m[2], m[3]
    (1, 2)
    """
    mapping = []
    for index, char in enumerate(text):
        mapping.append(index)
        if ord(char) > 0xFFFF:
            mapping.append(index)
    mapping.append(len(text))
    return mapping


def nfc_with_spans(text: str, spans: list[Span]) -> tuple[str, list[Span]]:
    """NFC text and spans that still cover the same entities; unfound spans are dropped."""
    if unicodedata.is_normalized("NFC", text):
        return text, spans
    normal = unicodedata.normalize("NFC", text)
    moved, position = [], 0
    for span in spans:
        piece = unicodedata.normalize("NFC", text[span.start:span.end])
        found = normal.find(piece, position) if piece else -1
        if found >= 0:
            moved.append(replace(span, start=found, end=found + len(piece)))
            position = found + len(piece)
    return normal, moved


def attach(post: Post, spans: list[Span]) -> None:
    """Fill the post's hashtags, mentions and links from spans over ``post.text``."""
    text = post.text
    post.hashtags, post.mentions, post.links = [], [], []
    for span in spans:
        shown = text[span.start:span.end]
        if span.kind in HASHTAG_KINDS and shown.startswith("#") and len(shown) > 1:
            post.hashtags.append((span.start, shown[1:]))
        elif span.kind == "mention" and shown.startswith("@"):
            post.mentions.append(Mention(span.start, shown, username=shown[1:]))
        elif span.kind == "mention_name" and shown:
            post.mentions.append(Mention(span.start, shown, user_id=span.user_id))
        elif span.kind in LINK_KINDS and shown:
            url = span.url or shown
            post.links.append(Link(url=url, label=shown if shown != url else None, offset=span.start))
