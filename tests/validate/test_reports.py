"""validate.reports: the printed summary, the JSON report and JUnit XML (deterministic, failing at
the right severity), and GX's Data Docs, through ``corpus-tools validate``."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree

from tests.conftest import invoke
from tests.validate.conftest import near_duplicate_pair, unmerged_renderings, write_tables


def test_a_valid_package_exits_0_and_prints_the_summary(package):
    result = invoke("validate", package)
    assert result.exit_code == 0, result.output
    assert re.search(r"^posts\s+dates\s+4\s+4\s+0\s+0\s+0$", result.output, re.MULTILINE)
    assert result.output.strip().splitlines()[-1].startswith(f"PASSED: {package}: 117 checks, 111 passed")


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
    assert data["passed"] is False and data["counts"] == {"checks": 117, "passed": 99, "failed_error": 1,
                                                          "failed_warning": 1, "skipped": 16}
    checks = {c["id"]: c for c in data["checks"]}
    repetition = checks["posts.text.repetition"]
    assert repetition["status"] == "failed" and repetition["severity"] == "error"
    (example,) = repetition["examples"]
    assert example["row"] == 0 and example["post_id"] == "alpha/1"
    assert example["value"].startswith("duplicate lines 0.50 > 0.30; characters in duplicate lines 0.49 > 0.20; "
                                       "characters in repeated 5-grams 0.40 > 0.15")
    suites = ElementTree.parse(junit).getroot()
    assert suites.get("tests") == "117" and suites.get("failures") == "1"
    cases = {c.get("name"): c for c in suites.iter("testcase")}
    assert len(cases) == 117 and cases["posts.text.repetition"].get("classname") == "posts.repetition"
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


def test_data_docs(tmp_path, tables):
    docs = tmp_path / "docs"
    assert invoke("validate", write_tables(tmp_path / "data", tables), "--docs", docs).exit_code == 0
    assert (docs / "index.html").is_file()
    pages = {p.name for p in docs.rglob("*.html")}
    assert {"corpus_tools-posts.html", "corpus_tools-hashtags.html"} <= pages  # each table's validation
    assert not list(tmp_path.glob(".docs-*"))
