"""corpus-tools validate through the command line: exit codes, one-line errors, reports, config."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from corpus_tools.cli import app

from tests.validate.conftest import near_duplicate_pair, unmerged_renderings, write_package, write_tables

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def package(tmp_path, tables):
    write_tables(tmp_path, tables)
    return write_package(tmp_path)


def test_a_valid_package_exits_0_and_prints_the_summary(package):
    result = invoke("validate", package)
    assert result.exit_code == 0, result.output
    assert re.search(r"^posts\s+dates\s+4\s+4\s+0\s+0\s+0$", result.output, re.MULTILINE)
    assert result.output.strip().splitlines()[-1].startswith(f"PASSED: {package}: 76 checks, 76 passed")


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: p.parent / "nothing.json", "nothing.json: no such file or folder"),
    (lambda p: (p.write_text("{not json"), p)[1], "the data package descriptor is not JSON"),
    (lambda p: (p.write_text('{"name": "x"}'), p)[1], "not a data package descriptor"),
    (lambda p: (p.write_text(p.read_text().replace('"name": "links"', '"name": "lynx"')), p)[1], "no resource 'links'"),
    (lambda p: ((p.parent / "mentions.parquet").unlink(), p)[1], "mentions.parquet: missing"),
    (lambda p: ((p.parent / "reactions.parquet").write_bytes(b""), p)[1], "reactions.parquet: not a readable Parquet"),
    (lambda p: ((p.parent / "posts.parquet").write_text("PAR1 garbage"), p)[1], "posts.parquet: not a readable Parquet"),
], ids=["missing path", "not json", "no resources", "resource absent", "file missing", "empty file", "not parquet"])
def test_unusable_input_is_one_line_and_exit_2(package, make, message):
    result = invoke("validate", make(package))
    assert result.exit_code == 2, result.output
    (line,) = result.output.strip().splitlines()
    assert line.startswith("error: ") and message in line and "Traceback" not in result.output


def test_a_hash_mismatch_fails_its_check(package):
    path = package.parent / "hashtags.parquet"
    table = pq.read_table(path)
    pq.write_table(table.slice(0, 1), path)  # other bytes, still a valid table
    result = invoke("validate", package)
    assert result.exit_code == 1
    (line,) = [x for x in result.output.splitlines() if x.startswith("FAILED (")]
    assert line.startswith("FAILED (error): hashtags.file.hash: hashtags.parquet: sha256 is ")


def test_a_parquet_file_of_another_schema_fails_and_its_checks_are_skipped(package):
    pq.write_table(pq.read_table(package.parent / "hashtags.parquet"), package.parent / "links.parquet")
    write_package(package.parent)  # hashes as they now are: the schema is what is wrong
    result = invoke("validate", package)
    assert result.exit_code == 1
    (line,) = [x for x in result.output.splitlines() if x.startswith("FAILED (")]
    assert line.startswith("FAILED (error): links.file.schema: links.parquet: differs from the declared schema in url, label")
    assert "skipped: links.post_id.not_null, links.offset.not_null" in result.output


def test_an_empty_posts_table_fails(tmp_path, tables):
    for name in tables:
        tables[name] = []
    result = invoke("validate", write_tables(tmp_path, tables))
    assert result.exit_code == 1
    assert "FAILED (error): posts.rows.not_empty: observed 0" in result.output


def test_an_empty_side_table_is_fine(tmp_path, tables):
    tables["hashtags"] = []
    assert invoke("validate", write_tables(tmp_path, tables)).exit_code == 0


def test_reports_json_and_junit(tmp_path, tables):
    unmerged_renderings(tables)
    near_duplicate_pair(tables)
    folder = write_tables(tmp_path / "data", tables)
    report, junit = tmp_path / "r.json", tmp_path / "r.xml"
    result = invoke("validate", folder, "--report", report, "--junit", junit)
    assert result.exit_code == 1
    data = json.loads(report.read_text())
    assert list(data) == ["format", "tool", "dataset", "temporal_coverage", "fail_on", "passed", "counts",
                          "statistics", "config", "checks"]
    assert data["passed"] is False and data["counts"] == {"checks": 76, "passed": 67, "failed_error": 1,
                                                          "failed_warning": 1, "skipped": 7}
    checks = {c["id"]: c for c in data["checks"]}
    repetition = checks["posts.text.repetition"]
    assert repetition["status"] == "failed" and repetition["severity"] == "error"
    (example,) = repetition["examples"]
    assert example["row"] == 0 and example["post_id"] == "alpha/1"
    assert example["value"].startswith("duplicate lines 0.50 > 0.30; characters in duplicate lines 0.49 > 0.20; "
                                       "characters in repeated 5-grams 0.40 > 0.15")
    suites = ElementTree.parse(junit).getroot()
    assert suites.get("tests") == "76" and suites.get("failures") == "1"
    cases = {c.get("name"): c for c in suites.iter("testcase")}
    assert len(cases) == 76 and cases["posts.text.repetition"].get("classname") == "posts.repetition"
    failure = cases["posts.text.repetition"].find("failure")
    assert failure.get("type") == "error" and '"post_id": "alpha/1"' in failure.text
    assert cases["posts.text.near_duplicates"].find("failure") is None
    assert "warning: " in cases["posts.text.near_duplicates"].find("system-out").text
    assert cases["posts.file.hash"].find("skipped") is not None
    # the same data gives the same bytes
    before = report.read_bytes(), junit.read_bytes()
    invoke("validate", folder, "--report", report, "--junit", junit)
    assert (report.read_bytes(), junit.read_bytes()) == before


def test_fail_on_warning_makes_warnings_fail(tmp_path, tables):
    near_duplicate_pair(tables)
    folder = write_tables(tmp_path / "data", tables)
    assert invoke("validate", folder).exit_code == 0
    junit = tmp_path / "r.xml"
    result = invoke("validate", folder, "--fail-on", "warning", "--junit", junit)
    assert result.exit_code == 1 and "FAILED (warning): posts.text.near_duplicates" in result.output
    failure = next(c for c in ElementTree.parse(junit).getroot().iter("testcase")
                   if c.get("name") == "posts.text.near_duplicates").find("failure")
    assert failure.get("type") == "warning" and '"value": "cluster 1 (2 posts)"' in failure.text


def test_config_overrides_severity_and_thresholds(tmp_path, tables):
    unmerged_renderings(tables)
    near_duplicate_pair(tables)
    folder = write_tables(tmp_path / "data", tables)
    config = tmp_path / "v.toml"
    config.write_text('[severity]\n"posts.text.repetition" = "warning"\n"posts.text.near_duplicates" = "error"\n')
    result = invoke("validate", folder, "--config", config)
    assert result.exit_code == 1 and "FAILED (error): posts.text.near_duplicates" in result.output
    assert "FAILED (warning): posts.text.repetition" in result.output
    config.write_text('[severity]\n"posts.text.repetition" = "warning"\n[near_duplicates]\njaccard = 0.95\n')
    result = invoke("validate", folder, "--config", config)
    assert result.exit_code == 0 and "near_duplicates" not in "".join(
        x for x in result.output.splitlines() if x.startswith("FAILED ("))


@pytest.mark.parametrize(("config", "message"), [
    ('[severity]\n"posts.no.such" = "error"\n', "names no expectation posts.no.such"),
    ('[severity]\n"posts.text.nfc" = "fatal"\n', "must be one of error, warning"),
    ("[near_duplicates]\njacard = 0.9\n", "unknown key near_duplicates.jacard"),
    ("[near_duplicates]\njaccard = 1.5\n", "must be a number in (0, 1]"),
    ("oops = [", "unreadable validation config"),
])
def test_a_bad_config_is_exit_2(tmp_path, tables, config, message):
    folder = write_tables(tmp_path / "data", tables)
    (tmp_path / "v.toml").write_text(config)
    result = invoke("validate", folder, "--config", tmp_path / "v.toml")
    assert result.exit_code == 2 and message in result.output and len(result.output.strip().splitlines()) == 1


def test_fail_on_takes_error_or_warning(tmp_path, tables):
    result = invoke("validate", write_tables(tmp_path, tables), "--fail-on", "info")
    assert result.exit_code == 2 and "--fail-on must be one of error, warning" in result.output


def test_data_docs(tmp_path, tables):
    docs = tmp_path / "docs"
    assert invoke("validate", write_tables(tmp_path / "data", tables), "--docs", docs).exit_code == 0
    assert (docs / "index.html").is_file()
    pages = {p.name for p in docs.rglob("*.html")}
    assert {"corpus_tools-posts.html", "corpus_tools-hashtags.html"} <= pages  # each table's validation
    assert not list(tmp_path.glob(".docs-*"))
