"""The bundled corpus as a whole, and the committed package built from it: a rebuild reproduces its
every byte and its validation reports, frictionless validates it, and every table reads back the same
in pyarrow, pandas, polars and DuckDB.

The expected segmentation below was established by reading the raw dump line by line: where each
post starts and ends (its forward header, reply quote and media lines included).
"""

import hashlib
import json
import shutil
import subprocess
import sys
import tomllib
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corpus_tools.convert.run import convert
from corpus_tools.convert.steps.dating import Period
from corpus_tools.core.schema import load_schemas
from corpus_tools.core.telegram import INTERFACE_STRINGS
from corpus_tools.package.build import build
from tests.conftest import ROOT, SEED

# (first line, last line) of each post in the raw file.
POST_LINES = [(1, 25), (26, 34), (35, 63), (64, 72), (73, 105), (106, 136), (137, 155), (156, 166),
              (167, 194), (195, 223), (224, 236), (237, 251), (252, 270), (271, 278), (279, 285),
              (286, 310), (311, 324), (325, 343), (344, 368), (369, 399)]
FORWARDS = {252: "MoD Russia", 271: "Russian Mission Geneva", 279: "MoD Russia", 311: "Russian Mission Vienna",
            344: "Embassy of Russia in Ethiopia 🇷🇺"}
REPLIES = {195: 167, 224: 167}  # reply post -> the post its excerpt quotes
MEDIA = {73, 195, 252, 271, 279, 344}


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    out = tmp_path_factory.mktemp("bundled")
    result = convert([SEED], out, channel="MFARussia", period=Period.parse("2025-04-03/2025-04-05"))
    return result, pd.read_parquet(out / "posts.parquet")


@pytest.fixture(scope="module")
def raw_lines():
    return SEED.read_text(encoding="utf-8").split("\n")


def test_every_post_is_recovered_once(converted):
    _, posts = converted
    assert list(zip(posts.source_line_start, posts.source_line_end)) == POST_LINES
    assert posts.post_id.is_unique


def test_post_text_comes_from_its_own_lines_only(converted, raw_lines):
    _, posts = converted
    for post in posts.itertuples():
        own = {line.strip() for line in raw_lines[post.source_line_start - 1:post.source_line_end]}
        assert set(post.text.split("\n")) <= own, post.source_line_start


def test_both_renderings_are_merged_and_nothing_doubles(converted, raw_lines):
    _, posts = converted
    for post in posts.itertuples():
        lines = post.text.split("\n")
        doubled = {line for line, n in Counter(lines).items() if n > 1}
        if post.source_line_start == 369:
            # The last post shows 'Read in full' twice in its first rendering (lines 370 and 385,
            # before its second rendering starts at 386): after the headline and at the end.
            assert doubled == {"Read in full"}
            assert raw_lines[369] == raw_lines[384] == "Read in full" and raw_lines[385] == raw_lines[370]
        else:
            assert not doubled, post.source_line_start
    # Lines only one rendering has are kept: quotes only the second shows, lines only the first does.
    by_start = posts.set_index("source_line_start")
    assert raw_lines[89] in by_start.text[73] and raw_lines[74] in by_start.text[73]
    assert raw_lines[150] in by_start.text[137] and raw_lines[152] in by_start.text[137]
    assert raw_lines[351] in by_start.text[344]


def test_forward_reply_and_media_fields(converted):
    _, posts = converted
    by_start = posts.set_index("source_line_start")
    assert by_start.forwarded_from.dropna().to_dict() == FORWARDS
    replies = by_start.reply_to_post_id.dropna().to_dict()
    assert {k: by_start.index[by_start.post_id == v][0] for k, v in replies.items()} == REPLIES
    assert set(by_start.reply_to_author.dropna()) == {"Russian MFA 🇷🇺"}
    assert set(by_start.index[by_start.has_media]) == MEDIA
    assert by_start.is_truncated.tolist() == [False] * 19 + [True]
    for text in posts.text:
        assert not any(s in text for s in INTERFACE_STRINGS)
        assert not text.startswith("Forwarded from")


def test_dates_are_inferred_marked_days_inside_the_period(converted):
    _, posts = converted
    assert posts.published_at.notna().all()
    assert set(posts.date_precision) == {"day"}
    assert set(posts.date_source) == {"inferred_from_text", "inferred_from_order"}
    days = [d.date().isoformat() for d in posts.published_at]
    assert days == sorted(days) and days[0] == "2025-04-03" and days[-1] == "2025-04-05"
    assert (posts.published_at.dt.time.astype(str) == "00:00:00").all()


def test_line_accounting_adds_up(converted):
    result, _ = converted
    (entry,) = result.inputs
    assert entry.facts["lines"] == len(SEED.read_text(encoding="utf-8").splitlines()) == 399
    assert sum(entry.facts["line_usage"].values()) == 399
    assert entry.facts["line_usage"]["rejected"] == 0
    assert entry.facts["line_usage"]["forward_header"] == len(FORWARDS)
    assert entry.facts["line_usage"]["reply_quote"] == 2 * len(REPLIES)


# --- the committed package ----------------------------------------------------------------------

# Every file `make build` writes besides the resources, relative to the repository root.
OUTPUTS = ["datapackage.json", "croissant.json", "CHANGELOG.md", "CITATION.cff", ".zenodo.json", ".huggingface.yaml",
           "data/manifest.json", "data/README.md", "data/overview.png"]


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    """`make build` in a copy of the repository's dataset: the committed raw file, dataset.toml, and the
    previous version's datapackage.json and CHANGELOG.md. Its folder and the BuildResult; read only."""
    root = tmp_path_factory.mktemp("rebuilt")
    shutil.copy(ROOT / "dataset.toml", root)
    shutil.copytree(ROOT / "data" / "raw", root / "data" / "raw")
    shutil.copy(ROOT / "datapackage.json", root)  # the previous version: keeps `created` for the same version
    shutil.copy(ROOT / "CHANGELOG.md", root)
    return root, build(root / "dataset.toml")


def test_committed_package_is_what_build_makes(rebuilt):
    """`make build` leaves no diff: rebuilding from the committed raw file reproduces every byte."""
    root, result = rebuilt
    assert result.diff is not None and not result.diff.level  # an unchanged rebuild of the published version
    descriptor = json.loads((ROOT / "datapackage.json").read_text())
    assert descriptor["version"] == tomllib.loads((ROOT / "dataset.toml").read_text())["package"]["version"]
    for path in [r["path"] for r in descriptor["resources"]] + OUTPUTS:
        assert (root / path).read_bytes() == (ROOT / path).read_bytes(), path


def test_committed_package_passes_frictionless_validate():
    frictionless = Path(sys.executable).parent / "frictionless"
    result = subprocess.run([str(frictionless), "validate", "datapackage.json"], cwd=ROOT, check=False,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_committed_hashes_match_and_pandas_reads_declared_types():
    descriptor = json.loads((ROOT / "datapackage.json").read_text())
    schemas = load_schemas()
    assert [r["name"] for r in descriptor["resources"]] == list(schemas) + [f"{name}-csv" for name in schemas]
    for resource in descriptor["resources"][:len(schemas)]:
        path = ROOT / resource["path"]
        assert resource["hash"] == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
        schema = schemas[resource["name"]]
        assert pq.read_schema(path).remove_metadata().equals(schema.arrow)
        frame = pd.read_parquet(path)
        assert list(frame.columns) == schema.field_names
        for field in schema.fields:
            dtype = frame[field["name"]].dtype
            expected = {
                "string": pd.api.types.is_string_dtype,
                "integer": pd.api.types.is_integer_dtype,
                "boolean": pd.api.types.is_bool_dtype,
                "datetime": lambda t: str(t) == "datetime64[us, UTC]",
            }[field["type"]]
            assert expected(dtype), (resource["name"], field["name"], dtype)


def test_committed_reports_are_what_build_writes(rebuilt):
    root, result = rebuilt
    assert result.descriptor["validation"] == json.loads((ROOT / "datapackage.json").read_text())["validation"]
    assert result.descriptor["validation"]["passed"] and not result.descriptor["validation"]["failed"]
    for name in ("validation.json", "validation.junit.xml", "validation.html"):
        assert (root / "reports" / name).read_bytes() == (ROOT / "reports" / name).read_bytes(), name
    assert (root / "reports" / "data-docs" / "index.html").is_file()


# --- portable Parquet: every committed table reads back identically - same rows, same values, the
# declared types - in pyarrow, pandas, polars and DuckDB -------------------------------------------

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


def test_the_published_validation_is_what_a_fresh_validate_says(tmp_path, monkeypatch):
    """The descriptor's validation, the card and the reports equal `corpus-tools validate datapackage.json`
    run on the committed package: the file hashes are checked, none skipped."""
    from corpus_tools.package.card import validation_lines
    from corpus_tools.validate.run import validate

    monkeypatch.chdir(ROOT)
    fresh = validate(Path("datapackage.json"), report=tmp_path / "v.json", junit=tmp_path / "v.xml",
                     html=tmp_path / "v.html")
    for name, mine in (("validation.json", "v.json"), ("validation.junit.xml", "v.xml"), ("validation.html", "v.html")):
        assert (tmp_path / mine).read_bytes() == (ROOT / "reports" / name).read_bytes(), name
    published = DESCRIPTOR["validation"]
    assert published["checks"] == len(fresh.results) == 117 and published["skipped"] == [] and published["passed"]
    assert sum(r.spec.id.endswith(".file.hash") and r.status == "passed" for r in fresh.results) == len(TABLES)
    assert "\n".join(validation_lines(published)) in (ROOT / "data" / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "path"), TABLES, ids=[name for name, _ in TABLES])
def test_the_files_describe_their_fields_and_declare_their_order(name, path):
    schema = load_schemas()[name]
    for field in schema.fields:
        assert pq.read_schema(path).field(field["name"]).metadata[b"description"] == field["description"].encode()
    meta = pq.ParquetFile(path).metadata
    if not meta.num_rows:
        assert meta.num_row_groups == 0  # an empty table has no row group to declare an order in
        return
    declared = [schema.field_names[c.column_index] for c in meta.row_group(0).sorting_columns]
    assert declared == (["source_file", "source_line_start"] if name == "posts" else schema.primary_key or ["source_file"])
    table = pq.read_table(path, columns=declared)
    assert table.to_pylist() == table.sort_by([(c, "ascending") for c in declared]).to_pylist()


def test_each_table_reads_as_a_dataset_and_by_glob(duck):
    import pyarrow.dataset as ds

    for name, path in TABLES:
        relative = path.relative_to(ROOT).as_posix()
        assert ds.dataset(ROOT / relative).to_table().num_rows == pq.ParquetFile(path).metadata.num_rows
        glob = (ROOT / relative).with_name(f"{name}*.parquet")  # the glob the docs give, for tables in parts
        count = duck.sql(f"SELECT count(*) FROM read_parquet('{glob}')").fetchall()[0][0]
        assert count == pq.ParquetFile(path).metadata.num_rows, name
