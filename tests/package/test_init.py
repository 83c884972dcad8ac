"""package.init: a dataset folder that builds once its placeholders are filled, with a valid GitHub
Actions workflow; and a dataset that grows, one release at a time."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from corpus_tools.errors import UsageError
from corpus_tools.package.build import build, package
from corpus_tools.package.init import WORKFLOW, init
from tests.conftest import invoke
from tests.convert.conftest import desktop_export, desktop_message


def fill_in(config: Path) -> None:
    text = config.read_text().replace("TODO: a licence id, e.g. CC-BY-4.0", "CC-BY-4.0")
    config.write_text(re.sub(r'"TODO: [^"]*"', '"Filled in"', text))


@pytest.fixture
def export(tmp_path):
    """A Telegram Desktop export kept outside the dataset's folder."""
    path = tmp_path / "downloads" / "result.json"
    path.parent.mkdir()
    path.write_text(desktop_export(9, [desktop_message(k, f"post {k}") for k in (1, 2, 3)]))
    return path


def test_init_writes_a_folder_that_builds_once_filled_in(tmp_path, export):
    result = invoke("init", tmp_path / "ds", "--from", export)
    assert result.exit_code == 0, result.output
    folder = tmp_path / "ds"
    assert {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} == {
        "dataset.toml", ".gitignore", "raw/README.md", "pseudonym.key", WORKFLOW}
    text = (folder / "dataset.toml").read_text()
    assert f'path = "{export}"' in text and 'format = "telegram-json"' in text and 'name = "ds"' in text
    refused = invoke("build", "--config", folder / "dataset.toml")
    assert refused.exit_code == 2 and "still the placeholder" in refused.output
    fill_in(folder / "dataset.toml")
    built = invoke("build", "--config", folder / "dataset.toml")
    assert built.exit_code == 0, built.output
    assert json.loads((folder / "datapackage.json").read_text())["sources"][0]["name"] == "result.json"


def test_the_workflow_is_valid_github_actions_and_fails_on_errors(tmp_path):
    init(tmp_path)
    workflow = tmp_path / WORKFLOW
    checker = Path(sys.executable).parent / "check-jsonschema"
    checked = subprocess.run([str(checker), "--builtin-schema", "vendor.github-workflows", str(workflow)],
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    text = workflow.read_text()
    assert "corpus-tools validate datapackage.json --junit reports/validation.junit.xml" in text
    assert "continue-on-error" not in text  # a failing validation (exit 1) fails the job


def test_init_keeps_what_is_there_and_refuses_a_second_dataset(tmp_path):
    (tmp_path / ".gitignore").write_text("notes/\n")
    init(tmp_path)
    assert (tmp_path / ".gitignore").read_text().startswith("notes/\n\n# corpus-tools")
    with pytest.raises(UsageError, match="dataset.toml: already exists"):
        init(tmp_path)
    with pytest.raises(UsageError, match="nope.json: no such file"):
        init(tmp_path / "other", sources=[tmp_path / "nope.json"])


def test_a_growing_dataset_adds_posts_in_a_minor_version_and_edits_in_a_patch(tmp_path, export, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1743638400")
    init(tmp_path / "ds", sources=[export])
    folder = tmp_path / "ds"
    fill_in(folder / "dataset.toml")
    build(folder / "dataset.toml")
    later = tmp_path / "downloads" / "later.json"
    later.write_text(desktop_export(9, [desktop_message(k, f"post {k}") for k in (3, 4, 5)]))
    config = folder / "dataset.toml"
    config.write_text(config.read_text().replace("[validation]", f'[[inputs]]\npath = "{later}"\n\n[validation]'))
    with pytest.raises(UsageError, match="but the change is minor"):
        package(folder, bump="patch")
    assert package(folder, bump="minor").descriptor["version"] == "1.1.0"
    changelog = (folder / "CHANGELOG.md").read_text()
    # 9/3 was collected again: the later copy is kept (its views, reactions, source), a changed row
    assert "posts: 3 -> 5 rows; 2 added, 0 removed, 1 changed (minor)" in changelog
    edited = tmp_path / "downloads" / "edited.json"
    edited.write_text(desktop_export(9, [desktop_message(2, "post 2, corrected", edited_unixtime="1743690000")]))
    config.write_text(config.read_text().replace("[validation]", f'[[inputs]]\npath = "{edited}"\n\n[validation]'))
    assert package(folder, bump="patch").descriptor["version"] == "1.1.1"
    assert "posts: 5 -> 5 rows; 0 added, 0 removed, 1 changed (patch)" in (folder / "CHANGELOG.md").read_text()
    shutil.rmtree(tmp_path / "downloads")  # the exports may go; the published package stays verifiable
    assert invoke("verify", folder).exit_code == 0
