"""Merging copies of one post: overlapping and growing collections give each post once.

Researchers collect a channel again and again (a scrape every week, an export now and another
later), so the inputs of one dataset hold the same posts several times. A post is known by its
``post_id``: ``CHANNEL_ID/MESSAGE_ID`` where the source numbers messages, its text hash in a text dump
(``core.ids``), so copies from different files and formats meet. Posts of different channels with the
same message number are different posts.

The posts table keeps one copy of each post, ranked:

1. the latest ``edited_at`` (an edit dated before its post, a collector's clock being off, does not
   count as later, and is counted);
2. then the later collection: by the inputs' ``collected`` times when every input declares one, else
   by the order of the inputs (list them oldest first);
3. then the later copy within an input.

Every copy is a row of ``post_sources`` (where it was, when that source was collected, its own edit
time, whether it is the one kept, whether its text differs from the kept one, and what differs that
an edit cannot explain: ``published_at`` or ``channel``, reported as a conflict, never resolved in
silence). The side tables keep the kept copy's rows. ``posts.last_seen_at`` is the latest collection
time of the inputs holding the post, so a post a newer collection no longer has (deleted upstream)
stays, marked with when it was last seen.

This runs on the written tables: only the key columns of the posts are held in memory, texts are
compared by hash, batch by batch, and tables are rewritten row group by row group.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..core.batches import batches
from ..core.schema import TableSchema
from .parquet import ROW_GROUP_SIZE, RowGroupWriter
from .tables import POST_ROW, linked_tables

SOURCES = "post_sources"
_KEYS = ["post_id", "channel", "message_id", "published_at", "edited_at", "source_file", "source_line_start",
         "source_line_end"]


def written_tables(schemas: dict[str, TableSchema]) -> dict[str, TableSchema]:
    """The tables convert writes from records: all but the one this pass makes."""
    return {name: schema for name, schema in schemas.items() if name != SOURCES}


@dataclass(frozen=True)
class Collection:
    """What the merge knows of one input: its name in the tables, and when it was collected."""

    source_file: str
    collected: datetime | None


def collection_ranks(inputs: list[Collection]) -> dict[str, int]:
    """Each input's rank in collection order (see the module docstring)."""
    by_time = all(c.collected is not None for c in inputs)
    order = sorted(range(len(inputs)), key=lambda k: (inputs[k].collected, k) if by_time else k)
    return {inputs[k].source_file: position for position, k in enumerate(order)}


def merge_copies(out_dir: Path, schemas: dict[str, TableSchema], inputs: list[Collection]) -> dict[str, int]:
    """Keep one copy of each post in the tables of ``out_dir``, write ``post_sources`` and drop the
    staged POST_ROW columns; return what was done, for the manifest."""
    posts = pq.read_table(out_dir / "posts.parquet", columns=_KEYS)
    plan = _Plan(posts, inputs)
    plan.compare_texts(out_dir / "posts.parquet")
    _write_sources(out_dir / f"{SOURCES}.parquet", schemas[SOURCES], plan)
    if plan.dropped or plan.last_seen is not None:
        _rewrite_posts(out_dir / "posts.parquet", schemas["posts"], plan)
    for name in linked_tables(written_tables(schemas)):
        _rewrite_linked(out_dir / f"{name}.parquet", schemas[name], plan.keep)
    return plan.stats()


class _Plan:
    """Which copy of each post is kept, and how the copies compare (key columns only)."""

    def __init__(self, posts: pa.Table, inputs: list[Collection]) -> None:
        self.posts, self.rows = posts, posts.num_rows
        by_name, ranks = {c.source_file: c for c in inputs}, collection_ranks(inputs)
        files = pc.dictionary_encode(posts.column("source_file")).combine_chunks()  # a few names, many rows
        names, of_row = files.dictionary.to_pylist(), np.asarray(files.indices, np.int64)
        rank = np.array([ranks.get(n, -1) for n in names], np.int64)[of_row] if names else np.zeros(0, np.int64)
        self.collected = pa.array([by_name[n].collected if n in by_name else None for n in names],
                                  pa.timestamp("us", tz="UTC")).take(pa.array(of_row))
        ids = pc.dictionary_encode(posts.column("post_id")).combine_chunks()
        self.group = np.asarray(ids.indices, np.int64)
        self.sizes = np.bincount(self.group, minlength=len(ids.dictionary)) if self.rows else np.zeros(0, np.int64)
        edit, self.clock_off = _edit_keys(posts)
        rows = np.arange(self.rows)
        order = np.lexsort((rows, rank, edit, self.group))  # the kept copy is the last of its group
        last = np.ones(self.rows, bool)
        last[:-1] = self.group[order][1:] != self.group[order][:-1]
        self.kept_row = np.empty(len(self.sizes), np.int64)
        self.kept_row[self.group[order[last]]] = order[last]
        self.keep = np.zeros(self.rows, bool)
        self.keep[self.kept_row] = True
        self.dropped = int(self.rows - self.keep.sum())
        self.conflicts = self._conflicts()
        self.text_differs = np.zeros(self.rows, bool)
        self.last_seen = self._last_seen()

    def _conflicts(self) -> list[str | None]:
        """Per copy: what differs from the kept copy that an edit cannot explain."""
        found: list[str | None] = [None] * self.rows
        shared = np.flatnonzero(self.sizes[self.group] > 1)
        for column in ("published_at", "channel"):
            values = self.posts.column(column).combine_chunks()
            kept = values.take(pa.array(self.kept_row[self.group[shared]]))
            mine = values.take(pa.array(shared))
            differs = pc.invert(pc.fill_null(pc.equal(mine, kept), False))
            both_null = pc.and_(pc.is_null(mine), pc.is_null(kept))
            for row in shared[np.asarray(pc.and_(differs, pc.invert(both_null)))]:
                found[row] = column if found[row] is None else f"{found[row]},{column}"
        return found

    def _last_seen(self) -> np.ndarray | None:
        """Per post row: the latest collection time of the copies of its post (None: none declared)."""
        if self.collected.null_count == len(self.collected):
            return None
        stamps = np.where(self.collected.is_valid().to_numpy(zero_copy_only=False),
                          pc.cast(self.collected, pa.int64()).fill_null(0).to_numpy(zero_copy_only=False), -np.inf)
        latest = np.full(len(self.sizes), -np.inf)
        np.maximum.at(latest, self.group, stamps)
        return latest[self.group]

    def compare_texts(self, posts: Path) -> None:
        """Mark the copies whose text differs from the kept copy's, by hash, batch by batch."""
        shared = self.sizes[self.group] > 1
        if not shared.any():
            return
        digests: dict[int, bytes] = {}
        start = 0
        for batch in batches(posts, batch_size=ROW_GROUP_SIZE, columns=["text"]):
            rows = np.flatnonzero(shared[start:start + batch.num_rows])
            texts = batch.column(0).take(pa.array(rows)).to_pylist()
            digests.update({start + r: hashlib.blake2b(t.encode(), digest_size=16).digest() for r, t in zip(rows, texts)})
            start += batch.num_rows
        for row, digest in digests.items():
            self.text_differs[row] = digest != digests[self.kept_row[self.group[row]]]

    def stats(self) -> dict[str, int]:
        merged = int((self.sizes > 1).sum())
        return {"copies": self.rows, "posts": len(self.sizes), "posts_merged": merged, "copies_dropped": self.dropped,
                "copies_with_other_text": int(self.text_differs.sum()),
                "conflicts": sum(c is not None for c in self.conflicts), "edits_before_post": self.clock_off}


def _edit_keys(posts: pa.Table) -> tuple[np.ndarray, int]:
    """Per copy, the rank of its edit (microseconds; -inf for none, or an edit dated before its post),
    and how many copies have such an edit."""
    edited, published = posts.column("edited_at").combine_chunks(), posts.column("published_at").combine_chunks()
    early = pc.fill_null(pc.less(edited, published), False)
    edits = pc.cast(edited, pa.int64()).to_numpy(zero_copy_only=False).astype(float)
    valid = np.asarray(pc.and_(pc.is_valid(edited), pc.invert(early)))
    return np.where(valid, np.nan_to_num(edits), -np.inf), int(pc.sum(early).as_py() or 0)


def _locations(posts: pa.Table, *, unique: bool) -> pa.Array:
    """Where each copy is in its source: 'message N', or 'lines A-B' for text dumps; made unique
    within a file ('(copy 2)') so that a file holding one message twice still names each copy.
    ``unique``: every post_id is held once, so no location repeats (the group-by is skipped: at a
    million posts it is the merge's largest allocation)."""
    message, first, last = (posts.column(c).combine_chunks() for c in ("message_id", "source_line_start",
                                                                       "source_line_end"))
    lines = pc.if_else(pc.equal(first, last), pc.binary_join_element_wise("line ", first.cast(pa.string()), ""),
                       pc.binary_join_element_wise("lines ", first.cast(pa.string()), "-", last.cast(pa.string()), ""))
    where = pc.coalesce(pc.binary_join_element_wise("message ", message, ""), lines, pa.scalar("post"))
    if unique:
        return where
    keys = pa.table({"s": posts.column("source_file"), "p": posts.column("post_id"), "w": where})
    repeated = keys.group_by(["s", "p", "w"]).aggregate([([], "count_all")]).filter(pc.field("count_all") > 1)
    if repeated.num_rows == 0:
        return where
    seen: Counter = Counter()
    found = where.to_pylist()
    for row, key in enumerate(zip(*(keys.column(c).to_pylist() for c in "spw"))):
        seen[key] += 1
        if seen[key] > 1:
            found[row] = f"{found[row]} (copy {seen[key]})"
    return pa.array(found, pa.string())


def _write_sources(path: Path, schema: TableSchema, plan: _Plan) -> None:
    columns = {"post_id": plan.posts.column("post_id"), "source_file": plan.posts.column("source_file"),
               "location": _locations(plan.posts, unique=not (plan.sizes > 1).any()), "collected_at": plan.collected,
               "edited_at": plan.posts.column("edited_at"), "kept": pa.array(plan.keep),
               "text_differs": pa.array(plan.text_differs), "conflict": pa.array(plan.conflicts, pa.string())}
    table = pa.table([columns[name] for name in schema.field_names], schema=schema.arrow)
    writer = RowGroupWriter(path, schema.arrow)
    for batch in table.to_batches(max_chunksize=ROW_GROUP_SIZE):
        writer.add(batch)
    writer.close()


def _rewrite(path: Path, arrow: pa.Schema, transform) -> None:
    """Rewrite a Parquet file batch by batch through ``transform(batch, first_row)``, in the row
    groups a one-pass run writes."""
    temp = path.with_name(f".{path.name}.merge")
    writer, start = RowGroupWriter(temp, arrow), 0
    try:
        for batch in batches(path, batch_size=ROW_GROUP_SIZE):
            kept = transform(batch, start)
            start += batch.num_rows
            if kept.num_rows:
                writer.add(kept)
    finally:
        writer.close()
    temp.replace(path)


def _rewrite_posts(path: Path, schema: TableSchema, plan: _Plan) -> None:
    index = schema.arrow.get_field_index("last_seen_at")

    def transform(batch: pa.RecordBatch, start: int) -> pa.RecordBatch:
        if plan.last_seen is not None:
            seen = plan.last_seen[start:start + batch.num_rows]
            values = pa.array(np.where(np.isfinite(seen), seen, 0).astype(np.int64), pa.int64())
            stamps = pc.if_else(pa.array(np.isfinite(seen)), values.cast(pa.timestamp("us", tz="UTC")),
                                pa.scalar(None, pa.timestamp("us", tz="UTC")))
            batch = batch.set_column(index, schema.arrow.field(index), stamps)
        return batch.filter(pa.array(plan.keep[start:start + batch.num_rows]))

    _rewrite(path, schema.arrow, transform)


def _rewrite_linked(path: Path, schema: TableSchema, keep: np.ndarray) -> None:
    """The rows of the kept copies, without the staged POST_ROW column."""
    def transform(batch: pa.RecordBatch, start: int) -> pa.RecordBatch:
        rows = batch.column(POST_ROW).to_numpy()
        return batch.filter(pa.array(keep[rows])).drop_columns([POST_ROW])

    _rewrite(path, schema.arrow, transform)
