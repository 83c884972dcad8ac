"""core.datapackage: descriptors whose paths leave the package are refused (exit 2) by every command
before any file they name is opened; malformed, deeply nested or huge descriptors are one line and
exit 2."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corpus_tools.cli import app
from tests.conftest import ROOT

runner = CliRunner()
OPENED: list[str] = []
_WATCHING = [False]


def _audit(event: str, args: tuple) -> None:
    if _WATCHING[0] and event == "open" and args and isinstance(args[0], (str, bytes, Path)):
        OPENED.append(str(Path(args[0] if not isinstance(args[0], bytes) else args[0].decode()).resolve()))


sys.addaudithook(_audit)  # audit hooks cannot be removed: this one records only while _WATCHING


def run_watched(*args: str):
    OPENED.clear()
    _WATCHING[0] = True
    try:
        return runner.invoke(app, list(args))
    finally:
        _WATCHING[0] = False


@pytest.fixture
def package(tmp_path):
    """A copy of the bundled package, and a file outside it that hostile paths point at."""
    root = tmp_path / "pkg"
    root.mkdir()
    shutil.copy(ROOT / "datapackage.json", root)
    shutil.copytree(ROOT / "data", root / "data", ignore=shutil.ignore_patterns("raw"))
    outside = tmp_path / "outside" / "x.parquet"
    outside.parent.mkdir()
    shutil.copy(ROOT / "data" / "posts.parquet", outside)
    return root, outside


def hostile(root: Path, path: str) -> Path:
    descriptor = json.loads((root / "datapackage.json").read_text())
    descriptor["resources"][0]["path"] = path
    (root / "datapackage.json").write_text(json.dumps(descriptor))
    return root / "datapackage.json"


@pytest.mark.parametrize("command", ["validate", "verify", "diff"])
@pytest.mark.parametrize("path", ["../outside/x.parquet", "ABSOLUTE", "/etc/passwd", "https://example.org/x.parquet",
                                  "SYMLINK"])
def test_a_path_out_of_the_package_is_refused_unopened(package, command, path):
    root, outside = package
    if path == "ABSOLUTE":
        path = str(outside)
    if path == "SYMLINK":
        (root / "data" / "posts.parquet").unlink()
        (root / "data" / "posts.parquet").symlink_to(outside)
        path = "data/posts.parquet"
    descriptor = hostile(root, path)
    args = [command, str(descriptor)] if command != "diff" else [command, str(ROOT / "datapackage.json"), str(descriptor)]
    result = run_watched(*args)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "resource 'posts'" in lines[0], result.output
    assert "package folder" in lines[0]
    assert str(outside.resolve()) not in OPENED and "/etc/passwd" not in OPENED


@pytest.mark.parametrize(("edit", "message"), [
    (lambda d: d["resources"].__setitem__(0, "data/posts.parquet"), "resources[0] is a str, not an object"),
    (lambda d: d["resources"][0].update(hash=5), "resource 'posts': hash 5 is not a string"),
    (lambda d: d["resources"][0].update(_bytes="many"), "resource 'posts': _bytes 'many' is not a whole number"),
    (lambda d: d["resources"][0].pop("name"), "resources[0] has no name"),
])
@pytest.mark.parametrize("command", ["validate", "verify", "diff"])
def test_a_malformed_descriptor_is_one_line_and_exit_2(package, edit, message, command):
    root, _ = package
    descriptor = json.loads((root / "datapackage.json").read_text())
    edit(descriptor)
    (root / "datapackage.json").write_text(json.dumps(descriptor))
    path = str(root / "datapackage.json")
    result = runner.invoke(app, [command, path] if command != "diff" else [command, path, path])
    assert result.exit_code == 2 and result.output.count("\n") == 1 and message in result.output, result.output


@pytest.mark.parametrize("command", ["validate", "verify"])
def test_a_deeply_nested_or_huge_descriptor_is_refused(package, command, monkeypatch):
    root, _ = package
    (root / "datapackage.json").write_text("[" * 200_000 + "]" * 200_000)
    result = runner.invoke(app, [command, str(root / "datapackage.json")])
    assert result.exit_code == 2 and "nested too deeply" in result.output, result.output
    monkeypatch.setattr("corpus_tools.core.datapackage.MAX_BYTES", 100)
    (root / "datapackage.json").write_text(json.dumps({"resources": [], "description": "x" * 200}))
    result = runner.invoke(app, [command, str(root / "datapackage.json")])
    assert result.exit_code == 2 and "too large for a data package descriptor" in result.output, result.output
