"""Reader for saved pages of Telegram's public web preview, ``t.me/s/CHANNEL`` (format ``tme-html``):
one or many pages, of one or several channels. Post by post conversion is in ``tme_post``.

Each post is a ``div.tgme_widget_message`` whose ``data-post`` is 'CHANNEL/ID' (its ``data-view``
carries the channel's numeric id, used for post ids when present). Service messages (channel
created, pinned) are counted, not posted. A post saved in two pages (pages overlap as the preview
scrolls) is given once, from the first input that holds it; the others count as ``repeated``.
A page with no post, or HTML of another site, is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..core.records import Post, Reject
from ..errors import InputError
from .base import ReaderOptions, Shard
from .detect import Head
from .htmltext import HtmlPageReader, has_class, read_html
from .tme_post import convert_post

_MARKS = (b"tgme_widget_message", b"tgme_channel_info", b"tgme_page")


class TmeHtmlReader(HtmlPageReader):
    """Posts from saved t.me/s pages."""

    format_name = "tme-html"
    records = "posts"

    def __init__(self, options: ReaderOptions | None = None) -> None:
        super().__init__(options)
        self._seen: set[str] = set()  # 'CHANNEL/ID' of the posts given so far, across inputs

    @classmethod
    def recognises(cls, head: Head, options: ReaderOptions) -> bool:
        """An HTML page with the web preview's widget classes."""
        return head.kind == "html" and any(b'class="' + mark in head.data for mark in _MARKS)

    def read(self, path: Path, source_file: str, shard: Shard | None = None) -> Iterator[Post | Reject]:
        root, replaced, tail = read_html(path)
        posts = [element for element in root.iterfind(".//div[@data-post]") if has_class(element, "tgme_widget_message")]
        if not posts:
            what = "a t.me/s page with no posts" if _is_tme(root) else "an HTML page, but not a saved t.me/s page"
            raise InputError(f"{path}: {what} (no div.tgme_widget_message[data-post])")
        self._usage(source_file)
        self.stats[source_file]["replaced_characters"] = replaced
        results = (convert_post(element, options=self.options, source_file=source_file, seen=self._seen)
                   for element in posts)
        yield from self._tallied(source_file, results, tail)


def _is_tme(root) -> bool:
    """Does the page carry the web preview's marks (its channel header, or widget classes)?"""
    return any(cls.startswith("tgme_") for element in root.iter() if isinstance(element.tag, str)
               for cls in (element.get("class") or "").split())

