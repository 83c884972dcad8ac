"""Exact duplicates: of ids, of keys, and of whole texts.

- ``TABLE.COLUMN.unique`` for every field the schema marks unique, ``TABLE.primary_key.unique`` for a
  composite primary key (GX ``ExpectColumnValuesToBeUnique`` / ``ExpectCompoundColumnsToBeUnique``).
- ``posts.channel_message_id.unique``: a channel numbers its messages once; rows without a message id
  are not compared.
- ``posts.text.exact_duplicates_in_channel`` (error): posts of one channel with the same text, which
  is a post read twice. ``posts.text.exact_duplicates_across_channels`` (warning by default): the same
  text in several channels, which forwards and cross-posting produce honestly. Texts are compared by
  a 64-bit hash of their bytes (a false match among 10^6 texts has probability below 10^-7); empty
  texts (media-only posts) are not compared. Each failing post's value names its group: how many posts
  share the text and the first of them.

>>> import numpy as np
>>> groups(np.array([5, 7, 5, 5], np.uint64), np.array([0, 0, 0, 1]), np.ones(4, bool)).tolist()
[0, -1, 0, -1]
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..base import Family, Spec, Store


def groups(hashes: np.ndarray, keys: np.ndarray, compared: np.ndarray) -> np.ndarray:
    """For each row, the first row with the same (key, hash) when at least two rows share it, else -1.

    Only ``compared`` rows take part.
    """
    result = np.full(hashes.size, -1, np.int64)
    rows = np.flatnonzero(compared)
    if rows.size == 0:
        return result
    order = rows[np.lexsort((rows, hashes[rows], keys[rows]))]
    same = (hashes[order][1:] == hashes[order][:-1]) & (keys[order][1:] == keys[order][:-1])
    starts = np.flatnonzero(np.concatenate(([True], ~same)))
    sizes = np.diff(np.append(starts, order.size))
    first = np.repeat(order[starts], sizes)  # rows are sorted within a group, so its first row leads
    shared = np.repeat(sizes > 1, sizes)
    result[order[shared]] = first[shared]
    return result


class Duplicates(Family):
    name = "duplicates"
    reads_text = True

    def __init__(self, schemas, config) -> None:
        super().__init__(schemas, config)
        self._hashes: list[np.ndarray] = []
        self._compared: list[np.ndarray] = []

    def specs(self) -> list[Spec]:
        specs = []
        for table, schema in self.schemas.items():
            for key in schema.unique_keys:
                specs.append(self._unique(table, key, primary=key == schema.primary_key))
        return specs + [
            self.spec("posts.channel_message_id.unique", "posts", "ExpectCompoundColumnsToBeUnique",
                      {"column_list": ["channel", "message_id"], "ignore_row_if": "any_value_is_missing"},
                      "no two posts of a channel share a message_id"),
            self.spec("posts.text.exact_duplicates_in_channel", "posts", "ExpectColumnValuesToBeNull",
                      {"column": "text__duplicate_in_channel"}, "no two posts of a channel have the same text"),
            self.spec("posts.text.exact_duplicates_across_channels", "posts", "ExpectColumnValuesToBeNull",
                      {"column": "text__duplicate_across_channels"},
                      "no text appears in more than one channel (forwards do this honestly)"),
        ]

    def _unique(self, table: str, key: list[str], *, primary: bool) -> Spec:
        if len(key) > 1:
            return self.spec(f"{table}.primary_key.unique", table, "ExpectCompoundColumnsToBeUnique",
                             {"column_list": key}, f"no two rows share a primary key ({', '.join(key)})")
        primary_only = primary and key[0] not in self.schemas[table].unique
        return self.spec(f"{table}.{key[0]}.unique", table, "ExpectColumnValuesToBeUnique", {"column": key[0]},
                         f"no two rows share a {key[0]}" + (" (the primary key)" if primary_only else ""))

    def consume(self, batch) -> None:
        self._hashes.append(batch.hashes)
        self._compared.append(~batch.nulls & (batch.visible_chars > 0))

    def columns(self, store: Store) -> dict[str, dict[str, pa.Array]]:
        hashes = np.concatenate(self._hashes) if self._hashes else np.zeros(0, np.uint64)
        compared = np.concatenate(self._compared) if self._compared else np.zeros(0, bool)
        channel = store.column("posts", "channel")
        channels = np.asarray(pc.dictionary_encode(pc.fill_null(channel, "")).indices, np.int64)
        post_ids = store.column("posts", "post_id")
        in_channel = groups(hashes, channels, compared)
        across = groups(hashes, np.zeros_like(channels), compared)
        # A text is shared across channels when its group has rows of more than one channel.
        spread = np.zeros(hashes.size, bool)
        members = across >= 0
        spread[members] = channels[members] != channels[across[members]]
        leaders = np.unique(across[spread])
        spans = np.isin(across, leaders) & members
        return {"posts": {
            "text__duplicate_in_channel": _describe(in_channel, post_ids, "posts of its channel"),
            "text__duplicate_across_channels": _describe(np.where(spans, across, -1), post_ids, "posts"),
        }}


def _describe(first: np.ndarray, post_ids: pa.Array, what: str) -> pa.Array:
    """'3 posts of its channel have this text, first ID' for rows in a group, null for the rest."""
    sizes = np.bincount(first[first >= 0], minlength=first.size) if first.size else first
    values = [None] * first.size
    for row in np.flatnonzero(first >= 0):
        leader = first[row]
        values[row] = f"{sizes[leader]} {what} have this text, first {post_ids[leader].as_py()}"
    return pa.array(values, pa.string())
