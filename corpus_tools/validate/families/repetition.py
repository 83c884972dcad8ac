"""In-post repetition: a text that repeats itself, as two renderings left unmerged or a paragraph pasted
twice leave it.

The measures are the repetition filters of Gopher / MassiveText (Rae et al. 2021, table A1), computed
as datatrove's ``GopherRepetitionFilter`` computes them, per post:

- duplicate line fraction: lines (split on newlines) equal to an earlier line of the post, over lines;
- duplicate paragraph fraction: the same for paragraphs (split on blank lines);
- duplicate line / paragraph character fraction: characters of those repeated lines / paragraphs, over
  the characters of the text;
- duplicate n-gram character fraction, n = 5 ... 10: walking the words, an n-word sequence seen before
  in the post counts its characters and the walk jumps past it; over the characters of the text.

A post fails ``posts.text.repetition`` when any measure exceeds its threshold (``[repetition]`` in
``schemas/validation.toml``; defaults are Gopher's: 0.30, 0.30, 0.20, 0.20 and 0.15 ... 0.10). Its
value lists the measures that did. Gopher's "top n-gram" measures (n = 2 ... 4) are left out: they count
an n-gram seen once, so every post of a dozen words would fail them. A post that is its two renderings
one after the other has a duplicate line fraction of 0.5; the bundled corpus's post that ends with
"Read in full" as it begins has 0.05.

>>> import pyarrow as pa
>>> from corpus_tools.validate.textscan import TextBatch
>>> batch = TextBatch(pa.array(["Title\\nBody text here\\nTitle\\nBody text here", "One line"]), start=0)
>>> measures(batch, ngrams=(5,))[:, 2].tolist()  # the duplicate line fraction
[0.5, 0.0]
"""

from __future__ import annotations

import numba
import numpy as np
import pyarrow as pa

from ..base import Family, Spec
from ..textscan import TextBatch

MEASURES = ("duplicate_paragraph_fraction", "duplicate_paragraph_char_fraction", "duplicate_line_fraction",
            "duplicate_line_char_fraction")
_LABELS = {"duplicate_paragraph_fraction": "duplicate paragraphs", "duplicate_line_fraction": "duplicate lines",
           "duplicate_paragraph_char_fraction": "characters in duplicate paragraphs",
           "duplicate_line_char_fraction": "characters in duplicate lines"}


@numba.njit(inline="always")
def _seen(table, value):
    """Insert ``value`` into an open-addressing set (0 marks a free slot); True if it was there."""
    value = value | np.uint64(1)  # keeps 0 free; halves the hash space, still 2^63
    mask = table.size - 1
    slot = np.int64(value & np.uint64(mask))
    while table[slot] != 0:
        if table[slot] == value:
            return True
        slot = (slot + 1) & mask
    table[slot] = value
    return False


@numba.njit(inline="always")
def _table(items):
    size = 16
    while size < 2 * items:
        size *= 2
    return np.zeros(size, np.uint64)


@numba.njit(cache=True)
def _repeated(hashes, chars, lo, hi):
    """How many of items ``lo``..``hi`` equal an earlier one, and their characters (datatrove's find_duplicates)."""
    table = _table(hi - lo)
    count, repeated = 0, 0
    for k in range(lo, hi):
        if _seen(table, hashes[k]):
            count += 1
            repeated += chars[k]
    return count, repeated


@numba.njit(cache=True)
def _repeated_ngrams(hashes, chars, lo, hi, n):
    """Characters in n-word sequences that repeat an earlier one, jumping past each (datatrove's find_all_duplicate)."""
    if hi - lo < n:
        return 0
    table = _table(hi - lo)
    idx, repeated = lo, 0
    while idx <= hi - n:
        h = np.uint64(n)
        for k in range(n):
            h = (h ^ hashes[idx + k]) * np.uint64(0x100000001B3)
        if _seen(table, h ^ (h >> np.uint64(29))):
            for k in range(n):
                repeated += chars[idx + k]
            idx += n
        else:
            idx += 1
    return repeated


@numba.njit(parallel=True, cache=True)
def _measures(paragraphs, lines, words, text_chars, ngrams):
    n = text_chars.size
    out = np.zeros((n, 4 + ngrams.size))
    for d in numba.prange(n):
        if text_chars[d] == 0:
            continue
        for column, items in ((0, paragraphs), (2, lines)):
            starts, ends, hashes, chars = items
            count, repeated = _repeated(hashes, chars, starts[d], ends[d])
            out[d, column] = count / max(ends[d] - starts[d], 1)
            out[d, column + 1] = repeated / text_chars[d]
        starts, ends, hashes, chars = words
        for j in range(ngrams.size):
            repeated = _repeated_ngrams(hashes, chars, starts[d], ends[d], ngrams[j])
            out[d, 4 + j] = repeated / text_chars[d]
            if repeated == 0:  # no repeated 5-gram means no repeated longer one: the rest stay 0
                break
    return out


def measures(batch: TextBatch, *, ngrams: tuple[int, ...]) -> np.ndarray:
    """Per text: the four line/paragraph measures (in ``MEASURES`` order), then one per n in ``ngrams``."""
    def items(i):
        return i.starts, i.ends, i.hashes, i.chars
    return _measures(items(batch.paragraphs), items(batch.lines), items(batch.words), batch.chars,
                     np.array(sorted(ngrams), np.int64))


class Repetition(Family):
    name = "repetition"
    reads_text = True

    def __init__(self, schemas, config) -> None:
        super().__init__(schemas, config)
        ngrams = config.ngram_thresholds
        self.names = [*MEASURES, *(f"duplicate_{n}gram_char_fraction" for n in ngrams)]
        self.labels = [*(_LABELS[m] for m in MEASURES), *(f"characters in repeated {n}-grams" for n in ngrams)]
        self.thresholds = np.array([config.repetition[m] for m in MEASURES] + list(ngrams.values()))
        self._reasons: list[pa.Array] = []

    def specs(self) -> list[Spec]:
        return [self.spec("posts.text.repetition", "posts", "ExpectColumnValuesToBeNull",
                          {"column": "text__repetition"},
                          "no post repeats itself (Gopher repetition measures within thresholds)",
                          thresholds=dict(zip(self.names, self.thresholds.tolist())))]

    def consume(self, batch: TextBatch) -> None:
        self._reasons.append(self.reasons(batch))

    def reasons(self, batch: TextBatch) -> pa.Array:
        """Per text of ``batch`` (both engines call this): the measures over their thresholds, or null."""
        values = measures(batch, ngrams=tuple(self.config.ngram_thresholds))
        over = values > self.thresholds
        reasons = [None] * len(batch)
        for row in np.flatnonzero(over.any(axis=1)):
            reasons[row] = "; ".join(f"{self.labels[k]} {values[row, k]:.2f} > {self.thresholds[k]:.2f}"
                                     for k in np.flatnonzero(over[row]))
        return pa.array(reasons, pa.string())

    def columns(self, store) -> dict[str, dict[str, pa.Array]]:
        reasons = pa.concat_arrays(self._reasons) if self._reasons else pa.array([], pa.string())
        return {"posts": {"text__repetition": reasons}}
