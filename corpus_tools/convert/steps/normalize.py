"""Normalisation: canonical text, which every later step (ids, entities, duplicate checks) reads.

Canonical text is what every later stage (ids, entities, duplicate checks) reads, so it is fixed
first: Unicode NFC (so 'é' typed two ways compares equal) and LF line ends. Whitespace is kept as
the source has it: an export's text must stay equal to the export's own text, and entity offsets
point into it. (The telegram-text reader strips the ends of its lines itself: there, trailing
spaces are scrape noise.)
"""

from __future__ import annotations

import unicodedata

from ...core.records import Post
from .base import Step


def canonical_text(text: str) -> str:
    r"""NFC with LF line ends.

    >>> canonical_text("Cafe\u0301\r\nok ")
    'Café\nok '
    """
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def nfc(value: str | None) -> str | None:
    return None if value is None else unicodedata.normalize("NFC", value)


class NormalizeText(Step):
    """Canonical text and NFC for every free-text field."""

    name = "normalize_text"

    def process(self, post: Post) -> Post:
        text = canonical_text(post.text)
        if text != post.text:
            self.stats["text_changed"] += 1
        post.text = text
        post.channel = nfc(post.channel) or post.channel
        post.forwarded_from = nfc(post.forwarded_from)
        post.reply_to_author = nfc(post.reply_to_author)
        post.reply_to_excerpt = nfc(post.reply_to_excerpt)
        return post
