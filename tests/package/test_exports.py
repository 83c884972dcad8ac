"""package.exports: the gzip CSV twins read back as exactly the Parquet content - null apart from the
empty string, quotes, newlines, 'NA', unicode, microseconds - in frictionless, pandas and DuckDB."""

import gzip
import json

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from frictionless import Resource, Schema

from corpus_tools.core.schema import TableSchema
from corpus_tools.package.exports import ESCAPE, NULL_MARKER, csv_schema, write_csv
from tests.package.conftest import ROWS, SCHEMA, edge_package

CSV = (  # strings always quoted, so "" is the empty string and the bare marker \N is null
    'id,text,note,n,x,flag,at,day\r\n'
    '"a","",\\N,\\N,\\N,\\N,\\N,\\N\r\n'
    '"NA","a ""quote"", a comma\nand a second line","",-5,1.5,true,"2025-04-03T12:30:01.123456Z",2025-04-03\r\n'
    '"c","🇷🇺 кириллица\r\nCRLF","NULL",1099511627776,1e-7,false,"2025-04-05T00:00:00.000000Z",2025-04-05\r\n'
)


@pytest.fixture
def package(tmp_path):
    return edge_package(tmp_path)


def test_exact_text_and_a_reproducible_gzip(package):
    raw = (package.parent / "data" / "things.csv.gz").read_bytes()
    assert gzip.decompress(raw).decode("utf-8") == CSV
    assert raw[3] & 0x08 == 0 and raw[4:8] == b"\0\0\0\0"  # no file name, mtime 0
    again = package.parent / "again.csv.gz"
    write_csv(package.parent / "data" / "things.parquet", again, SCHEMA)
    assert again.read_bytes() == raw


def test_the_csv_schema_declares_the_marker_and_points_at_csv_twins():
    posts = TableSchema("hashtags", {"fields": [{"name": "post_id", "type": "string"}], "missingValues": [],
                                     "foreignKeys": [{"fields": ["post_id"], "reference": {"resource": "posts", "fields": ["post_id"]}},
                                                     {"fields": ["post_id"], "reference": {"fields": ["post_id"]}}]})
    derived = csv_schema(posts)
    assert derived["missingValues"] == [NULL_MARKER]
    assert [k["reference"].get("resource") for k in derived["foreignKeys"]] == ["posts-csv", None]
    assert posts.descriptor["missingValues"] == []  # the declared schema is not touched


def test_frictionless_reads_back_the_parquet_rows(package):
    resource = json.loads(package.read_text())["resources"][1]
    with Resource(path=resource["path"], basepath=str(package.parent),
                  schema=Schema.from_descriptor(resource["schema"])) as table:
        rows = [row.to_dict() for row in table.read_rows()]
    assert [{**r, "x": None if r["x"] is None else float(r["x"])} for r in rows] == ROWS


def test_pandas_and_duckdb_read_back_the_parquet_rows(package):
    path = package.parent / "data" / "things.csv.gz"
    frame = pd.read_csv(path, na_values=[NULL_MARKER], keep_default_na=False, dtype={"n": "Int64"})
    assert frame["text"].tolist() == [r["text"] for r in ROWS]
    assert frame["note"].isna().tolist() == [True, False, False] and frame["note"][1:].tolist() == ["", "NULL"]
    assert frame["id"].tolist() == ["a", "NA", "c"]
    assert frame["n"].tolist()[1:] == [-5, 2**40] and frame["n"].isna()[0]
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")
    rows = connection.execute(f"SELECT * FROM read_csv('{path}', nullstr='{NULL_MARKER}')").fetchall()
    assert [row[:6] for row in rows] == [tuple(r[k] for k in ("id", "text", "note", "n", "x", "flag")) for r in ROWS]
    assert [row[6] for row in rows] == [r["at"] for r in ROWS]


RISKY = [NULL_MARKER, '=HYPERLINK("http://x.org","x")', "+1", "-1 item", "@SUM(A1)", "'quoted", "\ttab",
         "\rreturn", "\\path", "plain", "a = b"]


def test_formulas_and_the_null_marker_are_escaped_and_round_trip(tmp_path):
    rows = [dict(ROWS[0], id=f"r{k}", text=value, note=value) for k, value in enumerate(RISKY)]
    rows.append(dict(ROWS[0], id="null", text="", note=None))
    pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMA.arrow), tmp_path / "t.parquet")
    write_csv(tmp_path / "t.parquet", tmp_path / "t.csv.gz", SCHEMA)
    lines = gzip.decompress((tmp_path / "t.csv.gz").read_bytes()).decode().split("\r\n")
    assert lines[1].startswith('"r0","\'\\N","\'\\N",')  # the text \N: escaped, so not the null marker
    assert lines[2].startswith('"r1","\'=HYPERLINK(""http://x.org"",""x"")",')  # no spreadsheet runs it
    assert lines[-2].startswith('"null","",\\N,')  # a null is still the bare marker
    table = Resource(path="t.csv.gz", basepath=str(tmp_path), schema=Schema.from_descriptor(csv_schema(SCHEMA)))
    read = table.read_rows()
    escaped = [row["text"] for row in read[:len(RISKY)]]
    assert [cell.startswith(ESCAPE) for cell in escaped] == [True] * 9 + [False] * 2
    undone = [cell[1:] if cell.startswith(ESCAPE) else cell for cell in escaped]
    assert undone == RISKY and [row["note"] for row in read][-1] is None
