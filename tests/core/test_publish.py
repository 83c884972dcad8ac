"""Crash safety: a build or convert killed or failing at any instant leaves the old version or the new
one, whole; the next command leaves no temporary file; one writer at a time; workers never outlive
their parent; Ctrl-C and SIGTERM clean up.

Faults are injected two ways: ``os.replace`` raising at its Nth call (every publication step goes
through it), in this process; and a real SIGKILL at the Nth call, in a child process.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus_tools.core.publish import JOURNAL, FolderLock, Publication, pending
from corpus_tools.errors import UsageError
from corpus_tools.package.build import build
from corpus_tools.package.verify import verify
from tests.conftest import ROOT

EPOCH = "1743638400"
CLI = [str(Path(sys.executable).parent / "corpus-tools")]
_REAL = os.replace
CONFIG = """\
[package]
name = "crash-test"
title = "Crash test"
description = "A few posts."
version = "{version}"
[[package.licenses]]
name = "CC-BY-4.0"
path = "https://creativecommons.org/licenses/by/4.0/"
[convert]
format = "telegram-json"
[[inputs]]
path = "raw/result.json"
"""


def export(count: int) -> str:
    """A Telegram Desktop single-chat export of ``count`` messages."""
    messages = [{"id": k, "type": "message", "date": "2025-04-03T10:00:00", "date_unixtime": str(1743674400 + k),
                 "text": [f"Post number {k} about ", {"type": "hashtag", "text": f"#topic{k % 3}"}, f" and its day {k}."]}
                for k in range(1, count + 1)]
    return json.dumps({"name": "Crash", "type": "public_channel", "id": 77, "messages": messages}, indent=1)


def project(folder: Path, *, posts: int, version: str) -> Path:
    (folder / "raw").mkdir(parents=True, exist_ok=True)
    (folder / "raw" / "result.json").write_text(export(posts), encoding="utf-8")
    (folder / "dataset.toml").write_text(CONFIG.format(version=version), encoding="utf-8")
    return folder / "dataset.toml"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every published file's bytes (GX's Data Docs carry run times and are left out)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and "data-docs" not in p.parts and "raw" not in p.parts and p.name != "dataset.toml"
            and not p.relative_to(folder).as_posix() in leftovers(folder)
            and not any(part.startswith(".staging-") for part in p.relative_to(folder).parts)}


def leftovers(folder: Path) -> list[str]:
    """Temporary files, staging folders and journals anywhere under ``folder``."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.name.startswith(".staging-") or ".tmp-" in p.name or p.name == JOURNAL)


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    """The old version (1.0.0, 3 posts), its files, the new one's (1.1.0, 5 posts, built cleanly
    elsewhere), and how many renames building the new one over the old takes."""
    env = pytest.MonkeyPatch()
    env.setenv("SOURCE_DATE_EPOCH", EPOCH)
    old = tmp_path_factory.mktemp("old")
    build(project(old, posts=3, version="1.0.0"))
    new = tmp_path_factory.mktemp("new")
    shutil.copytree(old, new, dirs_exist_ok=True)
    project(new, posts=5, version="1.1.0")
    renames = count_replaces(env, lambda: build(new / "dataset.toml"))
    yield old, snapshot(old), snapshot(new), renames
    env.undo()


def count_replaces(monkeypatch, run) -> int:
    calls = []
    real = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b, **k: (calls.append(b), real(a, b, **k))[1])
    run()
    monkeypatch.setattr(os, "replace", real)
    return len(calls)


def failing_at(monkeypatch, n: int) -> None:
    """Make the ``n``-th os.replace from now raise a full disk."""
    real, calls = os.replace, [0]

    def replace(a, b, **k):
        calls[0] += 1
        if calls[0] == n:
            raise OSError(28, "No space left on device", str(b))
        return real(a, b, **k)

    monkeypatch.setattr(os, "replace", replace)


def fresh_copy(versions, tmp_path) -> Path:
    old = versions[0]
    folder = tmp_path / "pkg"
    shutil.copytree(old, folder)
    project(folder, posts=5, version="1.1.0")
    return folder


def test_a_build_failing_at_any_rename_leaves_one_version_whole(versions, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    _, old_files, new_files, total = versions
    assert total >= 12
    outcomes = set()
    for n in sorted({1 + k * (total - 1) // 11 for k in range(12)}):  # a dozen points, first to last
        folder = fresh_copy(versions, tmp_path / str(n))
        failing_at(monkeypatch, n)
        with pytest.raises(OSError, match="No space left"):
            build(folder / "dataset.toml")
        monkeypatch.setattr(os, "replace", _REAL)
        result = verify(folder)  # completes an interrupted publication first
        assert snapshot(folder) in (old_files, new_files), f"fault at rename {n}: a mix of versions"
        outcomes.add(result.version)
        if n in (1, total // 2, total):  # the next command sweeps what the failed one left (at three points: builds take time)
            build(folder / "dataset.toml")
            assert snapshot(folder) == new_files and leftovers(folder) == [], n
    assert outcomes == {"1.0.0", "1.1.0"}  # faults before the commit point and after it were both hit


KILLER = """\
import os, signal, sys
real, calls, n = os.replace, [0], int(sys.argv[1])
def replace(a, b, **k):
    calls[0] += 1
    if calls[0] == n:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(a, b, **k)
os.replace = replace
from corpus_tools.cli import app
app(sys.argv[2:])
"""


@pytest.mark.parametrize("n", [1, 4, -3, -1])  # early in staging, late in staging, mid-switch, the last rename
def test_a_build_killed_by_sigkill_leaves_one_version_whole(versions, tmp_path, monkeypatch, n):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    _, old_files, new_files, total = versions
    folder = fresh_copy(versions, tmp_path / "pkg")
    killed = subprocess.run([sys.executable, "-c", KILLER, str(n % (total + 1) if n < 0 else n), "build", "--config",
                             str(folder / "dataset.toml")], env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH},
                            capture_output=True, text=True, check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    verify(folder)
    assert snapshot(folder) in (old_files, new_files)
    build(folder / "dataset.toml")
    assert snapshot(folder) == new_files and leftovers(folder) == []


def test_convert_failing_at_any_rename_leaves_the_old_tables_or_the_new(tmp_path, monkeypatch):
    source = tmp_path / "result.json"
    source.write_text(export(3), encoding="utf-8")
    from corpus_tools.convert.run import convert

    out = tmp_path / "out"
    convert([source], out)
    old = snapshot(out)
    source.write_text(export(6), encoding="utf-8")
    reference = tmp_path / "reference"
    convert([source], reference)
    new = snapshot(reference)
    total = count_replaces(monkeypatch, lambda: convert([source], tmp_path / "count"))
    for n in range(1, total + 1):
        shutil.rmtree(out)
        out.mkdir()
        for name, data in old.items():
            (out / name).write_bytes(data)
        failing_at(monkeypatch, n)
        with pytest.raises(OSError):
            convert([source], out)
        monkeypatch.setattr(os, "replace", _REAL)
        convert([source], tmp_path / "unrelated")  # another folder's command does not touch this one
        assert snapshot(out) in (old, new) or pending(out), n
        convert([source], out)  # the next command completes or redoes it
        assert snapshot(out) == new and leftovers(out) == [], n


def test_one_writer_at_a_time_and_a_version_is_published_once(versions, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    folder = fresh_copy(versions, tmp_path)
    first = subprocess.Popen([*CLI, "build", "--config", str(folder / "dataset.toml")],
                             env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH}, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # wait until the first build holds the lock
            try:
                with FolderLock(folder):
                    pass
            except UsageError:
                break
            time.sleep(0.02)
        with pytest.raises(UsageError, match="another corpus-tools process is writing here"):
            build(folder / "dataset.toml")
    finally:
        assert first.wait(timeout=120) == 0, first.stderr.read()
    assert verify(folder).version == "1.1.0"
    (folder / "raw" / "result.json").write_text(export(7), encoding="utf-8")  # other content, same version
    with pytest.raises(UsageError, match="1.1.0 is already published with other content"):
        build(folder / "dataset.toml")
    assert verify(folder).version == "1.1.0"


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            found.append(int(status.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in state


SLOW_PARALLEL = """\
import sys, time
from corpus_tools.convert import parallel
parallel.PARALLEL_MIN_BYTES, parallel.PART_BYTES = 0, 1 << 16
from corpus_tools.cli import app
app(sys.argv[1:])
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_workers_die_with_their_parent(tmp_path):
    corpus = tmp_path / "c.jsonl"
    subprocess.run([*CLI, "synth", "--posts", "60k", "--format", "telethon-jsonl",
                    "--out", str(corpus), "--workers", "1"], check=True, capture_output=True)
    parent = subprocess.Popen([sys.executable, "-c", SLOW_PARALLEL, "convert", str(corpus), "--out",
                               str(tmp_path / "out"), "--workers", "2"], stderr=subprocess.DEVNULL)
    deadline, workers = time.monotonic() + 60, []
    while time.monotonic() < deadline and len(workers) < 2:
        workers = [pid for pid in children(parent.pid) if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text()]
        time.sleep(0.05)
    assert len(workers) >= 2, "the workers did not start"
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(pid) for pid in workers):
        time.sleep(0.1)
    assert not any(alive(pid) for pid in workers)
    assert not (tmp_path / "out" / "posts.parquet").exists()  # nothing was published


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_sigterm_and_ctrl_c_clean_up_and_exit(versions, tmp_path, sig, code):
    folder = fresh_copy(versions, tmp_path)
    old_files = versions[1]
    run = subprocess.Popen([*CLI, "build", "--config", str(folder / "dataset.toml")],
                           env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH}, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(folder.glob(".staging-*")) and run.poll() is None:
        time.sleep(0.01)
    run.send_signal(sig)
    assert run.wait(timeout=60) == code
    assert "interrupted" in run.stderr.read()
    assert leftovers(folder) == [] and snapshot(folder) == old_files


def test_ctrl_c_while_the_staging_folder_is_made_leaves_no_folder(tmp_path, monkeypatch):
    # The window the signal test above can hit only by chance: the folder exists, the block is not
    # entered yet, so no __exit__ will remove it.
    def interrupted(path, mode):
        raise KeyboardInterrupt
    monkeypatch.setattr(Path, "chmod", interrupted)
    with pytest.raises(KeyboardInterrupt):
        with Publication(tmp_path):
            pass
    assert list(tmp_path.iterdir()) == []


def test_the_repository_package_is_unaffected():
    assert not pending(ROOT) and leftovers(ROOT / "data") == []
