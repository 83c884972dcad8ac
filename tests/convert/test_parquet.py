import pyarrow.parquet as pq
import pytest

from corpus_tools.convert.parquet import TableWriter
from corpus_tools.core.schema import load_schemas
from corpus_tools.errors import DataError

HASHTAGS = load_schemas()["hashtags"]


def write_rows(path, rows, row_group_size=2):
    writer = TableWriter(path, HASHTAGS, row_group_size=row_group_size)
    for row in rows:
        writer.append(row)
    return writer.close()


ROWS = [{"post_id": f"c/{i}", "offset": i, "hashtag": f"t{i}"} for i in range(5)]


def test_rows_are_written_in_row_groups_with_the_declared_schema(tmp_path):
    assert write_rows(tmp_path / "h.parquet", ROWS) == 5
    meta = pq.ParquetFile(tmp_path / "h.parquet").metadata
    assert meta.num_row_groups == 3 and meta.num_rows == 5
    assert meta.row_group(0).column(0).compression == "ZSTD"
    table = pq.read_table(tmp_path / "h.parquet")
    assert table.schema.remove_metadata().equals(HASHTAGS.arrow)
    assert table.to_pylist() == ROWS


def test_same_rows_same_bytes(tmp_path):
    write_rows(tmp_path / "a.parquet", ROWS)
    write_rows(tmp_path / "b.parquet", ROWS)
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()


def test_empty_table_still_has_the_schema(tmp_path):
    assert write_rows(tmp_path / "e.parquet", []) == 0
    assert pq.read_schema(tmp_path / "e.parquet").remove_metadata().equals(HASHTAGS.arrow)


def test_null_in_required_column_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="h.parquet: rows do not fit the declared schema"):
        write_rows(tmp_path / "h.parquet", [{"post_id": "c/1", "offset": 0, "hashtag": None}])
