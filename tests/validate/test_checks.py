"""The minimal checks build runs: each fails on its planted defect and passes a clean table."""

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corpus_tools.core.schema import load_schemas
from corpus_tools.errors import DataError
from corpus_tools.validate.source import check_tables, table_problems

SCHEMAS = load_schemas()


def hashtag_rows(*rows):
    return pa.Table.from_pylist([dict(zip(("post_id", "offset", "hashtag"), r)) for r in rows],
                                schema=SCHEMAS["hashtags"].arrow)


def test_clean_table_passes(tmp_path):
    pq.write_table(hashtag_rows(("a", 0, "x"), ("a", 5, "y")), tmp_path / "hashtags.parquet")
    assert table_problems(tmp_path / "hashtags.parquet", SCHEMAS["hashtags"]) == []


def test_nullable_required_column_is_a_schema_mismatch(tmp_path):
    # Parquet cannot store a null in a required column, so a file that can hold one declares the
    # column nullable, and the schema comparison catches it.
    loose = pa.schema([f.with_nullable(True) for f in SCHEMAS["hashtags"].arrow])
    pq.write_table(pa.table({"post_id": ["a"], "offset": [0], "hashtag": [None]}, schema=loose),
                   tmp_path / "hashtags.parquet")
    (problem,) = table_problems(tmp_path / "hashtags.parquet", SCHEMAS["hashtags"])
    assert "differs from the declared schema" in problem


def test_duplicate_primary_key(tmp_path):
    pq.write_table(hashtag_rows(("a", 0, "x"), ("a", 0, "y"), ("b", 0, "x")), tmp_path / "hashtags.parquet")
    assert table_problems(tmp_path / "hashtags.parquet", SCHEMAS["hashtags"]) == [
        "hashtags.parquet: 1 duplicate value(s) in post_id/offset, which must be unique"]


def test_other_schema(tmp_path):
    pq.write_table(pa.table({"post_id": ["a"], "offset": [0]}), tmp_path / "hashtags.parquet")
    (problem,) = table_problems(tmp_path / "hashtags.parquet", SCHEMAS["hashtags"])
    assert problem.startswith("hashtags.parquet: differs from the declared schema in post_id, offset, hashtag (found post_id: string, offset: int64)")


def test_missing_and_unreadable_files(tmp_path):
    assert table_problems(tmp_path / "hashtags.parquet", SCHEMAS["hashtags"]) == ["hashtags.parquet: missing"]
    (tmp_path / "hashtags.parquet").write_text("not parquet")
    assert "not a readable Parquet file" in table_problems(tmp_path / "hashtags.parquet", SCHEMAS["hashtags"])[0]


def test_check_tables_raises_one_data_error_listing_problems(tmp_path):
    with pytest.raises(DataError, match="posts.parquet: missing; countries.parquet: missing"):
        check_tables(tmp_path, SCHEMAS)
