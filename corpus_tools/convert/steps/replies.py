"""Resolving reply quotes to the posts they answer.

A text dump shows a reply as the answered post's author and a cut excerpt ("◾️ On April 4, 1949,
... Over time,…"), not its id. The answered post is an earlier one whose text starts with the
excerpt once line breaks are read as spaces (the preview joins paragraphs) and the ellipsis dropped.
Only posts without message ids are indexed: sources with ids carry the reply id itself.
"""

from __future__ import annotations

from ...core.records import Post
from ...core.telegram import ELLIPSIS
from .base import Step

_KEY_CHARS = 24  # excerpts are indexed by their first characters, then compared in full
_KEPT_CHARS = 512  # excerpts the preview shows are far shorter


def _flat(text: str) -> str:
    return " ".join(text.split())


def excerpt_prefix(excerpt: str) -> str:
    """The part of an excerpt the answered post must start with.

    >>> excerpt_prefix("Since its inception, this\\n alliance has,…")
    'Since its inception, this alliance has,'
    """
    return _flat(excerpt).removesuffix(ELLIPSIS).rstrip()


class ResolveReplies(Step):
    """Fill ``reply_to_post_id`` from ``reply_to_excerpt`` with the latest earlier matching post."""

    name = "resolve_replies"

    def __init__(self) -> None:
        super().__init__()
        self._index: dict[str, list[tuple[str, str]]] = {}  # first chars -> [(start of text, post_id)]

    def process(self, post: Post) -> Post:
        if post.reply_to_excerpt and not post.reply_to_post_id:
            post.reply_to_post_id = self._lookup(excerpt_prefix(post.reply_to_excerpt))
            self.stats["resolved" if post.reply_to_post_id else "unresolved"] += 1
        if post.message_id is None and post.post_id:
            start = _flat(post.text)[:_KEPT_CHARS]
            self._index.setdefault(start[:_KEY_CHARS], []).append((start, post.post_id))
        return post

    def _lookup(self, prefix: str) -> str | None:
        if not prefix:
            return None
        if len(prefix) >= _KEY_CHARS:
            candidates = self._index.get(prefix[:_KEY_CHARS], [])
        else:
            candidates = [c for group in self._index.values() for c in group]
        wanted = prefix[:_KEPT_CHARS]
        for start, post_id in reversed(candidates):
            if start.startswith(wanted):
                return post_id
        return None
