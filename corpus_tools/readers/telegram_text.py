"""Reader for flat-text dumps of Telegram's public web preview (format ``telegram-text``).

A dump (one ``t.me/s/CHANNEL`` page saved as plain text) has no post boundaries, ids or timestamps,
and shows every post twice: rendering 1 is the headline plus the body without its quoted passages,
rendering 2 the body without the headline but with the quotes. Posts are recovered by aligning the
two renderings: a post's first rendering runs until a substantial line repeats one already seen in
it (the second rendering starts there), and the second rendering runs while its lines keep matching
the first, in order, allowing lines only one rendering has. The post's text is the ordered union of
both renderings, so nothing either shows is lost and nothing appears twice.

Markers the preview adds around posts:
- ``Forwarded from NAME`` opens a forwarded post;
- a channel title line followed by a line ending in '…' is the reply quote of the next post;
- ``This media is not supported in your browser`` + ``VIEW IN TELEGRAM`` stands where the next
  post's video is;
- ``Please open Telegram to view this post`` + ``VIEW IN TELEGRAM`` closes a post whose content
  the preview withheld.
The interface strings never enter post text; the post is marked ``has_media`` instead.
"""

from __future__ import annotations

import bisect
import difflib
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..core.records import LineUsage, Post, Reject
from ..core.telegram import (
    CONTENT_WITHHELD,
    ELLIPSIS,
    FORWARD_PREFIX,
    INTERFACE_STRINGS,
    LOST_LINK_LABELS,
    MEDIA_UNSUPPORTED,
    VIEW_IN_TELEGRAM,
)
from ..errors import InputError
from .base import Reader, ReaderOptions, Shard
from .detect import Head, content_kind
from .textfile import read_text

# Lines too common to mark where a second rendering starts: section dividers, the channel's own
# ellipsis and link labels recur inside one rendering.
_NOT_ANCHORS = {"***", "<...>", *LOST_LINK_LABELS}
_ANCHOR_MIN_CHARS = 16
_TITLE_MAX_CHARS = 80
_EVIDENCE_LINES = 8  # how far to look for evidence that a second rendering has started


def _key(line: str) -> str:
    """Comparison form of a line: NFC, whitespace runs collapsed, ends stripped."""
    return unicodedata.normalize("NFC", " ".join(line.split()))


def _strip_decoration(key: str) -> str:
    """The line without leading emoji or symbols ('📎Read in full' -> 'Read in full')."""
    i = 0
    while i < len(key) and not key[i].isalnum():
        i += 1
    return key[i:]


@dataclass
class _Segment:
    """The lines of one post (or of one rejected fragment) and what they were found to be."""

    start: int
    end: int = 0
    forwarded_from: str | None = None
    reply: tuple[str, str] | None = None
    media_placeholder: bool = False
    closed: bool = False  # ended by 'Please open Telegram to view this post'
    first: list[int] = field(default_factory=list)
    second: list[int] = field(default_factory=list)
    first_exhausted: bool = False  # the second rendering reached the first's last line

    @property
    def has_preamble(self) -> bool:
        return bool(self.forwarded_from or self.reply or self.media_placeholder)


class _Dump:
    """The lines of one dump with the look-ups segmentation needs."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.keys = [_key(line) for line in lines]
        self.n = len(lines)
        self.next_same = [self.n] * self.n  # index of the next line with the same key
        last: dict[str, int] = {}
        for i in range(self.n - 1, -1, -1):
            self.next_same[i] = last.get(self.keys[i], self.n)
            last[self.keys[i]] = i

    # --- what a line is -------------------------------------------------------------------
    def blank(self, i: int) -> bool:
        return not self.keys[i]

    def forward(self, i: int) -> bool:
        k = self.keys[i]
        return k.startswith(FORWARD_PREFIX) and len(k) > len(FORWARD_PREFIX)

    def media(self, i: int) -> bool:
        return self.keys[i] == MEDIA_UNSUPPORTED

    def closer(self, i: int) -> bool:
        return self.keys[i] in (CONTENT_WITHHELD, VIEW_IN_TELEGRAM)

    def reply_quote(self, i: int) -> bool:
        """A short title line followed by a line ending in '…' (the excerpt)."""
        if i + 1 >= self.n:
            return False
        title, excerpt = self.keys[i], self.keys[i + 1]
        return (
            0 < len(title) <= _TITLE_MAX_CHARS
            and not title.endswith((ELLIPSIS, ".", ",", ";", ":", "!", "?"))
            and excerpt.endswith(ELLIPSIS)
            and not self.forward(i)
            and title not in INTERFACE_STRINGS
        )

    def hard_stop(self, i: int) -> bool:
        """Lines no rendering runs through: they end the post before them."""
        return self.forward(i) or self.media(i) or self.closer(i) or self.reply_quote(i)

    def anchor(self, i: int) -> bool:
        k = self.keys[i]
        return len(k) >= _ANCHOR_MIN_CHARS and _strip_decoration(k) not in _NOT_ANCHORS


def _find(where: dict[str, list[int]], key: str, start: int) -> int | None:
    """First position >= start at which ``key`` occurs in a rendering, or None."""
    positions = where.get(key)
    if not positions:
        return None
    j = bisect.bisect_left(positions, start)
    return positions[j] if j < len(positions) else None


class _Segmenter:
    """Cuts a dump into segments, one per post, recording how each line was used."""

    def __init__(self, dump: _Dump) -> None:
        self.d = dump

    def segments(self) -> Iterator[_Segment]:
        d, i = self.d, 0
        while i < d.n:
            if d.blank(i):
                i += 1
                continue
            seg = _Segment(start=i)
            i = self._preamble(seg, i)
            i = self._first_rendering(seg, i)
            if seg.first and i < d.n and not d.hard_stop(i):
                i = self._second_rendering(seg, i)
            i = self._closers(seg, i)
            seg.end = i
            yield seg

    def _preamble(self, seg: _Segment, i: int) -> int:
        """Forward header, reply quote and media placeholder, each at most once, in that order."""
        d = self.d
        if i < d.n and d.forward(i):
            seg.forwarded_from = d.keys[i][len(FORWARD_PREFIX):]
            i += 1
        if i < d.n and d.reply_quote(i):
            seg.reply = (d.keys[i], d.keys[i + 1])
            i += 2
        if i < d.n and d.media(i):
            seg.media_placeholder = True
            i += 2 if i + 1 < d.n and d.keys[i + 1] == VIEW_IN_TELEGRAM else 1
        return i

    def _first_rendering(self, seg: _Segment, i: int) -> int:
        d, first = self.d, seg.first
        where: dict[str, list[int]] = defaultdict(list)
        while i < d.n and not d.hard_stop(i):
            if d.blank(i):
                i += 1
                continue
            if first and d.anchor(i) and self._second_starts(where, i, len(first)):
                return self._back_extend(first, where, i)
            where[d.keys[i]].append(len(first))
            first.append(i)
            i += 1
        return i

    def _second_starts(self, where: dict[str, list[int]], x: int, first_len: int) -> bool:
        """Does the second rendering start at ``x``, whose line repeats one of the first rendering?

        A substantial line can also repeat inside one rendering, so look at what follows, up to the
        first decisive line: one matching the rest of the first rendering in order confirms the
        second rendering; a new line that repeats further on is still first-rendering material (it
        will reappear in this post's second rendering), so the repeat was inside the first. Lines
        that decide nothing (quoted passages, which appear once) are passed over. When the repeated
        line is the first rendering's last, what follows is the next post and proves nothing.
        """
        d = self.d
        p = _find(where, d.keys[x], 0)
        if p is None:
            return False
        if p == first_len - 1:
            return True  # it repeats the first rendering's last line: nothing is left to confirm it
        z = x + 1
        while z < min(d.n, x + 1 + _EVIDENCE_LINES) and not d.hard_stop(z):
            if d.anchor(z):
                if _find(where, d.keys[z], p + 1) is not None:
                    return True
                if d.keys[z] not in where and d.next_same[z] < d.n:
                    return False
            z += 1
        return True

    def _back_extend(self, first: list[int], where: dict[str, list[int]], x: int) -> int:
        """Move the start of the second rendering back over short lines it shares with the first
        ('Friends,' before the first long line), which could not serve as anchors. Dividers and
        link labels are not moved: they recur inside one rendering ('Read in full' after the
        headline and again at the end), so a repeat of one is no sign of the second rendering."""
        d = self.d
        p = _find(where, d.keys[x], 0)
        assert p is not None
        while (
            p >= 1
            and len(first) - 1 > p
            and d.keys[first[-1]] == d.keys[first[p - 1]]
            and _strip_decoration(d.keys[first[-1]]) not in _NOT_ANCHORS
        ):
            x = first.pop()
            p -= 1
        return x

    def _second_rendering(self, seg: _Segment, i: int) -> int:
        d, first = self.d, seg.first
        where: dict[str, list[int]] = defaultdict(list)
        for pos, line in enumerate(first):
            where[d.keys[line]].append(pos)
        ptr = 0
        while i < d.n and not d.hard_stop(i):
            if d.blank(i):
                i += 1
                continue
            p = _find(where, d.keys[i], ptr)
            if p is None and (ptr >= len(first) or not self._resumes(where, ptr, i)):
                break
            if p is not None:
                ptr = p + 1
            seg.second.append(i)
            i += 1
        seg.first_exhausted = ptr >= len(first)
        return i

    def _resumes(self, where: dict[str, list[int]], ptr: int, y: int) -> bool:
        """Is the unmatched line ``y`` a quoted passage inside the second rendering, rather than the
        headline of the next post? Look ahead to the next substantial line: if it matches what is
        left of the first rendering, the rendering resumes; if it repeats later (as the next post's
        body does in that post's second rendering), a new post has begun."""
        d = self.d
        z = y + 1
        while z < d.n and not d.hard_stop(z):
            if d.anchor(z):
                if _find(where, d.keys[z], ptr) is not None:
                    return True
                if d.next_same[z] < d.n:
                    return False
            z += 1
        return False

    def _closers(self, seg: _Segment, i: int) -> int:
        d = self.d
        while i < d.n and (d.closer(i) or (seg.closed and d.blank(i))):
            seg.closed = True
            i += 1
        return i


def merge_renderings(first: list[str], second: list[str]) -> list[int | tuple[int]]:
    """Ordered union of two renderings, as positions: ``i`` for first[i], ``(j,)`` for second[j].

    Lines both renderings share are taken once. Where each has lines the other lacks at the same
    place, the second rendering's (quoted passages, which follow the line introducing them) come
    first, except before the headline, which always opens the post.
    """
    out: list[int | tuple[int]] = []
    matcher = difflib.SequenceMatcher(None, first, second, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        ours, theirs = list(range(i1, i2)), [(j,) for j in range(j1, j2)]
        if tag == "equal" or tag == "delete":
            out.extend(ours)
        elif tag == "insert":
            out.extend(theirs)
        elif i1 == 0:
            out.extend(ours + theirs)
        else:
            out.extend(theirs + ours)
    return out


class TelegramTextReader(Reader):
    """Posts from a flat-text dump of Telegram's web preview. Needs ``channel``: dumps don't name it."""

    format_name = "telegram-text"

    @classmethod
    def recognises(cls, head: Head, options: ReaderOptions) -> bool:
        """Any other text: a dump has no header to tell it by (its reader checks for the two renderings)."""
        return head.kind == "text"

    def read(self, path: Path, source_file: str, shard: Shard | None = None) -> Iterator[Post | Reject]:
        if not self.channel:
            raise InputError(f"{path}: telegram-text dumps do not name their channel; pass {{channel}}",
                             options=["channel"])
        text, replaced = read_text(path)
        _refuse_other_formats(path, text)
        lines = text.split("\n")
        if text.endswith("\n"):
            lines.pop()
        dump = _Dump(lines)
        segments = list(_Segmenter(dump).segments())
        if segments and not any(s.second or s.has_preamble or s.closed for s in segments):
            raise InputError(
                f"{path}: does not look like a telegram-text dump "
                "(no post appears in the two renderings of Telegram's web preview)"
            )
        usage = LineUsage()
        records = [self._record(dump, s, source_file, usage) for s in segments]
        if segments and segments[-1].end >= dump.n:
            _mark_truncated(records[-1], segments[-1], ends_with_newline=text.endswith("\n"))
        usage.add("blank", sum(1 for i in range(dump.n) if dump.blank(i)))
        self.stats[source_file] = {"lines": dump.n, "line_usage": usage.as_dict(), "replaced_characters": replaced}
        yield from records

    def _record(self, d: _Dump, seg: _Segment, source_file: str, usage: LineUsage) -> Post | Reject:
        used = [i for i in range(seg.start, seg.end) if not d.blank(i)]
        location = _lines_location(used[0] + 1, used[-1] + 1)
        has_media = seg.media_placeholder or seg.closed
        if not seg.first and not has_media:
            usage.add("rejected", len(used))
            return Reject(source_file, location, _reject_reason(seg), "\n".join(d.lines[i] for i in used))
        preamble = (1 if seg.forwarded_from else 0) + (2 if seg.reply else 0)
        first_keys = [d.keys[i] for i in seg.first]
        merged = merge_renderings(first_keys, [d.keys[i] for i in seg.second])
        body = [seg.first[m] if isinstance(m, int) else seg.second[m[0]] for m in merged]
        usage.add("forward_header", 1 if seg.forwarded_from else 0)
        usage.add("reply_quote", 2 if seg.reply else 0)
        usage.add("post_text", len(body))
        usage.add("merged_duplicate", len(seg.first) + len(seg.second) - len(body))
        usage.add("interface_string", len(used) - preamble - len(seg.first) - len(seg.second))
        text_lines = [d.lines[i].strip() for i in body]
        return Post(
            channel=self.channel or "",
            text="\n".join(text_lines),
            source_file=source_file,
            forwarded_from=seg.forwarded_from,
            reply_to_author=seg.reply[0] if seg.reply else None,
            reply_to_excerpt=seg.reply[1] if seg.reply else None,
            has_media=has_media,
            # The preview's placeholder stands for a video it cannot play; withheld content is unnamed.
            media_type="video" if seg.media_placeholder else ("unknown" if seg.closed else None),
            source_line_start=used[0] + 1,
            source_line_end=used[-1] + 1,
        )


def _mark_truncated(record: Post | Reject, seg: _Segment, *, ends_with_newline: bool) -> None:
    """The dump was cut inside its last post when the file stops mid-line or before that post's
    second rendering caught up with its first (unless the preview itself closed the post)."""
    cut = not ends_with_newline or not seg.second or not seg.first_exhausted
    if isinstance(record, Post) and not seg.closed and cut:
        record.is_truncated = True


def _reject_reason(seg: _Segment) -> str:
    found = [name for name, present in (
        ("forward header", seg.forwarded_from), ("reply quote", seg.reply),
        ("media placeholder", seg.media_placeholder)) if present]
    if found:
        return f"{' and '.join(found)} with no post after it"
    return "interface string outside any post"


def _lines_location(first: int, last: int) -> str:
    return f"line {first}" if first == last else f"lines {first}-{last}"


_LOOKS_LIKE = {"json-object": "JSON (a Telegram Desktop export?)", "json-array": "JSON (a Telegram Desktop export?)",
               "html": "HTML (a saved page or an HTML export)", "xml": "XML"}


def _refuse_other_formats(path: Path, text: str) -> None:
    """Name the format of a file that is plainly not a dump, rather than misparse it."""
    kind = content_kind(text[:200].encode())
    if kind in _LOOKS_LIKE:
        raise InputError(f"{path}: looks like {_LOOKS_LIKE[kind]}, not a telegram-text dump")
