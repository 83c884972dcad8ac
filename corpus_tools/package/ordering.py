"""The row order of a published table, declared in its Parquet file (``sorting_columns``), so a query
engine can use it (DuckDB, DataFusion and Spark skip a sort, or prune row groups, on a declared
order) and a reader knows it without scanning.

Every table but the posts is stored sorted by its primary key (the rejects, which have none, by
their source file), ascending, nulls last: a side table is looked up by ``post_id``, and its order
in the converted file (the posts' order) says nothing. The posts keep the order the sources gave
them: it is meaningful (``posts.published_at.channel_order`` reads it for channels without numeric
message ids), so they are not re-sorted, and only as much of ``source_file, source_line_start`` as
they are sorted by is declared (for the bundled dump: both; for several inputs given out of name
order: nothing).

Only what holds is declared: the order is checked, column by column, on the rows themselves.

>>> sort_key(TableSchema("hashtags", {"fields": [{"name": "post_id", "type": "string"}], "primaryKey": ["post_id"]}))
['post_id']
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..convert.parquet import COMPRESSION, ROW_GROUP_SIZE
from ..core.batches import batches
from ..core.schema import TableSchema

SOURCE_ORDER = {"posts": ["source_file", "source_line_start"]}  # kept, and declared as far as it holds
UNKEYED_ORDER = ["source_file"]  # a table without a primary key (rejects) is sorted by this when it has it


def sort_key(schema: TableSchema) -> list[str]:
    """The columns a table is ordered by, as described above (possibly none)."""
    if schema.name in SOURCE_ORDER:
        return SOURCE_ORDER[schema.name]
    return schema.primary_key or [c for c in UNKEYED_ORDER if c in schema.field_names]


def sorted_prefix(path: Path, key: list[str]) -> list[str]:
    """The longest leading part of ``key`` by which the rows of the Parquet file at ``path`` are
    already in order (ascending, nulls last, Arrow's default), read a row group's worth at a time,
    each batch's last row carried over to the next (ten million rows' keys, whole, are gigabytes)."""
    held, last = len(key), None
    for batch in batches(path, batch_size=ROW_GROUP_SIZE, columns=key):
        rows = pa.Table.from_batches([batch])
        rows = pa.concat_tables([last, rows]) if last is not None else rows
        while held and not _in_order(rows, key[:held]):
            held -= 1
        if not held:
            return []
        last = rows.slice(rows.num_rows - 1)
    return list(key[:held])


def _in_order(rows: pa.Table, key: list[str]) -> bool:
    """Are ``rows`` sorted by ``key``? (Arrow's sort is stable: sorted rows keep their places.)"""
    if rows.num_rows < 2:
        return True
    order = pc.sort_indices(rows, sort_keys=[(c, "ascending") for c in key])
    return order.equals(pa.array(range(rows.num_rows), pa.uint64()))


def order_table(path: Path, schema: TableSchema) -> list[str]:
    """Rewrite the Parquet table at ``path`` in its order (``sort_key``), declaring it; returns the
    columns declared. A table already in order is rewritten, streaming, only to declare it, and not
    at all when it declares it (as the spark engine writes the tables a build publishes); the posts
    are never reordered; an empty table is left as it is. A table out of order is sorted in memory.

    Example: ``order_table(Path("stage/hashtags.parquet"), load_schemas()["hashtags"])`` -> ['post_id', 'offset']
    """
    key = sort_key(schema)
    if not key or pq.ParquetFile(path).metadata.num_rows == 0:
        return []  # an order lives in row groups' metadata, and an empty table has none (a row group of no
        # rows would break readers that size their batches by it: datasets)
    keep = schema.name in SOURCE_ORDER
    held = sorted_prefix(path, key)
    declared = held if keep else key
    columns = [pq.SortingColumn(schema.field_names.index(c)) for c in declared]
    in_order = keep or held == key
    if in_order and _declares(path) == columns:  # written in this order and declaring it
        return declared
    if not declared and not _declares(path):
        return []
    table = None if in_order else pq.read_table(path).sort_by([(c, "ascending") for c in key])
    _rewrite(path, schema, table=table, sorting=columns)
    return declared


def _declares(path: Path) -> list[pq.SortingColumn] | None:
    """The order every row group of the Parquet file at ``path`` declares (None when they differ)."""
    meta = pq.ParquetFile(path).metadata
    found = {tuple(meta.row_group(k).sorting_columns) for k in range(meta.num_row_groups)}
    return list(found.pop()) if len(found) == 1 else None


def _rewrite(path: Path, schema: TableSchema, *, table: pa.Table | None, sorting: list[pq.SortingColumn]) -> None:
    """Write ``table`` (or, streaming, the file's own rows) to ``path`` again, with the declared order
    and convert's settings (zstd, its row groups)."""
    temp = path.with_name(f".{path.name}.ordered")
    with pq.ParquetWriter(temp, schema.arrow, compression=COMPRESSION, sorting_columns=sorting or None) as writer:
        if table is not None:
            writer.write_table(table.cast(schema.arrow), row_group_size=ROW_GROUP_SIZE)
        else:
            for batch in batches(path, batch_size=ROW_GROUP_SIZE):
                writer.write_table(pa.Table.from_batches([batch]).cast(schema.arrow), row_group_size=ROW_GROUP_SIZE)
    temp.replace(path)  # inside the staging folder, before anything is published
