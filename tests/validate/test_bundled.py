"""The bundled corpus passes at error severity, and the committed reports are what a build writes."""

import json
import shutil

from corpus_tools.package.build import build

from tests.conftest import ROOT
from tests.validate.conftest import failed, result_of, run


def test_the_committed_package_passes_at_error_severity_with_its_hashes_checked():
    result = run(ROOT / "datapackage.json")
    assert result.passed and failed(result) == set()
    assert result_of(result, "posts.file.hash").status == "passed"
    assert result_of(result, "posts.published_at.in_coverage").status == "passed"
    assert result.statistics["dates"]["inferred_or_missing_share"] == 1.0


def test_committed_reports_are_what_build_writes(tmp_path):
    shutil.copy(ROOT / "dataset.toml", tmp_path)
    shutil.copytree(ROOT / "data" / "raw", tmp_path / "data" / "raw")
    shutil.copy(ROOT / "datapackage.json", tmp_path)
    result = build(tmp_path / "dataset.toml")
    assert result.descriptor["validation"] == json.loads((ROOT / "datapackage.json").read_text())["validation"]
    assert result.descriptor["validation"]["passed"] and not result.descriptor["validation"]["failed"]
    for name in ("validation.json", "validation.junit.xml"):
        assert (tmp_path / "reports" / name).read_bytes() == (ROOT / "reports" / name).read_bytes(), name
    assert (tmp_path / "reports" / "data-docs" / "index.html").is_file()
