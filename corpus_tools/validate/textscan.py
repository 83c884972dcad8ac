"""The posts' text, read once in batches and cut into words: what the text checks share.

The text column is the bulk of a corpus (about 600 MB for a million posts), so it is never held whole
and never handed to pandas or GX: ``text_batches`` streams it from Parquet in row groups, and each
text check runs a compiled loop (numba) over the raw UTF-8 bytes of a batch. Plain numpy would need a
dozen passes over the bytes to find words, and pyarrow's splitting and Unicode kernels are several
times slower than one loop (benchmarks/validate_scale.py measures both): the loop is what keeps the
text checks of a million posts a small part of validating them.

A word is a run of letters, digits and combining marks (Unicode categories L, N, M; outside the Basic
Multilingual Plane everything but emoji and tag characters counts as a letter), compared lower-cased:
"Read in full." and "read IN full" are the same three words. Each word is kept as a 64-bit hash and its
length in characters, which is all the repetition and near-duplicate checks need.

>>> import pyarrow as pa
>>> batch = TextBatch(pa.array(["Read in full.", None, "Ça va"]), start=0)
>>> batch.words.counts().tolist(), batch.visible_chars.tolist()
([3, 0, 2], [11, 0, 4])
"""

from __future__ import annotations

import functools
import os
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numba
import numpy as np
import pyarrow as pa

from ..core.batches import batches
from ..core.telegram import INTERFACE_STRINGS

# numba's OpenMP threading layer takes two orders of magnitude longer than its workqueue layer to start
# each parallel loop, longer than scanning a small batch. The checks call numba from one thread only,
# which is all workqueue requires. NUMBA_THREADING_LAYER, when set, still decides.
if "NUMBA_THREADING_LAYER" not in os.environ:
    numba.config.THREADING_LAYER = "workqueue"

WORD, SPACE, NFC_UNSAFE = 1, 2, 4
BATCH_ROWS = 16_384
_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)


@functools.cache
def unicode_tables() -> tuple[np.ndarray, np.ndarray]:
    """Per code point of the Basic Multilingual Plane: flags (WORD, SPACE, NFC_UNSAFE) and lower case.

    NFC_UNSAFE marks every character that can make a text not NFC: one NFC changes, one with a
    non-zero combining class, or one that composes with the character before it (the trailing parts
    of canonical decompositions, and Hangul vowel and final jamo). A text without them is NFC; one
    with them is checked exactly by ``unicodedata.is_normalized``.
    """
    trailing = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))
    for cp in range(0x10000):
        parts = unicodedata.decomposition(chr(cp)).split()
        if len(parts) > 1 and not parts[0].startswith("<"):
            trailing.update(int(p, 16) for p in parts[1:])
    flags = np.zeros(0x10000, np.uint8)
    lower = np.arange(0x10000, dtype=np.int32)
    for cp in range(0x10000):
        ch = chr(cp)
        flags[cp] = (WORD * (unicodedata.category(ch)[0] in "LNM") + SPACE * ch.isspace()
                     + NFC_UNSAFE * (cp in trailing or unicodedata.combining(ch) != 0
                                     or (0xD800 <= cp < 0xE000) or unicodedata.normalize("NFC", ch) != ch))
        folded = ch.lower()
        if len(folded) == 1:
            lower[cp] = ord(folded)
    return flags, lower


@numba.njit(inline="always")
def mix64(z):
    """splitmix64's finaliser: spreads every input bit over the whole hash."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


@numba.njit(inline="always")
def decode(data, i, end):
    """The code point starting at byte ``i`` and its width; a malformed byte reads as U+FFFD, width 1."""
    b = data[i]
    if b < 0x80:
        return np.int64(b), 1
    width = 2 if b >> 5 == 0b110 else 3 if b >> 4 == 0b1110 else 4 if b >> 3 == 0b11110 else 0
    if width == 0 or i + width > end:
        return np.int64(0xFFFD), 1
    cp = np.int64(b & (0x7F >> width))
    for k in range(1, width):
        c = data[i + k]
        if c >> 6 != 0b10:
            return np.int64(0xFFFD), 1
        cp = (cp << 6) | (c & 0x3F)
    return cp, width


@numba.njit(inline="always")
def char_flags(cp, flags):
    if cp < 0x10000:
        return flags[cp]
    if 0x1F000 <= cp < 0x20000:  # emoji and pictographs: neither words nor a risk to NFC
        return 0
    if 0xE0000 <= cp < 0xE0080:  # tag characters (flag sequences)
        return NFC_UNSAFE
    return WORD | NFC_UNSAFE


@numba.njit(inline="always")
def _found(data, i, end, patterns, lengths):
    """1 + the index of the first pattern that starts at byte ``i``, or 0."""
    for k in range(lengths.size):
        if data[i] == patterns[k, 0] and i + lengths[k] <= end:
            j = 1
            while j < lengths[k] and data[i + j] == patterns[k, j]:
                j += 1
            if j == lengths[k]:
                return k + 1
    return 0


@numba.njit(inline="always")
def _emit(hashes, chars, at, h, n):
    hashes[at], chars[at] = mix64(h), n


@numba.njit(inline="always")
def _step(h, value):
    return (h ^ value) * _FNV_PRIME


@numba.njit(cache=True)
def _scan_text(data, i, end, slot, tables, out):
    """Scan one text (bytes ``i``..``end``): write its words, lines and paragraphs from ``slot`` on, and
    return (words, lines, paragraphs, characters, non-space characters, 1 + interface string, hash, doubt).

    Only words and lines are hashed character by character; a paragraph's hash is built from its lines'
    and the text's from its lines' and the runs of newlines between them, which determine the text.
    """
    flags, lower, patterns, lengths, starts = tables
    word_h, word_c, line_h, line_c, para_h, para_c = out
    first = i
    th, wh, lh, ph = _FNV_OFFSET, _FNV_OFFSET, _FNV_OFFSET, _FNV_OFFSET
    wn, ln, pn, newlines, words, lines, paras = 0, 0, 0, 0, 0, 0, 0
    chars, visible, found, doubt = 0, 0, 0, False
    while i <= end:
        if i == end:  # a final newline ends the last word and line
            cp, width, cf = np.int64(10), 1, np.uint8(SPACE)
        else:
            b = data[i]
            if b < 0x80:
                cp, width = np.int64(b), 1
            else:
                cp, width = decode(data, i, end)
            cf = char_flags(cp, flags)
            if found == 0 and starts[b]:
                found = _found(data, i, end, patterns, lengths)
            chars += 1
            visible += (cf & SPACE) == 0
            doubt |= (cf & NFC_UNSAFE) != 0
        if cf & WORD:
            wh = _step(wh, np.uint64(lower[cp] if cp < 0x10000 else cp))
            wn += 1
        elif wn:
            word_h[slot + words], word_c[slot + words] = mix64(wh), wn
            words, wh, wn = words + 1, _FNV_OFFSET, 0
        if cp != 10:
            lh, ln = _step(lh, np.uint64(cp)), ln + 1
        else:
            if ln:
                if newlines >= 2 and pn:  # a blank line ended the paragraph before this line
                    para_h[slot + paras], para_c[slot + paras] = mix64(ph), pn
                    paras, ph, pn = paras + 1, _FNV_OFFSET, 0
                line = mix64(lh)
                line_h[slot + lines], line_c[slot + lines] = line, ln
                ph, pn = _step(ph, line), pn + ln + (pn > 0)  # a single newline joins lines of a paragraph
                th = _step(_step(th, np.uint64(newlines)), line)
                lines, lh, ln, newlines = lines + 1, _FNV_OFFSET, 0, 0
            newlines += i < end
        i += width
    if pn:
        para_h[slot + paras], para_c[slot + paras] = mix64(ph), pn
        paras += 1
    th = _step(_step(th, np.uint64(newlines)), np.uint64(end - first))
    return words, lines, paras, chars, visible, found, mix64(th), doubt


@numba.njit(parallel=True, cache=True)
def _scan(data, offsets, slots, tables, out):
    """Scan every text of a batch, in parallel. Text ``d`` writes its words, lines and paragraphs
    into ``out`` from position ``slots[d]`` on (a text of b bytes has at most (b + 1) // 2 of each)."""
    n = offsets.size - 1
    counts = np.zeros((n, 3), np.int64)  # words, lines, paragraphs
    facts = np.zeros((n, 3), np.int64)  # characters, non-space characters, 1 + interface string found
    hashes = np.empty(n, np.uint64)
    doubt = np.zeros(n, np.bool_)
    for d in numba.prange(n):
        r = _scan_text(data, offsets[d], offsets[d + 1], slots[d], tables, out)
        counts[d, 0], counts[d, 1], counts[d, 2] = r[0], r[1], r[2]
        facts[d, 0], facts[d, 1], facts[d, 2] = r[3], r[4], r[5]
        hashes[d], doubt[d] = r[6], r[7]
    return counts, facts, hashes, doubt


class Scratch:
    """The arrays a batch's words, lines and paragraphs are first written to, reused from batch to
    batch: fresh ones for every batch would cost a page fault per 4 KiB, which can take longer than the
    scan itself."""

    def __init__(self) -> None:
        self.arrays: tuple[np.ndarray, ...] = ()

    def get(self, size: int) -> tuple[np.ndarray, ...]:
        if not self.arrays or self.arrays[0].size < size:
            size = max(size, 1)
            self.arrays = tuple(np.empty(size, np.uint64 if k % 2 == 0 else np.int32) for k in range(6))
        return self.arrays


@dataclass(frozen=True)
class Items:
    """The words (or lines, or paragraphs) of every text of a batch: text ``i`` has
    ``hashes[starts[i]:ends[i]]``, each ``chars`` characters long. The arrays are the batch's scratch
    space (see ``Scratch``): valid until the next batch is read, which is why families take what they
    need from a batch in ``consume``."""

    starts: np.ndarray  # int64
    ends: np.ndarray  # int64
    hashes: np.ndarray  # uint64
    chars: np.ndarray  # int32

    def counts(self) -> np.ndarray:
        return self.ends - self.starts


class TextBatch:
    """A batch of texts (rows ``start``...) scanned once: their words, lines and paragraphs as hashes,
    and per text its hash, length, non-space length, any interface string and whether NFC is in doubt."""

    def __init__(self, array: pa.Array, *, start: int, scratch: Scratch | None = None) -> None:
        self.start = start
        self.array = array
        self.nulls = np.asarray(array.is_null().to_numpy(zero_copy_only=False), bool)
        data, offsets = _bytes(array)
        slots = np.zeros(offsets.size, np.int64)
        np.cumsum((np.diff(offsets) + 1) // 2, out=slots[1:])
        out = (scratch or Scratch()).get(int(slots[-1]))
        counts, facts, self.hashes, self.nfc_unsafe = _scan(data, offsets, slots, (*unicode_tables(), *_patterns()), out)
        starts = slots[:-1]
        self.words = Items(starts, starts + counts[:, 0], out[0], out[1])
        self.lines = Items(starts, starts + counts[:, 1], out[2], out[3])
        self.paragraphs = Items(starts, starts + counts[:, 2], out[4], out[5])
        self.chars, self.visible_chars = facts[:, 0], facts[:, 1]
        self.interface = facts[:, 2] - 1  # index into INTERFACE_STRINGS, -1 when none

    def __len__(self) -> int:
        return len(self.array)


def _bytes(array: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The UTF-8 bytes of a string array and int64 offsets into them (nulls are empty)."""
    width = np.int64 if pa.types.is_large_string(array.type) else np.int32
    _, offsets, data = array.buffers()
    offsets = np.frombuffer(offsets, width)[array.offset:array.offset + len(array) + 1].astype(np.int64)
    return (np.frombuffer(data, np.uint8) if data is not None else np.zeros(0, np.uint8)), offsets


@functools.cache
def _patterns() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The interface strings as padded byte rows, their lengths, and which bytes start one."""
    encoded = [s.encode() for s in INTERFACE_STRINGS]
    patterns = np.zeros((len(encoded), max(map(len, encoded))), np.uint8)
    starts = np.zeros(256, np.bool_)
    for k, pattern in enumerate(encoded):
        patterns[k, :len(pattern)] = np.frombuffer(pattern, np.uint8)
        starts[pattern[0]] = True
    return patterns, np.array([len(p) for p in encoded], np.int64), starts


def raw_batches(path: Path, *, column: str = "text", batch_rows: int = BATCH_ROWS) -> Iterator[tuple[int, pa.Array]]:
    """(first row, texts) of one text column of a Parquet file, in batches; only that column is read."""
    start = 0
    for batch in batches(path, batch_size=batch_rows, columns=[column]):
        yield start, batch.column(0)
        start += batch.num_rows


def text_batches(path: Path, *, column: str = "text", batch_rows: int = BATCH_ROWS) -> Iterator[TextBatch]:
    """The text column of a Parquet file, scanned batch by batch (each valid until the next is read)."""
    scratch = Scratch()
    for start, texts in raw_batches(path, column=column, batch_rows=batch_rows):
        yield TextBatch(texts, start=start, scratch=scratch)
