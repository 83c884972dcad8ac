"""R reads the CSV resources: a real R script (tests/r/read_csv_resources.R) loads each one with readr,
using the column types and missing values the descriptor declares, and compares rows, columns and
every value with the Parquet files. Needs Rscript with readr and jsonlite (Debian: r-base-core,
r-cran-readr, r-cran-jsonlite; .ci/run installs them); skipped, saying so, where they are absent - except when
CORPUS_TOOLS_REQUIRE_R is set (.ci/run sets it), where an absent R fails instead."""

import json
import os
import shutil
import subprocess
from datetime import date, datetime

import pyarrow.parquet as pq
import pytest

from tests.conftest import ROOT
from tests.package.conftest import edge_package

SCRIPT = ROOT / "tests" / "r" / "read_csv_resources.R"


def _r_available() -> str | None:
    """Why the R test cannot run here, or None when it can."""
    if shutil.which("Rscript") is None:
        return "Rscript not found: install r-base-core, r-cran-readr and r-cran-jsonlite (as .ci/run does) to run it"
    probe = subprocess.run(["Rscript", "-e", "library(readr); library(jsonlite)"], capture_output=True, text=True)
    if probe.returncode != 0:
        return "R lacks readr or jsonlite: install r-cran-readr and r-cran-jsonlite (as .ci/run does) to run it"
    return None


@pytest.fixture(autouse=True)
def _needs_r():
    reason = _r_available()
    if reason and os.environ.get("CORPUS_TOOLS_REQUIRE_R"):
        pytest.fail(f"CORPUS_TOOLS_REQUIRE_R is set but {reason}")
    if reason:
        pytest.skip(reason)


def canonical(value, kind):
    """A Parquet value as the R script formats the value it read (None stays None)."""
    if value is None:
        return None
    if kind == "datetime":
        assert isinstance(value, datetime)
        seconds = int(value.timestamp())
        return f"{seconds}.{value.microsecond:06d}"
    return {"string": lambda v: v, "integer": lambda v: str(v), "number": lambda v: f"{v:.17g}",
            "boolean": lambda v: "TRUE" if v else "FALSE", "date": date.isoformat}[kind](value)


def expected(descriptor_path):
    """What each CSV resource must hold: the rows of its Parquet twin, as canonical text."""
    descriptor = json.loads(descriptor_path.read_text())
    parquet = {r["name"]: r for r in descriptor["resources"] if r["format"] == "parquet"}
    wanted = {}
    for resource in (r for r in descriptor["resources"] if r["format"] == "csv"):
        table = pq.read_table(descriptor_path.parent / parquet[resource["name"].removesuffix("-csv")]["path"])
        kinds = {f["name"]: f["type"] for f in resource["schema"]["fields"]}
        wanted[resource["name"]] = {"rows": table.num_rows, "columns": {
            name: [canonical(v, kinds[name]) for v in table.column(name).to_pylist()] for name in kinds}}
    return wanted


def run_r(descriptor_path, expected_path):
    return subprocess.run(["Rscript", str(SCRIPT), str(descriptor_path), str(expected_path)],
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("which", ["bundled corpus", "edge cases"])
def test_r_reads_every_csv_resource_as_the_parquet_holds_it(tmp_path, which):
    descriptor = ROOT / "datapackage.json" if which == "bundled corpus" else edge_package(tmp_path / "pkg")
    wanted = tmp_path / "expected.json"
    wanted.write_text(json.dumps(expected(descriptor), ensure_ascii=False))
    result = run_r(descriptor, wanted)
    assert result.returncode == 0, result.stdout + result.stderr
    count = sum(1 for r in json.loads(descriptor.read_text())["resources"] if r["format"] == "csv")
    assert f"R read {count} CSV resources" in result.stdout


def test_the_r_script_fails_on_a_difference(tmp_path):
    descriptor = edge_package(tmp_path / "pkg")
    wanted = expected(descriptor)
    wanted["things-csv"]["columns"]["text"][0] = "not empty"  # the Parquet says ""
    wanted["things-csv"]["rows"] = 4
    path = tmp_path / "expected.json"
    path.write_text(json.dumps(wanted, ensure_ascii=False))
    result = run_r(descriptor, path)
    assert result.returncode == 1
    assert "things-csv: 3 rows, expected 4" in result.stdout and "things-csv.text: row 1 is , expected not empty" in result.stdout
