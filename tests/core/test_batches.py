"""core.batches gives the rows and batch boundaries pyarrow's iter_batches gives, row group by row group."""

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corpus_tools.core.batches import batches


@pytest.mark.parametrize(("rows", "group", "size"), [(0, 4, 3), (5, 2, 3), (10, 3, 3), (10, 4, 2), (7, 10, 3), (9, 2, 20)])
def test_the_batches_are_iter_batches_ones(tmp_path, rows, group, size):
    path = tmp_path / "t.parquet"
    table = pa.table({"a": pa.array(range(rows), pa.int64()), "b": pa.array([f"x{i}" for i in range(rows)])})
    pq.write_table(table, path, row_group_size=group)
    expected = list(pq.ParquetFile(path).iter_batches(batch_size=size, columns=["b"]))
    found = list(batches(path, batch_size=size, columns=["b"]))
    assert [b.num_rows for b in found] == [b.num_rows for b in expected]
    assert [b.to_pylist() for b in found] == [b.to_pylist() for b in expected]
    assert all(b.schema.names == ["b"] for b in found)


def test_all_columns_by_default(tmp_path):
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"a": [1, 2, 3], "b": ["x", "y", "z"]}), path, row_group_size=2)
    assert pa.Table.from_batches(list(batches(path, batch_size=2))).to_pydict() == {"a": [1, 2, 3], "b": ["x", "y", "z"]}
