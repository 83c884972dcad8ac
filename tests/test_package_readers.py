"""Portable Parquet: every committed table reads back identically - same rows, same values, the declared
types - in pyarrow, pandas, polars and DuckDB."""

import json
from datetime import UTC, datetime

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corpus_tools.core.schema import load_schemas

from tests.conftest import ROOT

DESCRIPTOR = json.loads((ROOT / "datapackage.json").read_text())
TABLES = [(r["name"], ROOT / r["path"]) for r in DESCRIPTOR["resources"] if r["format"] == "parquet"]

# Declared type -> the type each reader must give the column.
POLARS = {"string": pl.String, "integer": pl.Int64, "number": pl.Float64, "boolean": pl.Boolean,
          "datetime": pl.Datetime("us", "UTC"), "date": pl.Date}
DUCKDB = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN",
          "datetime": "TIMESTAMP WITH TIME ZONE", "date": "DATE"}
PANDAS = {"string": {"str", "object"}, "integer": {"int64", "Int64"}, "number": {"float64"},
          "boolean": {"bool", "boolean"}, "datetime": {"datetime64[us, UTC]"}, "date": {"object"}}


def normal(value):
    """One spelling per value across readers: pandas' missing markers are None, timestamps are UTC."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return value.item() if hasattr(value, "item") else value


def rows(records):
    return [{k: normal(v) for k, v in record.items()} for record in records]


@pytest.fixture(scope="module")
def duck():
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")
    return connection


@pytest.mark.parametrize(("name", "path"), TABLES, ids=[name for name, _ in TABLES])
def test_four_readers_give_the_same_table(name, path, duck):
    schema = load_schemas()[name]
    arrow = pq.read_table(path)
    assert arrow.schema.remove_metadata().equals(schema.arrow)
    expected = rows(arrow.to_pylist())

    frame = pd.read_parquet(path)
    assert {c: str(t) for c, t in frame.dtypes.items()}.keys() == set(schema.field_names)
    for field in schema.fields:
        assert str(frame[field["name"]].dtype) in PANDAS[field["type"]], (field["name"], frame[field["name"]].dtype)
    assert rows(frame.to_dict("records")) == expected

    polars = pl.read_parquet(path)
    assert polars.schema == {f["name"]: POLARS[f["type"]] for f in schema.fields}
    assert rows(polars.to_dicts()) == expected

    relation = duck.sql(f"SELECT * FROM read_parquet('{path}')")
    assert dict(zip(relation.columns, map(str, relation.types))) == {f["name"]: DUCKDB[f["type"]] for f in schema.fields}
    assert rows(dict(zip(relation.columns, row)) for row in relation.fetchall()) == expected


def test_the_files_are_portable_parquet():
    """zstd, UTC microsecond timestamps, strings as UTF-8 logical type: nothing a reader trips on."""
    for name, path in TABLES:
        meta = pq.ParquetFile(path).metadata
        for group in range(meta.num_row_groups):
            assert {meta.row_group(group).column(c).compression for c in range(meta.num_columns)} == {"ZSTD"}, name
        for field in pq.read_schema(path):
            if pa.types.is_timestamp(field.type):
                assert (field.type.unit, field.type.tz) == ("us", "UTC"), (name, field.name)
            assert not pa.types.is_large_string(field.type) and not pa.types.is_dictionary(field.type)
