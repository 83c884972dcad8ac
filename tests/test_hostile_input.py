"""Hostile and broken input: descriptors whose paths leave the package are refused (exit 2) before any
file they name is opened; malformed descriptors and operating-system errors are one line and exit 2;
text that cannot be stored as UTF-8 costs at most its record's characters, replaced and counted."""

from __future__ import annotations

import errno
import json
import shutil
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from corpus_tools.cli import app
from corpus_tools.convert.run import convert

from .conftest import ROOT

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


def telegram_export(path: Path, texts: list[str], raw: bytes | None = None) -> Path:
    messages = [{"id": k, "type": "message", "date": "2025-04-03T10:00:00", "date_unixtime": str(1743674400 + k),
                 "text": f"TEXT{k}"} for k in range(1, len(texts) + 1)]
    body = json.dumps({"name": "c", "type": "public_channel", "id": 5, "messages": messages}, indent=1).encode()
    for k, text in enumerate(texts, start=1):
        body = body.replace(f'"TEXT{k}"'.encode(), b'"' + text.encode("utf-8", "surrogatepass") + b'"')
    path.write_bytes(body if raw is None else raw)
    return path


def posts_of(out: Path) -> list[str]:
    return pq.read_table(out / "posts.parquet", columns=["text"]).column(0).to_pylist()


@pytest.mark.parametrize(("escaped", "stored"), [
    ("bad \\ud800 here", "bad \ufffd here"),  # a lone high surrogate
    ("\\ud800 ... \\udfff", "\ufffd ... \ufffd"),  # a high and a low, apart
    ("\\udfff\\ud800", "\ufffd\ufffd"),  # a low before a high
    ("kept \\ud83d\\ude00", "kept 😀"),  # a pair is a character, kept
    ("kept \\\\ud800", "kept \\ud800"),  # an escaped backslash, then text
])
def test_surrogates_in_telegram_json_are_replaced_and_counted(tmp_path, escaped, stored):
    source = telegram_export(tmp_path / "result.json", ["before", escaped, "after"])
    result = convert([source], tmp_path / "out")
    assert posts_of(tmp_path / "out") == ["before", stored, "after"]
    assert result.inputs[0].facts["replaced_characters"] == stored.count("\ufffd")


def test_a_byte_that_is_not_utf8_costs_only_its_character(tmp_path):
    clean = telegram_export(tmp_path / "clean.json", ["one", "tw@", "three"]).read_bytes()
    source = tmp_path / "result.json"
    source.write_bytes(clean.replace(b"tw@", b"tw\xff"))
    result = convert([source], tmp_path / "out")
    assert posts_of(tmp_path / "out") == ["one", "tw\ufffd", "three"]  # the rest of the file is still read
    assert result.inputs[0].facts["replaced_characters"] == 1 and result.inputs[0].rejects == 0


def test_telethon_lines_csv_rows_and_dumps_replace_what_is_not_utf8(tmp_path):
    line = '{"_": "Message", "id": %d, "peer_id": {"_": "PeerChannel", "channel_id": 5}, "date": "2025-04-03T10:00:00+00:00", "message": "%s"}'
    (tmp_path / "d.jsonl").write_text("\n".join([line % (1, "ok"), line % (2, "x \\udfff y")]) + "\n")
    result = convert([tmp_path / "d.jsonl"], tmp_path / "t")
    assert posts_of(tmp_path / "t") == ["ok", "x \ufffd y"] and result.inputs[0].facts["replaced_characters"] == 1
    (tmp_path / "e.csv").write_bytes(b"id,body,chat,unix_timestamp\n1,fine,c,1743674400\n2,bad \xff byte,c,1743674401\n")
    result = convert([tmp_path / "e.csv"], tmp_path / "c")
    assert posts_of(tmp_path / "c") == ["fine", "bad \ufffd byte"] and result.inputs[0].facts["replaced_characters"] == 1


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_full_disk_is_one_line_exit_2(tmp_path, monkeypatch, workers):
    source = telegram_export(tmp_path / "result.json", ["one", "two"])

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", "posts.parquet")

    monkeypatch.setattr(pq.ParquetWriter, "write_table", full)
    result = runner.invoke(app, ["convert", str(source), "--out", str(tmp_path / "out"), "--workers", workers])
    assert result.exit_code == 2 and result.output == "error: posts.parquet: No space left on device\n"
    assert not (tmp_path / "out" / "posts.parquet").exists() and not list((tmp_path / "out").glob(".staging-*"))


def test_a_folder_that_cannot_be_written_is_one_line_exit_2(tmp_path, monkeypatch):
    source = telegram_export(tmp_path / "result.json", ["one"])

    def refused(*args, **kwargs):
        raise PermissionError(errno.EROFS, "Read-only file system", str(tmp_path / "out"))

    monkeypatch.setattr("tempfile.mkdtemp", refused)
    result = runner.invoke(app, ["convert", str(source), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and result.output == f"error: {tmp_path / 'out'}: Read-only file system\n"
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    result = runner.invoke(app, ["convert", str(source), "--out", str(blocked / "out")])
    assert result.exit_code == 2 and result.output.startswith(f"error: {blocked}") and result.output.count("\n") == 1
