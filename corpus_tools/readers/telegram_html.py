"""Reader for Telegram Desktop's HTML "Export chat history" (format ``telegram-html``): the pages
``messages.html``, ``messages2.html``, ... of one chat, given one by one or as the export's folder
(``pages`` puts them in page order). Message by message conversion is in ``telegram_html_message``.

Facts of the format this relies on (Telegram Desktop writes it, 1000 messages a page, in English):
- ``div.page_header .text`` names the chat; ``div.history`` holds the messages in order, and
  ``a.pagination`` links name the page before and after;
- ``div.message.service`` is a service message (channel created, pinned, a forum topic created); one
  with a negative id is the day header the export puts between days, not a message;
- ``div.message.default`` is a message, its id in ``id="messageN"``; ``joined`` ones omit the sender,
  which is the previous message's (never across pages: each page starts with a full message).

A page whose links name a page that is not beside it is missing a page: the link is a reject naming
the missing page. A page that ends before ``</html>`` is a truncated copy: its messages are kept, the
last marked ``is_truncated``, and the break is a reject.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..core.records import Post, Reject
from ..errors import InputError
from .base import ReaderOptions, Shard
from .detect import Head
from .htmltext import HtmlPageReader, classes, first, plain, read_html
from .telegram_html_message import Page, convert_message
from .topics import Topics

_PAGE = re.compile(r"messages(\d*)\.html")  # a page's file name (not markup)


def page_number(path: Path) -> int | None:
    """The number of an export page from its file name: messages.html is 1, messagesN.html is N."""
    match = _PAGE.fullmatch(path.name)
    return None if match is None else int(match.group(1) or 1)


def pages(folder: Path) -> list[Path]:
    """The pages of the HTML export in ``folder``, in page order (messages10.html after messages9.html)."""
    found = [path for path in folder.iterdir() if path.is_file() and page_number(path) is not None]
    return sorted(found, key=lambda path: page_number(path) or 0)


class TelegramHtmlReader(HtmlPageReader):
    """Posts from the pages of a Telegram Desktop HTML export."""

    format_name = "telegram-html"

    def __init__(self, options: ReaderOptions | None = None) -> None:
        super().__init__(options)
        self.topics = Topics()
        self._missing: set[Path] = set()  # pages already reported missing

    @classmethod
    def recognises(cls, head: Head, options: ReaderOptions) -> bool:
        """An HTML page with the export's page wrapper and message history (or its first message)."""
        return head.kind == "html" and b'class="page_wrap"' in head.data and (
            b'class="history"' in head.data or b'class="message ' in head.data)

    def read(self, path: Path, source_file: str, shard: Shard | None = None) -> Iterator[Post | Reject]:
        root, replaced, tail = read_html(path)
        history = first(root, "history")
        if history is None:
            raise InputError(f"{path}: an HTML page, but not a page of a Telegram Desktop export (no div.history)")
        self._usage(source_file)
        self.stats[source_file]["replaced_characters"] = replaced
        title = _chat_name(root)
        page = Page(chat=self.options.channel or title or path.stem, source_file=source_file, title=title,
                    zone=self.options.tz, topics=self.topics)
        yield from self._tallied(source_file, self._records(history, page, path), tail)

    def _records(self, history, page: Page, path: Path) -> Iterator[Post | Reject | str]:
        """The outcome of every message of the page, and a reject for each page its links name that is
        missing."""
        for element in history:
            if not isinstance(element.tag, str):
                continue
            found = classes(element)
            if "pagination" in found:
                reject = self._missing_page(path, element, page.source_file)
                if reject is not None:
                    yield reject
            elif "message" in found:
                result = convert_message(element, found, page)
                if result is not None:
                    yield result

    def _missing_page(self, path: Path, link, source_file: str) -> Reject | None:
        """A reject when the page a pagination link names is not beside this one (once per page)."""
        target = (link.get("href") or "").split("#")[0]
        if not target or page_number(Path(target)) is None:
            return None
        other = (path.parent / target).resolve()
        if other.is_file() or other in self._missing:
            return None
        self._missing.add(other)
        return Reject(source_file, f"link to {target} ({plain(link)})",
                      f"page {target} of this export is missing beside {path.name}: the messages it holds are not "
                      f"in the dataset", target)


def _chat_name(root) -> str | None:
    header = first(root, "page_header")
    name = plain(first(header, "text")) if header is not None else ""
    return name or None
