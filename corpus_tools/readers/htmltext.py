"""Reading HTML inputs with lxml's parser (libxml2, in C): the page as an element tree, and a message's
rich text as plain text with its entities, for the telegram-html and tme-html readers.

Markup is never matched with regular expressions: a page is parsed once into a tree, and text is
collected by walking it, ``<br>`` giving a line break and each link (by the reader's ``link_kind``)
giving a ``Span`` at its offset. Bytes that are not UTF-8 become U+FFFD, counted as elsewhere.

>>> root = parse_html(b'<div class="text">Hi<br><a href="https://x.org">there</a>, <b>you</b></div>')
>>> text, spans = rich_text(root.find(".//div"), lambda a, shown: ("text_link", a.get("href")))
>>> text, spans
('Hi\\nthere, you', [Span(kind='text_link', start=3, end=8, url='https://x.org', user_id=None)])
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..core.records import Post, Reject
from ..errors import InputError
from .base import RecordReader
from .spans import Span
from .textfile import binary_kind, check_file, decode_counting

class HtmlPageReader(RecordReader):
    """A reader of HTML pages: it tallies each record's result, and ends a page that breaks off with
    the reject saying so (see ``cut_short``)."""

    records = "messages"  # what the page holds, for the reject's reason

    def _tallied(self, source_file: str, results: Iterable[Post | Reject | str], tail: bytes) -> Iterator[Post | Reject]:
        last: Post | None = None
        for result in results:
            kept = self._tally(source_file, result)
            if kept is not None:
                yield kept
                last = kept if isinstance(kept, Post) else last
        reject = cut_short(source_file, tail, last, self.stats[source_file], records=self.records)
        if reject is not None:
            yield self._tally(source_file, reject)  # type: ignore[misc]
        self._finish(source_file)


# (kind, url) for an <a> element and the text it shows, or None when it is plain text.
LinkKind = Callable[[object, str], "tuple[str, str | None] | None"]
_SKIPPED = {"script", "style", "svg", "img", "video", "audio", "head"}


def read_html(path: Path) -> tuple[object, int, bytes]:
    """The parsed page, how many undecodable sequences were replaced, and the file's last bytes
    (readers tell a truncated copy by them; a fragment that never opened ``<html>`` passes as whole)."""
    check_file(path)
    data = path.read_bytes()
    kind = binary_kind(data[:65536])
    if kind:
        raise InputError(f"{path}: {kind}, not an HTML page")
    replaced = 0
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        text, replaced = decode_counting(data)
        data = text.encode("utf-8")
    root = parse_html(data)
    if root is None:
        raise InputError(f"{path}: not an HTML page (nothing to parse)")
    opened = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")[:15].lower().startswith((b"<!doctype html", b"<html"))
    return root, replaced, data[-512:] if opened else b"</html>"


def parse_html(data: bytes):
    """The element tree of an HTML document given as UTF-8 bytes (lxml recovers from broken markup)."""
    from lxml import etree

    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True)
    return etree.fromstring(data, parser)


def ends_whole(tail: bytes) -> bool:
    r"""Does a whole page end here, with its closing ``</html>`` (comments after it allowed)? A copy cut
    short does not. (Fragments that never opened ``<html>`` are not held to it: see ``read_html``.)

    >>> ends_whole(b"</body>\n</html>\n<!-- page generated in 275ms -->\n"), ends_whole(b"<div>cut he")
    (True, False)
    """
    end = tail.rstrip()
    while end.endswith(b"-->") and b"<!--" in end:
        end = end[:end.rindex(b"<!--")].rstrip()
    return end.lower().endswith(b"</html>")


def cut_short(source_file: str, tail: bytes, last: Post | None, stats: dict, *, records: str) -> Reject | None:
    """The reject of a page that breaks off before its end (a truncated copy), None for a whole one.
    The ``records`` before are kept, the last marked ``is_truncated``; ``stats`` says so."""
    if ends_whole(tail):
        return None
    if last is not None:
        last.is_truncated = True
    stats["truncated"] = True
    return Reject(source_file, "end of file", f"the page breaks off before </html> (a truncated copy): the {records} "
                  "before are kept, the last is marked is_truncated", tail[-200:].decode("utf-8", "replace"))


def classes(element) -> list[str]:
    """The element's classes."""
    return (element.get("class") or "").split()


def has_class(element, name: str) -> bool:
    return name in (element.get("class") or "").split()


def descendants(element, name: str, *, skip: frozenset[str] = frozenset()) -> Iterator:
    """Elements under ``element`` with class ``name``, in document order, not looking inside elements
    with a class in ``skip`` (a reply's quote, a link preview)."""
    for child in element:
        if not isinstance(child.tag, str):
            continue
        found = classes(child)
        if name in found:
            yield child
        if not skip.intersection(found):
            yield from descendants(child, name, skip=skip)


def class_index(element, *, skip: frozenset[str] = frozenset()) -> dict[str, list]:
    """Every class under ``element`` -> its elements in document order, not looking inside elements
    with a class in ``skip``: one walk for all the look-ups a reader makes in one message.

    >>> index = class_index(parse_html(b'<div><p class="a b">1</p><q class="no"><i class="a">2</i></q></div>'),
    ...                     skip=frozenset({"no"}))
    >>> [e.text for e in index["a"]], sorted(index)
    (['1'], ['a', 'b', 'no'])
    """
    index: dict[str, list] = {}
    stack = [iter(element)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        if not isinstance(child.tag, str):
            continue
        names = (child.get("class") or "").split()
        for name in names:
            index.setdefault(name, []).append(child)
        if not skip.intersection(names):
            stack.append(iter(child))
    return index


def first(element, name: str, *, skip: frozenset[str] = frozenset()):
    """The first element under ``element`` with class ``name`` (see ``descendants``), or None."""
    return next(descendants(element, name, skip=skip), None)


def plain(element) -> str:
    """An element's text, whitespace runs (the page's indentation) collapsed, ends stripped."""
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def rich_text(element, link_kind: LinkKind) -> tuple[str, list[Span]]:
    """The text an element shows, ``<br>`` as line breaks, and the spans of its links.

    Line breaks in the markup itself are the page's layout, not the text's (exporters write a text's
    line breaks as ``<br>``), so a newline that opens or closes the element, with its indentation,
    is not text.
    """
    pieces: list[str] = []
    spans: list[Span] = []
    _walk(element, pieces, spans, link_kind, [0])
    text = "".join(pieces)
    first_node = element.text or ""
    last_node = (element[-1].tail if len(element) else element.text) or ""
    lead = 1 if first_node.startswith("\n") else 0
    layout = last_node.rstrip(" \t")
    trail = len(last_node) - len(layout) + 1 if layout.endswith("\n") else 0
    if len(element) == 0 and trail and lead + trail > len(text):  # one text node that is all layout
        trail = max(0, len(text) - lead)
    spans.sort(key=lambda span: span.start)  # a link inside another ends first
    if lead or trail:
        text = text[lead:len(text) - trail]
        spans = [Span(s.kind, max(0, s.start - lead), min(len(text), s.end - lead), url=s.url, user_id=s.user_id)
                 for s in spans if s.start - lead < len(text)]
    return text, spans


def _walk(element, pieces: list[str], spans: list[Span], link_kind: LinkKind, length: list[int]) -> None:
    if element.text:
        _add(pieces, length, element.text)
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "br":
            _add(pieces, length, "\n")
        elif tag and tag not in _SKIPPED:
            start, first_piece = length[0], len(pieces)
            _walk(child, pieces, spans, link_kind, length)
            if tag == "a" and length[0] > start:
                kind = link_kind(child, "".join(pieces[first_piece:]))
                if kind is not None:
                    spans.append(Span(kind[0], start, length[0], url=kind[1]))
        if child.tail:
            _add(pieces, length, child.tail)


def _add(pieces: list[str], length: list[int], text: str) -> None:
    pieces.append(text)
    length[0] += len(text)
