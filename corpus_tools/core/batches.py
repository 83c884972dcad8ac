"""Reading a Parquet file batch by batch in memory that does not grow with the file.

pyarrow's ``ParquetFile.iter_batches`` keeps memory allocated as it goes (apache/arrow#39808: Arrow's
own allocation count climbs with every row group read, and stays up until the iterator is gone). On
the posts table that was about 0.3 KB a post whichever allocator Arrow used (measured with pyarrow
26: 54 -> 319 MB over a million posts, where reading the same row groups one by one stays at 23 MB),
and the CSV twins are read in the build's own process: at ten million posts it reached 3.7 GB. Every reader
of a whole table therefore goes through ``batches`` here: one row group read at a time
(``read_row_group``, which keeps nothing), its rows handed on in batches cut as ``iter_batches`` cuts
them.

>>> import pyarrow as pa, pyarrow.parquet as pq, tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "t.parquet"
>>> pq.write_table(pa.table({"a": list(range(5))}), path, row_group_size=2)
>>> [b.num_rows for b in batches(path, batch_size=3)]
[3, 2]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq


def batches(path: Path, *, batch_size: int, columns: Sequence[str] | None = None) -> Iterator[pa.RecordBatch]:
    """The rows of the Parquet file ``path`` (only ``columns``, if given), in file order, as record
    batches of ``batch_size`` rows (the last one shorter), cut as ``iter_batches`` cuts them: across
    row groups, so that what is written batch by batch comes out the same."""
    parquet = pq.ParquetFile(path)
    wanted = list(columns) if columns is not None else None
    pending: list[pa.RecordBatch] = []
    waiting = 0
    for index in range(parquet.metadata.num_row_groups):
        for batch in parquet.read_row_group(index, columns=wanted).to_batches():
            while batch.num_rows:
                taken = min(batch_size - waiting, batch.num_rows)
                pending.append(batch.slice(0, taken))
                waiting, batch = waiting + taken, batch.slice(taken)
                if waiting == batch_size:
                    yield _joined(pending)
                    pending, waiting = [], 0
    if waiting:
        yield _joined(pending)


def _joined(pieces: list[pa.RecordBatch]) -> pa.RecordBatch:
    """One batch of ``pieces`` (slices of one or two row groups), copied only when there are several."""
    if len(pieces) == 1:
        return pieces[0]
    return pa.Table.from_batches(pieces).combine_chunks().to_batches()[0]
