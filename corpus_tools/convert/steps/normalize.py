"""Normalisation steps: canonical text, then stable post ids derived from it.

Canonical text is what every later stage (ids, entities, duplicate checks) reads, so it is fixed
first: Unicode NFC (so 'é' typed two ways compares equal) and LF line ends. Whitespace is kept as
the source has it: an export's text must stay equal to the export's own text, and entity offsets
point into it. (The telegram-text reader strips the ends of its lines itself: there, trailing
spaces are scrape noise.)
"""

from __future__ import annotations

import hashlib
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


def text_post_id(channel: str, text: str) -> str:
    """The id of a post from a source without message ids: channel plus a hash of its text.

    Stable across rebuilds of the same input, and unchanged when other posts are added or removed.

    >>> text_post_id("MFARussia", "Hello")
    'MFARussia/text-1447d408fe5ddbb6'
    """
    digest = hashlib.sha256(f"{channel}\n{text}".encode()).hexdigest()
    return f"{channel}/text-{digest[:16]}"


def native_post_id(channel: str, message_id: str) -> str:
    """The id of a post whose source numbers messages: unique across channels converted together.
    ``channel`` is the channel's numeric id where known (titles change and collide), else its name."""
    return f"{channel}/{message_id}"


class AssignPostIds(Step):
    """Give every post its ``post_id``. Text-hash ids of posts whose text repeats in the same
    channel get a suffix in source order ('-2', '-3'), so ids stay unique while the duplicate
    texts remain visible to the duplicate checks."""

    name = "assign_post_ids"

    def __init__(self) -> None:
        super().__init__()
        self._issued: dict[str, int] = {}

    def process(self, post: Post) -> Post:
        if post.post_id:
            return post
        if post.message_id is not None:
            post.post_id = native_post_id(post.channel_id or post.channel, post.message_id)
            return post
        base = text_post_id(post.channel, post.text)
        seen = self._issued.get(base, 0) + 1
        self._issued[base] = seen
        post.post_id = base if seen == 1 else f"{base}-{seen}"
        if seen > 1:
            self.stats["repeated_text_suffixed"] += 1
        return post
