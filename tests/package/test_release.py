"""build and package end to end: planted schema, data and metadata changes need their bump, the
CHANGELOG records each version, and the same inputs and version give the same bytes."""

import io
import json
import shutil
import zipfile

import pytest
import yaml

from corpus_tools.core import schema as schema_module
from corpus_tools.errors import UsageError
from corpus_tools.package.build import build, package, write_version
from corpus_tools.package.versioning.semver import Level
from tests.conftest import CONFIG, DUMP, make_project

NEW_POST = ("The ministry welcomed the #BRICS summit on April 5.\nA body line that both renderings show.\n"
            "A body line that both renderings show.\n")
REPLY = DUMP[DUMP.index("Russian MFA 🇷🇺\n"):DUMP.index("Forwarded from Nobody")]


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A dataset folder with version 1.0.0 published, and its own copy of the schemas, built once for
    the module. Tests never change it: each gets a copy (project)."""
    root = make_project(tmp_path_factory.mktemp("published"), CONFIG.replace('"1.2.3"', '"1.0.0"'))
    shutil.copytree(schema_module.schema_dir(), root / "schemas")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        patch.setattr(schema_module, "schema_dir", lambda: root / "schemas")
        build(root / "dataset.toml")
    return root


@pytest.fixture
def project(published, tmp_path, monkeypatch):
    """A copy of the published dataset folder, with version 1.0.0 published, whose own copy of the
    schemas is the one in use, to plant changes in."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    shutil.copytree(published, tmp_path, dirs_exist_ok=True)
    monkeypatch.setattr(schema_module, "schema_dir", lambda: tmp_path / "schemas")
    return tmp_path


def files(root):
    # GX Data Docs carry run ids and times: the one output that is not reproducible, and not committed
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and "data-docs" not in p.relative_to(root).parts}


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def edit_schema(project, table, change):
    path = project / "schemas" / f"{table}.schema.json"
    schema = json.loads(path.read_text())
    change(schema)
    path.write_text(json.dumps(schema))


def field(schema, name):
    return next(f for f in schema["fields"] if f["name"] == name)


PLANTED = [
    # (what, plant, bump needed, what the CHANGELOG entry says)
    ("a post added", lambda p: edit(p / "raw" / "dump.txt", "Forwarded from Nobody\n", NEW_POST + "Forwarded from Nobody\n"),
     Level.MINOR, "- posts: 3 -> 4 rows; 1 added, 0 removed, 0 changed (minor)"),
    ("a post removed", lambda p: edit(p / "raw" / "dump.txt", REPLY, ""),
     Level.MAJOR, "- posts: 3 -> 2 rows; 0 added, 1 removed, 0 changed (major)"),
    ("a post corrected", lambda p: edit(p / "raw" / "dump.txt", "Forwarded from MoD Russia", "Forwarded from MoD of Russia"),
     Level.PATCH, "  - changed:\n    - `MFARussia/text-ca957ef4d5c3547c`: forwarded_from"),
    ("a constraint loosened", lambda p: edit_schema(p, "hashtags", lambda s: field(s, "offset")["constraints"].pop("minimum")),
     Level.MINOR, "- hashtags.offset: constraint minimum 0 -> None (minor)"),
    ("a constraint tightened", lambda p: edit_schema(p, "hashtags", lambda s: field(s, "hashtag")["constraints"].update(maxLength=80)),
     Level.MAJOR, "- hashtags.hashtag: constraint maxLength None -> 80 (major)"),
    ("a field described better", lambda p: edit_schema(p, "hashtags", lambda s: field(s, "hashtag").update(description="Tag.")),
     Level.PATCH, "- hashtags.hashtag: description changed (patch)"),
    ("the title changed", lambda p: edit(p / "dataset.toml", 'title = "A test dataset"', 'title = "The test dataset"'),
     Level.PATCH, "- title changed (patch)"),
]
SMALLER = {Level.MAJOR: "minor", Level.MINOR: "patch", Level.PATCH: None}


@pytest.mark.parametrize(("plant", "needed", "logged"), [p[1:] for p in PLANTED], ids=[p[0] for p in PLANTED])
def test_a_planted_change_needs_its_bump(project, plant, needed, logged):
    plant(project)
    before = files(project)
    with pytest.raises(UsageError, match=f"the change is {needed}"):  # make build without a new version
        build(project / "dataset.toml")
    if SMALLER[needed]:
        with pytest.raises(UsageError, match=f"but the change is {needed}"):
            package(project, bump=SMALLER[needed])
    assert files(project) == before  # a refused version publishes nothing
    result = package(project, bump=str(needed))
    version = str(result.descriptor["version"])
    assert version == {Level.MAJOR: "2.0.0", Level.MINOR: "1.1.0", Level.PATCH: "1.0.1"}[needed]
    assert result.diff.level is needed
    assert f'version = "{version}"' in (project / "dataset.toml").read_text()
    # a version bump changes the descriptor, CITATION.cff, .zenodo.json and the card together
    assert yaml.safe_load((project / "CITATION.cff").read_text())["version"] == version
    assert json.loads((project / ".zenodo.json").read_text())["version"] == version
    assert f"Version {version}, created" in (project / "README.md").read_text()
    changelog = (project / "CHANGELOG.md").read_text()
    assert changelog.index(f"## {version} (") < changelog.index("## 1.0.0 (")  # newest first, the first kept
    assert f"\n\nCompared with 1.0.0: the change needs a **{needed}** version.\n" in changelog
    assert logged in changelog
    published = files(project)
    assert build(project / "dataset.toml").diff.level is Level.NONE  # make build now rebuilds the new version
    assert files(project) == published


def test_force_publishes_a_smaller_bump_and_says_so(project):
    edit(project / "raw" / "dump.txt", REPLY, "")
    result = package(project, bump="patch", force=True)
    assert result.descriptor["version"] == "1.0.1"
    assert "Published with --force although the change needs a major version." in (project / "CHANGELOG.md").read_text()


def test_an_unchanged_rebuild_is_byte_identical_and_keeps_created(project):
    before = files(project)
    result = build(project / "dataset.toml")
    assert result.diff.level is Level.NONE and files(project) == before


def test_same_inputs_and_version_give_the_same_bytes_anywhere(project, tmp_path_factory, monkeypatch):
    """Two builds of one version in different folders, one with SOURCE_DATE_EPOCH: every output is
    identical, archives included."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764288000")
    builds = []
    for _ in range(2):
        root = tmp_path_factory.mktemp("copy")
        for name in ("raw", "schemas"):
            shutil.copytree(project / name, root / name)
        shutil.copy(project / "dataset.toml", root)
        package(root, version="1.0.0", archive=True)
        builds.append(files(root))
    assert builds[0] == builds[1]
    assert {"datapackage.json", "croissant.json", "CHANGELOG.md", "README.md", "data/overview.png", "CITATION.cff",
            ".zenodo.json", "reports/validation.html", "data/posts.csv.gz", "data/posts.parquet",
            "dist/test-dataset-1.0.0.zip"} <= set(builds[0])
    with zipfile.ZipFile(io.BytesIO(builds[0]["dist/test-dataset-1.0.0.zip"])) as archive:
        names = {n.removeprefix("test-dataset-1.0.0/") for n in archive.namelist()}
    assert {"reports/validation.json", "reports/validation.junit.xml", "reports/validation.html", "README.md",
            "CITATION.cff", ".zenodo.json", "dataset.toml"} <= names  # what the descriptor and card point to
    assert not any("data-docs" in n for n in names)
    assert ".huggingface.yaml" not in builds[0]  # the card is the package's README.md: the YAML is its front matter


@pytest.mark.parametrize(("options", "message"), [
    ({}, "either version X.Y.Z or bump"),
    ({"version": "1.1.0", "bump": "minor"}, "either version"),
    ({"bump": "huge"}, "expected major, minor or patch"),
    ({"version": "1.1"}, "not MAJOR.MINOR.PATCH"),
    ({"version": "0.9.0"}, "older than the previous version 1.0.0"),
])
def test_package_usage_errors(project, options, message):
    with pytest.raises(UsageError, match=message):
        package(project, **options)


def test_bump_needs_a_previous_version(tmp_path):
    make_project(tmp_path)
    with pytest.raises(UsageError, match="no previous version to bump"):
        package(tmp_path, bump="minor")
    assert package(tmp_path, version="0.1.0").diff is None
    assert "## 0.1.0" in (tmp_path / "CHANGELOG.md").read_text()


def test_previous_can_be_another_folder(project, tmp_path_factory):
    """--previous: compare with a copy of 1.0.0 kept elsewhere (its tables beside its descriptor)."""
    old = tmp_path_factory.mktemp("old")
    shutil.copy(project / "datapackage.json", old)
    shutil.copytree(project / "data", old / "data")
    (project / "datapackage.json").unlink()
    shutil.rmtree(project / "data")
    edit(project / "raw" / "dump.txt", "Forwarded from Nobody\n", NEW_POST + "Forwarded from Nobody\n")
    with pytest.raises(UsageError, match="the change is minor"):
        package(project, bump="patch", previous=old / "datapackage.json")
    assert package(project, bump="minor", previous=old).descriptor["version"] == "1.1.0"


def test_write_version_keeps_everything_else(tmp_path):
    config = tmp_path / "dataset.toml"
    config.write_text('# a comment\n[package]\nname = "x"\nversion = "1.0.0"  # the version\n[convert]\nversion = "9"\n')
    write_version(config, "1.2.0")
    assert config.read_text() == '# a comment\n[package]\nname = "x"\nversion = "1.2.0"  # the version\n[convert]\nversion = "9"\n'
    config.write_text('[package]\nname = "x"\n')
    with pytest.raises(UsageError, match="set it to 1.2.0 by hand"):
        write_version(config, "1.2.0")
