"""validate on the Spark engine gives the local engine's ValidationResult (every check's status,
failing count, message and example rows, the near-duplicate clusters, the statistics) on tables with
hand-planted defects, on the real samples, and, through the command line, on a synthetic corpus with
planted duplicates and near-duplicates (its JSON report the local one byte for byte). The Spark
computed columns equal the local families' row for row.

One local[2] session for the module. Skipped without pyspark or Java (failing instead when
CORPUS_TOOLS_REQUIRE_SPARK is set).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from corpus_tools.convert.run import convert
from corpus_tools.core.engine import Engine
from corpus_tools.core.schema import load_schemas
from corpus_tools.synth import synth
from corpus_tools.validate.base import Store
from corpus_tools.validate.config import load_config
from corpus_tools.validate.run import validate
from corpus_tools.validate.source import open_dataset
from corpus_tools.validate.suites import families
from tests.conftest import SAMPLES, invoke, require_spark
from tests.validate.conftest import clean_tables, moment, post_row, write_package, write_tables

NOW = datetime(2026, 11, 28, tzinfo=UTC)
# Small data: few shuffle partitions, and no code generation or adaptive planning, whose fixed
# cost per query is most of a query's time here.
CONF = {"spark.sql.shuffle.partitions": "2", "spark.sql.codegen.wholeStage": "false",
        "spark.sql.adaptive.enabled": "false"}


@pytest.fixture(scope="module")
def engine():
    require_spark()
    from corpus_tools.core.engine import spark_session

    chosen = Engine("spark", "local[2]", CONF)
    session = spark_session(chosen)
    yield chosen
    session.stop()


def outcome(result) -> tuple[dict, dict]:
    """What both engines must agree on: each check's result, and the statistics."""
    checks = {r.spec.id: (r.status, r.unexpected, r.total, r.observed, r.message, r.examples, r.details)
              for r in result.results}
    return checks, result.statistics


def assert_same(local, spark) -> None:
    (local_checks, local_stats), (spark_checks, spark_stats) = outcome(local), outcome(spark)
    assert list(local_checks) == list(spark_checks)
    differing = {k: (local_checks[k], spark_checks[k]) for k in local_checks if local_checks[k] != spark_checks[k]}
    assert not differing
    assert local_stats == spark_stats


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """~3000 synthetic posts with exact and near duplicates planted, converted to a folder of tables."""
    folder = tmp_path_factory.mktemp("synthetic")
    synth(folder / "corpus.json", posts=3000, format="telegram-json", seed=11)
    convert([folder / "corpus.json"], folder / "tables")
    return folder / "tables"


def planted(folder):
    """The clean tables with a defect of each kind planted; a package of them (with hashes)."""
    tables = clean_tables()
    tables["hashtags"].append({"post_id": "gamma/1", "offset": 0, "hashtag": "lost"})  # a dangling foreign key
    post_row(tables, "beta/2")["reply_to_post_id"] = "alpha/999"  # and a dangling reply
    post_row(tables, "beta/1")["published_at"] = datetime(2025, 3, 15, 9, tzinfo=UTC)  # out of the coverage
    post_row(tables, "alpha/4")["published_at"] = moment(4, 10, 30)  # before alpha/3: out of channel order
    post_row(tables, "alpha/2")["source_file"] = None  # a required value missing
    post_row(tables, "alpha/3")["author_id"] = "user123456789"  # a raw user id in a pseudonymised field
    post_row(tables, "beta/1")["author"] = "Ivan Petrov"  # a private person's name
    for post_id in ("alpha/2", "alpha/3", "beta/2"):  # three copies of one text, in two channels
        post_row(tables, post_id)["text"] = post_row(tables, "alpha/1")["text"]
    post_row(tables, "beta/3")["post_id"] = "beta/1"  # a repeated primary key
    write_tables(folder, tables, loose=True)  # loose: source_file may hold the null
    return write_package(folder)


def test_planted_defects_fail_the_same_checks_with_the_same_first_rows(engine, tmp_path):
    package = planted(tmp_path)
    # Two examples a check, fewer than some checks' failing rows: both must list the first ones.
    options = {"now": NOW, "private_terms": {"Ivan Petrov"}, "overrides": {"examples": 2}}
    local, spark = validate(package, **options), validate(package, engine=engine, **options)
    assert_same(local, spark)
    failing = {r.spec.id: [e["row"] for e in r.examples] for r in spark.results if r.failed}
    assert failing["hashtags.post_id.resolves"] == [2] and failing["posts.reply_to_post_id.resolves"] == [6]
    assert failing["posts.published_at.in_coverage"] == [5] and failing["posts.published_at.channel_order"] == [3]
    assert failing["posts.source_file.not_null"] == [1] and failing["posts.author_id.pseudonymised"] == [2]
    assert failing["posts.author.no_private_names"] == [5] and failing["posts.post_id.unique"] == [5, 7]
    assert failing["posts.text.exact_duplicates_in_channel"] == [0, 1]  # of 3; beta/2's copy is in another channel
    assert failing["posts.text.exact_duplicates_across_channels"] == [0, 1]  # of 4


@pytest.mark.skipif(not (SAMPLES / "telegram_desktop").is_dir(), reason="no shared samples")
def test_the_real_samples_validate_the_same(engine, tmp_path):
    convert(sorted((SAMPLES / "telegram_desktop").glob("*.json")), tmp_path / "tables")
    local, spark = validate(tmp_path / "tables", now=NOW), validate(tmp_path / "tables", now=NOW, engine=engine)
    assert_same(local, spark)
    assert spark.statistics["rows"]["posts"] > 300 and any(r.failed for r in spark.results)


def test_the_computed_columns_are_the_local_ones(engine, tmp_path):
    """Every column the families compute, but near-duplicates, row for row (no GX: the columns only)."""
    from corpus_tools.core.engine import spark_session
    from corpus_tools.validate.run import _computed, _Timer
    from corpus_tools.validate.spark.run import Tables, table_frame

    schemas, settings = load_schemas(), load_config()
    dataset = open_dataset(planted(tmp_path), schemas)
    store = Store({name: t.path for name, t in dataset.tables.items()}, private_terms={"Ivan Petrov"})
    checks = [f for f in families(schemas, settings) if f.name != "near_duplicates"]
    local = _computed(dataset, store, checks, _Timer())
    tables = Tables(spark_session(engine), dataset, schemas, {"Ivan Petrov"})
    specs = [s for f in checks for s in f.specs()]
    for table, computed in local.items():
        table_specs = [s for s in specs if s.table == table and set(s.columns) & set(computed)]
        frame, _ = table_frame(table, table_specs, tables, settings)
        rows = frame.collect()
        assert [r["row"] for r in rows] == list(range(store.rows(table)))
        for name in {c for s in table_specs for c in s.columns} & set(computed):
            assert [_utc(r[name]) for r in rows] == computed[name].to_pylist(), (table, name)


@pytest.mark.parametrize("block", [1, 2, 3])
def test_a_channel_cut_into_blocks_keeps_each_posts_previous_date(engine, tmp_path, monkeypatch, block):
    """previous_dates' blocks of a channel's order (BLOCK places, 100,000 unless patched) carry the
    latest date across: a post with no dated post before it in its block takes the earlier blocks'."""
    from corpus_tools.core.engine import spark_session
    from corpus_tools.validate.families.dates import Dates
    from corpus_tools.validate.spark import families as spark_families
    from corpus_tools.validate.spark.run import Tables, table_frame

    monkeypatch.setattr(spark_families, "BLOCK", block)
    schemas, settings = load_schemas(), load_config()
    tables = clean_tables()
    post_row(tables, "alpha/2")["published_at"] = None  # an undated post: the date before it carries on
    post_row(tables, "alpha/4")["published_at"] = moment(4, 10, 30)  # before alpha/3: out of channel order
    write_tables(tmp_path, tables, loose=True)
    dataset = open_dataset(write_package(tmp_path), schemas)
    store = Store({name: t.path for name, t in dataset.tables.items()})
    local = Dates(schemas, settings).columns(store)["posts"]["published_at__previous"].to_pylist()
    spec = next(s for s in Dates(schemas, settings).specs() if s.id == "posts.published_at.channel_order")
    frame, _ = table_frame("posts", [spec], Tables(spark_session(engine), dataset, schemas, set()), settings)
    assert [_utc(r["published_at__previous"]) for r in frame.collect()] == local
    assert local.count(None) < len(local) - 2  # dates carried, not only the first of each channel missing


def _utc(value):
    """Spark's timestamps come naive, in this process's time zone; Arrow's are aware."""
    return value.astimezone(UTC) if isinstance(value, datetime) and value.tzinfo is None else value


def test_a_synthetic_corpus_gets_the_same_report_from_the_command_line(engine, synthetic, tmp_path):
    """The JSON report holds every check's result and the statistics, and is deterministic: equal bytes
    are an equal outcome. (Run last: the command line's engine brings the default partitions back.)"""
    ran = {name: invoke("validate", synthetic, "--report", tmp_path / f"{name}.json", *options)
           for name, options in (("local", ()), ("spark", ("--engine", "spark", "--spark-master", "local[2]")))}
    assert ran["local"].exit_code == ran["spark"].exit_code == 1, ran["spark"].output  # the planted exact duplicates
    assert (tmp_path / "local.json").read_bytes() == (tmp_path / "spark.json").read_bytes()
    report = json.loads((tmp_path / "spark.json").read_text())
    checks = {c["id"]: c for c in report["checks"]}
    assert report["statistics"]["near_duplicates"]["clusters"] > 10 and checks["posts.text.near_duplicates"]["details"]
    assert checks["posts.text.exact_duplicates_in_channel"]["status"] == "failed"


@pytest.mark.parametrize("rows", [
    [("a", 0, "x"), ("a", 5, "y")],
    [("a", 0, "x"), ("a", 0, "y"), ("b", 0, "x"), ("a", 0, "z"), ("b", 1, "x")],
])
def test_build_checks_count_repeated_keys_as_locally(engine, tmp_path, rows):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from corpus_tools.core.engine import spark_session
    from corpus_tools.validate.source import repeated_in_file
    from corpus_tools.validate.spark.families import repeated_on_spark

    schema = load_schemas()["hashtags"]
    path = tmp_path / "hashtags.parquet"
    pq.write_table(pa.Table.from_pylist([dict(zip(("post_id", "offset", "hashtag"), r)) for r in rows],
                                        schema=schema.arrow), path)
    on_spark = repeated_on_spark(spark_session(engine))
    for key in (["post_id", "offset"], ["post_id"], ["hashtag"]):
        assert on_spark(path, key) == repeated_in_file(path, key)
    assert on_spark(path, ["post_id", "offset"]) == (0 if len(rows) == 2 else 2)
