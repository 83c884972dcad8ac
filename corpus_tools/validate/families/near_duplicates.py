"""Near-duplicates: clusters of posts whose word shingles overlap by at least a Jaccard threshold.

Comparing every pair of a million posts is 5 * 10^11 comparisons, so candidates come from locality-
sensitive hashing, and only candidates are compared:

1. Shingles: every run of ``shingle_words`` consecutive words (lower-cased, see ``textscan``); a post
   with fewer words is one shingle; a post without words (media only) takes no part.
2. MinHash signature of ``bands * rows`` values per post by one-permutation hashing with optimal
   densification (Li, Owen & Zhang 2012; Shrivastava 2017): each shingle's hash picks a bin and offers
   its low bits as that bin's minimum; empty bins copy the bin a fixed probe sequence finds first. Two
   posts agree in a bin with probability equal to their Jaccard similarity, as with ``bands * rows``
   independent permutations, but at the cost of one hash per shingle instead of ``bands * rows``.
3. LSH banding: posts whose signatures agree in all ``rows`` values of any band become candidates
   (probability 1 - (1 - J^rows)^bands: 0.9996 at J = 0.8 with 20 bands of 5). Only the band hashes are
   kept, ``bands`` * 8 bytes per post, and on disk, a file per band (``BandFiles``), read back one band
   at a time: in memory, 8 bytes a post of one band (80 MB at ten million posts, not 1.6 GB).
   A bucket of more than ``max_bucket`` posts is paired with its first post only, so that templated
   posts sharing a band cannot make the work quadratic.
4. Candidates are confirmed by the exact Jaccard similarity of their shingle sets (a second read of the
   candidates' texts), and confirmed pairs are joined into clusters (union-find). Work is
   O(words + candidates). Pairs of identical texts are left to the exact duplicate checks.

``posts.text.near_duplicates`` (warning by default) fails for the posts in clusters; each one's value is
its cluster, numbered by first appearance, and the report lists the clusters with their posts.

>>> import pyarrow as pa
>>> from corpus_tools.validate.textscan import TextBatch
>>> words = TextBatch(pa.array(["a b c d e f g h", "a b c d e f g x", "nothing alike here at all"]), start=0).words
>>> bands = signatures(words, shingle_words=3, bands=20, rows=5, seed=1)[0]
>>> bool((bands[0] == bands[1]).any()), bool((bands[0] == bands[2]).any())
(True, False)
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import numba
import numpy as np
import pyarrow as pa

from ..base import Family, Spec, Store
from ..textscan import Items, TextBatch, mix64, raw_batches

_EMPTY = np.uint64(1 << 32)


def _salts(count: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(1, 2**63, count, dtype=np.uint64) | np.uint64(1)


@numba.njit(inline="always")
def _shingle(hashes, start, width, salts):
    h = np.uint64(0)
    for j in range(width):
        h += hashes[start + j] * salts[j]
    return mix64(h)


@numba.njit(cache=True)
def _shingles(hashes, lo, hi, width, salts):
    """The sorted distinct shingle hashes of words ``lo``..``hi``."""
    count = max(hi - lo - width + 1, 1)
    out = np.empty(count, np.uint64)
    for s in range(count):
        out[s] = _shingle(hashes, lo + s, min(width, hi - lo), salts)
    return np.unique(out)


@numba.njit(parallel=True, cache=True)
def _bands(starts, ends, hashes, width, rows, bands, salts, probe):
    n, bins = starts.size, rows * bands
    out = np.zeros((n, bands), np.uint64)
    has = np.zeros(n, np.bool_)
    for d in numba.prange(n):
        lo, hi = starts[d], ends[d]
        if hi == lo:
            continue
        sig = np.full(bins, _EMPTY, np.uint64)
        for s in range(max(hi - lo - width + 1, 1)):
            h = _shingle(hashes, lo + s, min(width, hi - lo), salts)
            b = ((h >> np.uint64(32)) * np.uint64(bins)) >> np.uint64(32)
            sig[b] = min(sig[b], h & np.uint64(0xFFFFFFFF))
        filled = sig.copy()
        for j in range(bins):
            attempt = np.uint64(0)
            while filled[j] == _EMPTY:  # optimal densification: the same probe sequence for every post
                attempt += np.uint64(1)
                filled[j] = sig[mix64(probe ^ (np.uint64(j) << np.uint64(32)) ^ attempt) % np.uint64(bins)]
        for b in range(bands):
            h = mix64(probe + np.uint64(b))
            for r in range(rows):
                h = mix64(h ^ filled[b * rows + r])
            out[d, b] = h
        has[d] = True
    return out, has


def signatures(words: Items, *, shingle_words: int, bands: int, rows: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Per text: its ``bands`` LSH band hashes, and whether it has any (it has words)."""
    return _bands(words.starts, words.ends, words.hashes, shingle_words, rows, bands, _salts(shingle_words, seed),
                  _salts(1, seed + 1)[0])


def shingle_sets(words: Items, *, shingle_words: int, seed: int) -> list[np.ndarray]:
    """Per text: its sorted distinct shingle hashes, the sets the exact Jaccard similarity compares."""
    salts = _salts(shingle_words, seed)
    return [_shingles(words.hashes, words.starts[k], words.ends[k], shingle_words, salts)
            for k in range(words.starts.size)]


@numba.njit(cache=True)
def _bucket_pairs(ids, starts, sizes, max_bucket):
    """Every pair within each bucket; a bucket over ``max_bucket`` only pairs its first post with the others."""
    total = 0
    for s in sizes:
        total += s * (s - 1) // 2 if s <= max_bucket else s - 1
    pairs, at = np.empty((total, 2), np.int64), 0
    for k in range(sizes.size):
        lo, hi = starts[k], starts[k] + sizes[k]
        if sizes[k] <= max_bucket:
            for i in range(lo, hi):
                for j in range(i + 1, hi):
                    pairs[at, 0], pairs[at, 1] = min(ids[i], ids[j]), max(ids[i], ids[j])
                    at += 1
        else:
            first = ids[lo:hi].min()
            for j in range(lo, hi):
                if ids[j] != first:
                    pairs[at, 0], pairs[at, 1] = first, ids[j]
                    at += 1
    return pairs


def candidate_pairs(bands: Iterable[np.ndarray], has: np.ndarray, *, max_bucket: int) -> np.ndarray:
    """Distinct (i, j) row pairs, i < j, that share a band hash: shape (pairs, 2). ``bands``: each
    band's hashes, one post each (``BandFiles``, or the transpose of ``signatures``' array)."""
    ids = np.flatnonzero(has)
    found = [np.zeros((0, 2), np.int64)]
    for band in bands:
        order = ids[np.argsort(band[ids])]
        values = band[order]
        starts = np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1])))
        sizes = np.diff(np.append(starts, order.size))
        keep = sizes > 1
        found.append(_bucket_pairs(order, starts[keep], sizes[keep], max_bucket))
    return np.unique(np.concatenate(found), axis=0)


@numba.njit(cache=True)
def _jaccard(a, b):
    i = j = common = 0
    while i < a.size and j < b.size:
        if a[i] == b[j]:
            common, i, j = common + 1, i + 1, j + 1
        elif a[i] < b[j]:
            i += 1
        else:
            j += 1
    return common / (a.size + b.size - common)


@numba.njit(cache=True)
def _find(parent, x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


@numba.njit(cache=True)
def _components(n, left, right):
    """Union-find: each row's component root, the smallest row of its component."""
    parent = np.arange(n)
    for k in range(left.size):
        a, b = _find(parent, left[k]), _find(parent, right[k])
        parent[max(a, b)] = min(a, b)
    for x in range(n):
        parent[x] = _find(parent, x)
    return parent


class BandFiles:
    """The posts' band hashes in a temporary folder, a file per band, appended batch by batch and read
    back one band at a time (``iter``). The folder is made by the first batch (a family built only
    for its specs makes none) and goes on ``close``, or with the object."""

    def __init__(self, bands: int) -> None:
        self.bands = bands
        self._folder: tempfile.TemporaryDirectory | None = None

    def _paths(self) -> list[Path]:
        return [Path(self._folder.name) / f"band-{b}.u64" for b in range(self.bands)] if self._folder else []

    def append(self, bands: np.ndarray) -> None:
        """Add a batch's band hashes (its ``signatures``: a row per post, a column per band)."""
        self._folder = self._folder or tempfile.TemporaryDirectory(prefix="corpus-tools-bands-")
        for path, band in zip(self._paths(), bands.T, strict=True):
            with path.open("ab") as out:
                band.tofile(out)

    def __iter__(self) -> Iterator[np.ndarray]:
        if self._folder is None:
            yield from (np.zeros(0, np.uint64) for _ in range(self.bands))
        for path in self._paths():
            yield np.fromfile(path, np.uint64)

    def close(self) -> None:
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None


class NearDuplicates(Family):
    name = "near_duplicates"
    reads_text = True

    def __init__(self, schemas, config) -> None:
        super().__init__(schemas, config)
        self.params = config.near_duplicates
        self._bands = BandFiles(self.params["bands"])
        self._has: list[np.ndarray] = []
        self._texts: list[np.ndarray] = []  # text hashes: identical texts are exact duplicates, not near ones
        self._stats: dict[str, int] = {}
        self.clusters: list[dict] = []

    def specs(self) -> list[Spec]:
        p = self.params
        return [self.spec("posts.text.near_duplicates", "posts", "ExpectColumnValuesToBeNull",
                          {"column": "text__near_duplicate_cluster"},
                          f"no two posts have word {p['shingle_words']}-gram sets with Jaccard similarity "
                          f">= {p['jaccard']} (MinHash LSH, confirmed exactly)",
                          **{k: p[k] for k in ("jaccard", "shingle_words", "bands", "rows", "max_bucket", "seed")})]

    def consume(self, batch: TextBatch) -> None:
        p = self.params
        bands, has = signatures(batch.words, shingle_words=p["shingle_words"], bands=p["bands"], rows=p["rows"],
                                seed=p["seed"])
        self._bands.append(bands)
        self._has.append(has)
        self._texts.append(batch.hashes)

    def _shingle_sets(self, path, rows: np.ndarray) -> dict[int, np.ndarray]:
        """Second read of the text, of the candidates only: their sorted shingle sets."""
        sets: dict[int, np.ndarray] = {}
        for start, texts in raw_batches(path):
            local = rows[(rows >= start) & (rows < start + len(texts))] - start
            if local.size:
                words = TextBatch(texts.take(pa.array(local)), start=0).words
                found = shingle_sets(words, shingle_words=self.params["shingle_words"], seed=self.params["seed"])
                sets.update((int(row) + start, shingles) for row, shingles in zip(local, found, strict=True))
        return sets

    def columns(self, store: Store) -> dict[str, dict[str, pa.Array]]:
        n = store.rows("posts")
        has = np.concatenate(self._has) if self._has else np.zeros(0, bool)
        pairs = candidate_pairs(self._bands, has, max_bucket=self.params["max_bucket"])
        self._bands.close()
        texts = np.concatenate(self._texts) if self._texts else np.zeros(0, np.uint64)
        pairs = pairs[texts[pairs[:, 0]] != texts[pairs[:, 1]]]  # identical texts: the exact duplicate checks' job
        sets = self._shingle_sets(store.paths["posts"], np.unique(pairs)) if len(pairs) else {}
        similarity = np.array([_jaccard(sets[i], sets[j]) for i, j in pairs.tolist()])
        confirmed = pairs[similarity >= self.params["jaccard"]] if len(pairs) else pairs
        root = _components(n, confirmed[:, 0], confirmed[:, 1])
        members = np.bincount(root, minlength=n) > 1
        clustered = members[root]
        leaders = np.flatnonzero(members)  # roots are each cluster's first post, so this is first-appearance order
        number = np.zeros(n, np.int64)
        number[leaders] = np.arange(1, leaders.size + 1)
        sizes = np.bincount(root, minlength=n)
        values: list[str | None] = [None] * n
        for r in np.flatnonzero(clustered):
            values[r] = f"cluster {number[root[r]]} ({sizes[root[r]]} posts)"
        post_ids = store.column("posts", "post_id")
        self.clusters = [{"cluster": int(number[leader]), "size": int(sizes[leader]),
                          "posts": [post_ids[int(r)].as_py() for r in np.flatnonzero(root == leader)[:10]]}
                         for leader in leaders[:self.config.examples]]
        self._stats = {"posts_without_words": int(n - has.sum()), "candidate_pairs": len(pairs),
                       "confirmed_pairs": len(confirmed), "clusters": int(leaders.size),
                       "posts_in_clusters": int(clustered.sum())}
        return {"posts": {"text__near_duplicate_cluster": pa.array(values, pa.string())}}

    def statistics(self) -> dict:
        return {"near_duplicates": self._stats}
