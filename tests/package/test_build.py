"""build on a small dataset: publishes a valid package, reproducibly, or nothing at all - not when a
check fails, nor when validation fails at error severity, unless --allow-invalid."""

import hashlib
import json
import shutil

import pytest
from frictionless import validate

from corpus_tools.errors import DataError, UsageError
from corpus_tools.package import build as build_module
from corpus_tools.package.build import build
from tests.conftest import DUMP, make_project

TABLES = ["posts", "countries", "hashtags", "links", "mentions", "poll_options", "polls", "post_sources", "reactions",
          "rejects"]


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The small dataset (see tests.conftest.make_project) built once, as version 1.2.3: its folder and
    the BuildResult. Only tests that just read it use it as it is; the others change a copy (built)."""
    root = make_project(tmp_path_factory.mktemp("published"))
    return root, build(root / "dataset.toml")


@pytest.fixture
def built(published, tmp_path):
    """A copy of the published dataset folder (the test's own tmp_path), to rebuild or damage."""
    shutil.copytree(published[0], tmp_path, dirs_exist_ok=True)
    return tmp_path


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_build_publishes_a_valid_package(published):
    project, result = published
    descriptor = json.loads((project / "datapackage.json").read_text())
    assert descriptor == result.descriptor
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert (descriptor["name"], descriptor["version"]) == ("test-dataset", "1.2.3")
    assert descriptor["created"].endswith("Z")
    assert descriptor["temporalCoverage"] == "2025-04-03/2025-04-05"
    (source,) = descriptor["sources"]
    assert source == {"title": "A dump", "path": "raw/dump.txt",
                      "hash": f"sha256:{sha256(project / 'raw' / 'dump.txt')}", "bytes": len(DUMP.encode())}
    assert [r["name"] for r in descriptor["resources"]] == TABLES + [f"{t}-csv" for t in TABLES]
    for resource in descriptor["resources"]:
        table = resource["name"].removesuffix("-csv")
        if resource["name"].endswith("-csv"):
            assert resource["path"] == f"data/{table}.csv.gz"
            assert (resource["format"], resource["mediatype"], resource["encoding"]) == ("csv", "text/csv", "utf-8")
            assert resource["bytes"] == (project / resource["path"]).stat().st_size
        else:
            assert resource["path"] == f"data/{table}.parquet"
            assert resource["format"] == "parquet" and resource["mediatype"] == "application/vnd.apache.parquet"
            assert "encoding" not in resource and "bytes" not in resource  # see package.descriptor
            assert resource["_bytes"] == (project / resource["path"]).stat().st_size
        assert resource["hash"] == f"sha256:{sha256(project / resource['path'])}"
        assert resource["schema"]["fields"]
    assert descriptor["id"] and descriptor["channelCoverage"] == [
        {"name": "MFARussia", "posts": 3, "firstDay": "2025-04-03", "lastDay": "2025-04-04"}]
    assert validate(project / "datapackage.json").valid


def _outputs(project):
    """Every file a build leaves, but GX's Data Docs, which carry run times and are not committed."""
    return {p: p.read_bytes() for p in sorted(project.rglob("*"))
            if p.is_file() and "data-docs" not in p.relative_to(project).parts}


def test_rebuild_is_byte_identical_and_keeps_created(built):
    project = built
    before = _outputs(project)  # what the first build left
    assert project / "reports" / "validation.json" in before and project / "reports" / "validation.junit.xml" in before
    build(project / "dataset.toml")
    assert _outputs(project) == before


def test_source_date_epoch_sets_created(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1743638400")
    assert build(project / "dataset.toml").descriptor["created"] == "2025-04-03T00:00:00Z"


def test_failed_check_publishes_nothing(built, monkeypatch):
    project = built
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}

    def failing(directory, schemas, **options):
        raise DataError("check failed: posts.parquet: planted")

    monkeypatch.setattr(build_module, "check_tables", failing)
    (project / "raw" / "dump.txt").write_text(DUMP.replace("minister", "official"), encoding="utf-8")  # other content
    with pytest.raises(DataError, match="planted"):
        build(project / "dataset.toml")
    after = {p: p.read_bytes() for p in project.rglob("*") if p.is_file() and p.name != "dump.txt"}
    assert after == {p: b for p, b in before.items() if p.name != "dump.txt"}
    assert not list((project / "data").glob(".staging-*"))


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda c: c.replace('version = "1.2.3"\n', ""), r"\[package\] lacks 'version'"),
        (lambda c: c.split("[[inputs]]")[0], "needs at least one"),
        (lambda c: c + "[oops", "unreadable dataset config"),
        (lambda c: c.replace("2025-04-03/", "april/"), "expected START/END"),
    ],
)
def test_bad_config_is_a_usage_error(project, edit, message):
    config = project / "dataset.toml"
    config.write_text(edit(config.read_text()))
    with pytest.raises(UsageError, match=message):
        build(config)


def test_missing_config_and_missing_input(project):
    with pytest.raises(UsageError, match="no such file"):
        build(project / "other.toml")
    shutil.rmtree(project / "raw")
    with pytest.raises(UsageError, match=r"inputs\[0\].path = 'raw/dump.txt': no such file"):
        build(project / "dataset.toml")  # refused when the config is read, before any work


def test_a_failing_validation_publishes_nothing_but_writes_the_reports(built, monkeypatch):
    project = built
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
    with pytest.raises(DataError, match=r"validation failed at error severity: posts.text.nfc \(see .*validation.html"):
        build(project / "dataset.toml")
    assert {p: p.read_bytes() for p in (project / "data").iterdir() if p.is_file()} == before
    assert (project / "datapackage.json").read_bytes() == before_descriptor
    assert not list((project / "data").glob(".staging-*"))

    # the same data published as invalid differs from 1.2.3 in its descriptor: a patch version
    result = build(project / "dataset.toml", allow_invalid=True, version="1.2.4")
    validation = json.loads((project / "datapackage.json").read_text())["validation"]
    assert {k: v for k, v in validation.items() if k != "checks"} == {
        "passed": False, "allowInvalid": True, "report": "reports/validation.json", "html": "reports/validation.html",
        "failed": ["posts.text.nfc"], "warnings": [], "skipped": []}  # the hashes are checked: none is skipped
    assert validation["checks"] == len(result.validation.results)
    assert result.validation.exit_code == 1


def test_a_readme_that_is_no_data_card_is_never_replaced(project):
    """A dataset folder whose README.md is its own (a project's front page) is refused, untouched,
    until [output] card names another place for the card."""
    (project / "README.md").write_text("# My project\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"README.md: exists and is not a data card.*\[output\] card"):
        build(project / "dataset.toml")
    assert (project / "README.md").read_text(encoding="utf-8") == "# My project\n"
    with (project / "dataset.toml").open("a", encoding="utf-8") as config:
        config.write('[output]\ncard = "data/README.md"\n')
    build(project / "dataset.toml")
    assert (project / "README.md").read_text(encoding="utf-8") == "# My project\n"
    card = (project / "data" / "README.md").read_text(encoding="utf-8")
    assert "](overview.png)" in card and "](../datapackage.json)" in card and not card.startswith("---")
    assert (project / ".huggingface.yaml").read_text().count("config_name:") == 2 * len(TABLES)  # configs and features
