"""build refuses to publish a package that fails validation at error severity, unless --allow-invalid."""

import json

import pytest

from corpus_tools.errors import DataError
from corpus_tools.package.build import build


def test_a_failing_validation_publishes_nothing_but_writes_the_reports(project, monkeypatch):
    build(project / "dataset.toml")
    before = {p: p.read_bytes() for p in (project / "data").iterdir() if p.is_file()}
    before_descriptor = (project / "datapackage.json").read_bytes()

    from corpus_tools.validate import run as run_module
    original = run_module.validate

    def planted(path, **options):
        options["config"] = None
        result = original(path, **options)
        for r in result.results:
            if r.spec.id == "posts.text.nfc":
                r.status, r.message = "failed", "planted"
        return result

    monkeypatch.setattr(run_module, "validate", planted)
    with pytest.raises(DataError, match=r"validation failed at error severity: posts.text.nfc \(see .*validation.json"):
        build(project / "dataset.toml")
    assert {p: p.read_bytes() for p in (project / "data").iterdir() if p.is_file()} == before
    assert (project / "datapackage.json").read_bytes() == before_descriptor
    assert not list((project / "data").glob(".staging-*"))

    # the same data published as invalid differs from 1.2.3 in its descriptor: a patch version
    result = build(project / "dataset.toml", allow_invalid=True, version="1.2.4")
    validation = json.loads((project / "datapackage.json").read_text())["validation"]
    assert {k: v for k, v in validation.items() if k not in ("checks", "skipped")} == {
        "passed": False, "allowInvalid": True, "report": "reports/validation.json", "failed": ["posts.text.nfc"],
        "warnings": []}
    assert validation["checks"] == len(result.validation.results)
    assert all(s.endswith(".file.hash") for s in validation["skipped"])  # staged tables carry no hashes yet
    assert result.validation.exit_code == 1
