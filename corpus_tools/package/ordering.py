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
from ..core.schema import TableSchema

SOURCE_ORDER = {"posts": ["source_file", "source_line_start"]}  # kept, and declared as far as it holds
UNKEYED_ORDER = ["source_file"]  # a table without a primary key (rejects) is sorted by this when it has it


def sort_key(schema: TableSchema) -> list[str]:
    """The columns a table is ordered by, as described above (possibly none)."""
    if schema.name in SOURCE_ORDER:
        return SOURCE_ORDER[schema.name]
    return schema.primary_key or [c for c in UNKEYED_ORDER if c in schema.field_names]


def _sorted_prefix(table: pa.Table, key: list[str]) -> list[str]:
    """The longest leading part of ``key`` by which the rows of ``table`` are already in order (nulls
    last, Arrow's default)."""
    if table.num_rows < 2:
        return list(key)
    order = pc.sort_indices(table, sort_keys=[(c, "ascending") for c in key])
    identity = pa.array(range(table.num_rows), pa.uint64())
    if order.equals(identity):
        return list(key)
    return _sorted_prefix(table, key[:-1]) if len(key) > 1 else []


def order_table(path: Path, schema: TableSchema) -> list[str]:
    """Rewrite the Parquet table at ``path`` in its order (``sort_key``), declaring it; returns the
    columns declared. A table already in order is rewritten only to declare it; the posts are never
    reordered; an empty table is left as it is.

    Example: ``order_table(Path("stage/hashtags.parquet"), load_schemas()["hashtags"])`` -> ['post_id', 'offset']
    """
    key = sort_key(schema)
    if not key or pq.ParquetFile(path).metadata.num_rows == 0:
        return []  # an order lives in row groups' metadata, and an empty table has none (a row group of no
        # rows would break readers that size their batches by it: datasets)
    keep = schema.name in SOURCE_ORDER
    table = pq.read_table(path, columns=key if keep else None)
    declared = _sorted_prefix(table, key) if keep else key
    columns = [pq.SortingColumn(schema.field_names.index(c)) for c in declared]
    if keep and _declares(path) == columns:  # written in this order and declaring it (convert's posts_order)
        return declared
    if not declared and not _declares(path):
        return []
    if not keep:
        table = table.sort_by([(c, "ascending") for c in key])
    _rewrite(path, schema, table=None if keep else table, sorting=columns)
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
            for batch in pq.ParquetFile(path).iter_batches(batch_size=ROW_GROUP_SIZE):
                writer.write_table(pa.Table.from_batches([batch]).cast(schema.arrow), row_group_size=ROW_GROUP_SIZE)
    temp.replace(path)  # inside the staging folder, before anything is published
