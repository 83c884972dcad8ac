"""What changed in a table's rows between two versions: matched by primary key, rows are added,
removed or changed (with the fields that differ); tables without a key are compared as bags of rows.

The bump each needs (the Data Package Version recipe): added rows are new data (minor), unless the
table's schema declares them otherwise (``"addedRows": "patch"``: post_sources, whose rows record where
known posts were found again, not new data); changed
values are corrections (patch); removed rows are a patch too, unless another table refers to the
table (posts: the side tables and replies point at post_id) - deleting referenced data is
incompatible (major). For text dumps a post's id is a hash of its text, so a corrected text
shows as one post removed and one added: researchers who cited the old id lose it, and the
version says so.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .semver import Level

OLD, NEW = "__old", "__new"  # markers of which side of the join a row came from


@dataclass
class TableDiff:
    """Rows added, removed and changed in one table; keys are tuples of the primary key's values
    (whole rows for tables without a key)."""

    table: str
    old_rows: int
    new_rows: int
    added: list[tuple] = field(default_factory=list)
    removed: list[tuple] = field(default_factory=list)
    changed: list[tuple[tuple, list[str]]] = field(default_factory=list)
    referenced: bool = False
    added_level: Level = Level.MINOR  # what added rows need: a patch for provenance (``addedRows``)

    @property
    def level(self) -> Level:
        if self.removed:
            return Level.MAJOR if self.referenced else Level.PATCH
        if self.added:
            return self.added_level
        return Level.PATCH if self.changed else Level.NONE

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def _order(row: tuple) -> tuple:
    """Sort key for rows whose columns may hold nulls: nulls last, values in their own order."""
    return tuple((v is None, v) for v in row)


def _differs(a: pa.ChunkedArray, b: pa.ChunkedArray) -> pa.ChunkedArray:
    """Row by row: the values differ, a null differing from any value but not from another null."""
    same = pc.or_(pc.fill_null(pc.equal(a, b), False), pc.and_(pc.is_null(a), pc.is_null(b)))
    return pc.invert(same)


def _keyed(diff: TableDiff, old: pa.Table, new: pa.Table, key: list[str]) -> None:
    values = [c for c in new.column_names if c not in key and c in old.column_names
              and old.schema.field(c).type == new.schema.field(c).type]
    old = old.select(key + values).append_column(OLD, pa.array([True] * old.num_rows, type=pa.bool_()))
    new = new.select(key + values).append_column(NEW, pa.array([True] * new.num_rows, type=pa.bool_()))
    joined = new.join(old, keys=key, join_type="full outer", left_suffix="", right_suffix=OLD, coalesce_keys=True)
    keys = list(zip(*(joined.column(k).to_pylist() for k in key)))
    in_old, in_new = joined.column(OLD).is_valid().to_pylist(), joined.column(NEW).is_valid().to_pylist()
    flags = {c: _differs(joined.column(c), joined.column(c + OLD)).to_pylist() for c in values}
    for i, row_key in enumerate(keys):
        if not in_old[i]:
            diff.added.append(row_key)
        elif not in_new[i]:
            diff.removed.append(row_key)
        elif fields := [c for c in values if flags[c][i]]:
            diff.changed.append((row_key, fields))


def _bags(diff: TableDiff, old: pa.Table, new: pa.Table) -> None:
    columns = [c for c in new.column_names if c in old.column_names]
    old_rows = Counter(zip(*(old.column(c).to_pylist() for c in columns)))
    new_rows = Counter(zip(*(new.column(c).to_pylist() for c in columns)))
    diff.added = list((new_rows - old_rows).elements())
    diff.removed = list((old_rows - new_rows).elements())


def diff_table(table: str, old_path: Path, new_path: Path, *, key: list[str], referenced: bool = False,
               added_level: Level = Level.MINOR) -> TableDiff:
    """Compare two Parquet files of one table, by ``key`` when both have its columns.

    Example: ``diff_table("posts", Path("v1/posts.parquet"), Path("v2/posts.parquet"), key=["post_id"]).added``
    """
    old, new = pq.read_table(old_path), pq.read_table(new_path)
    diff = TableDiff(table, old.num_rows, new.num_rows, referenced=referenced, added_level=added_level)
    if key and all(k in old.column_names and k in new.column_names for k in key):
        _keyed(diff, old, new, key)
    else:
        _bags(diff, old, new)
    diff.added.sort(key=_order)
    diff.removed.sort(key=_order)
    diff.changed.sort(key=lambda item: _order(item[0]))
    return diff
