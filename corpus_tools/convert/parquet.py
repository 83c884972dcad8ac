"""Writing declared tables to Parquet, streaming, in row groups.

Rows are buffered and flushed every ``row_group_size`` rows, so memory stays bounded however many
posts flow through. The Arrow schema comes from the declared Table Schema, so every file has exactly
the declared columns, in order, with the declared types. Written with zstd compression and no
pandas metadata, so the bytes depend only on the rows (same input -> same file).
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..core.records import Row
from ..core.schema import TableSchema
from ..errors import DataError

ROW_GROUP_SIZE = 16_384  # ~10 MB of posts: memory stays low, readers still scan fast
COMPRESSION = "zstd"


class TableWriter:
    """Append rows of one declared table to one Parquet file.

    A row is any mapping with the declared columns as keys (a dict, or a record's ``vars()``); only
    the declared columns' values are kept, as a tuple, and turned into Arrow columns per row group:
    half the cost of building Arrow tables from dicts, which matters at millions of posts.
    """

    def __init__(self, path: Path, schema: TableSchema, *, arrow: pa.Schema | None = None,
                 row_group_size: int = ROW_GROUP_SIZE) -> None:
        self.path = path
        self.arrow = arrow or schema.arrow  # the declared columns, and any the run adds for itself
        self.row_group_size = row_group_size
        self.rows = 0
        names = self.arrow.names
        self._values = operator.itemgetter(*names) if len(names) > 1 else (lambda row: (row[names[0]],))
        self._buffer: list[tuple] = []
        self._writer = pq.ParquetWriter(path, self.arrow, compression=COMPRESSION)

    def append(self, row: Row) -> None:
        self._buffer.append(self._values(row))
        if len(self._buffer) >= self.row_group_size:
            self._flush()

    def _flush(self) -> None:
        if self._buffer:
            try:
                columns = zip(*self._buffer)
                batch = pa.Table.from_arrays([pa.array(values, type=field.type)
                                              for values, field in zip(columns, self.arrow)], schema=self.arrow)
                self._writer.write_table(batch, row_group_size=self.row_group_size)
            except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
                # A null in a required column, or a value of the wrong type: the rows break the schema.
                # (A full disk is an OSError, and passes: it is no fault of the rows.)
                raise DataError(f"{self.path.name}: rows do not fit the declared schema ({error})") from None
            self.rows += len(self._buffer)
            self._buffer = []

    def close(self) -> int:
        """Flush, close, and return the number of rows written."""
        self._flush()
        self._writer.close()
        return self.rows


class RowGroupWriter:
    """Writes batches, in order, to ``out`` in row groups of ROW_GROUP_SIZE rows, as a one-process
    ``TableWriter`` does (each column one contiguous chunk, so the pages come out the same): how
    tables joined from parts, or rewritten by a later pass, stay byte for byte what one pass writes.
    ``sorting`` names the columns the rows are declared sorted by (ascending, nulls last) in every
    row group's metadata; the caller checks that they are."""

    def __init__(self, out: Path, arrow: pa.Schema, *, sorting: Sequence[str] = ()) -> None:
        declared = [pq.SortingColumn(arrow.get_field_index(name)) for name in sorting] or None
        self._writer: pq.ParquetWriter | None = pq.ParquetWriter(out, arrow, compression=COMPRESSION,
                                                                 sorting_columns=declared)
        self._pending: list[pa.RecordBatch] = []
        self._waiting = 0
        self.rows = 0  # written
        self.added = 0  # written or waiting

    def add(self, batch: pa.RecordBatch) -> None:
        self._pending.append(batch)
        self._waiting += batch.num_rows
        self.added += batch.num_rows
        while self._waiting >= ROW_GROUP_SIZE:
            table = pa.Table.from_batches(self._pending)
            self._write(table.slice(0, ROW_GROUP_SIZE))
            rest = table.slice(ROW_GROUP_SIZE)
            self._pending, self._waiting = rest.to_batches(), rest.num_rows

    def close(self) -> int:
        """Write the last, shorter row group and close the file (again: nothing); the rows written."""
        if self._writer is not None:
            if self._waiting:
                self._write(pa.Table.from_batches(self._pending))
            self._writer.close()
            self._writer, self._pending, self._waiting = None, [], 0
        return self.rows

    def _write(self, table: pa.Table) -> None:
        self._writer.write_table(table.combine_chunks(), row_group_size=ROW_GROUP_SIZE)
        self.rows += table.num_rows
