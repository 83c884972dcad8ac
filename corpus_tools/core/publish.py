"""Publishing a set of files into a folder all at once, one writer at a time.

A version of a package (or a ``convert --out`` folder) is many files: tables, CSV twins, the card, the
reports, the descriptor. Renaming them into place one by one is not atomic: a crash between two
renames would leave two versions mixed. So a writer

1. takes the folder's lock (``FolderLock``: an OS lock on the folder, which the kernel releases
   when the process dies, however it dies), so there is one writer at a time;
2. finishes or sweeps what an earlier, interrupted writer left (``recover``);
3. writes every new file into a staging folder inside the folder (``Publication``: the same file
   system, so publishing is renames), and flushes them to disk;
4. writes the journal ``.corpus-tools-journal.json``: which staged file goes where, in order. The
   journal's rename is the commit point. Before it, the old version stands and the staged files are
   garbage; after it, the new version is decided;
5. renames the staged files into place, in the journal's order (the descriptor last), then deletes
   the journal and the staging folder.

Recovery rolls a journal forward: every move whose staged file is still there is done again, in order
(a move is a rename, so doing it again is harmless), and the journal is deleted. So a crash at any
instant leaves the old version whole (no journal yet) or a journal that the next command, or
``verify``, completes into the new version, whole. Staging folders and temporary files that no journal
names are swept. Readers (``verify``, ``validate``, ``diff``) read through ``read_stable``: they complete
an interrupted publication, wait out one in progress, and read again if a switch happened while they
read, so they never report on two versions mixed.

>>> import tempfile; root = Path(tempfile.mkdtemp())
>>> with FolderLock(root), Publication(root) as publication:
...     _ = publication.stage("data/a.txt").write_text("new")
...     publication.publish(["data/a.txt"])
>>> (root / "data" / "a.txt").read_text(), sorted(p.name for p in root.iterdir())
('new', ['data'])
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Self, TypeVar

from ..errors import InputError, UsageError
from .files import TEMP_MARK, fsync_path, write_atomic
from .progress import stage as progress_stage

JOURNAL = ".corpus-tools-journal.json"
STAGING_PREFIX = ".staging-"
READ_WAIT_SECONDS = 30.0  # how long a reader waits for a writer to finish its switch


class FolderLock:
    """The folder's writer lock, refused at once (UsageError, exit 2) while another process holds it.

    It is an OS lock (``flock``) on the folder itself, so it leaves no file behind, and the kernel
    releases it when the process ends, however it ends: a crashed writer never leaves it taken.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._fd: int | None = None

    def __enter__(self) -> Self:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self.folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.__exit__()
            raise UsageError(f"{self.folder}: another corpus-tools process is writing here; run one writer "
                             "at a time") from None
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the lock
            self._fd = None


def _flush_tree(folder: Path) -> None:
    """Flush every file and folder under ``folder`` to disk: the journal must not name files that a
    power cut could leave empty."""
    for directory, _, files in os.walk(folder):
        for name in files:
            fsync_path(Path(directory) / name)
        fsync_path(Path(directory))


class Publication:
    """New files for ``root``, staged in ``root/.staging-*`` and published together by ``publish``.
    The caller holds ``root``'s FolderLock. Leaving the ``with`` block removes the staging folder,
    whatever happened."""

    def __init__(self, root: Path) -> None:
        self.root = root
        # Named here and made in __enter__, under a guard: a Ctrl-C landing between making the folder
        # and entering the block (mkdtemp's return, say) would otherwise leave it behind.
        self.path = root / f"{STAGING_PREFIX}{secrets.token_hex(6)}"

    def stage(self, relative: str) -> Path:
        """Where to write the new file (or folder) that will be ``root/relative``."""
        path = self.path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    @progress_stage("Publishing")
    def publish(self, order: list[str]) -> None:
        """Move the staged ``order`` (paths relative to root, each staged) into place, all or nothing."""
        missing = [name for name in order if not (self.path / name).exists()]
        if missing:
            raise FileNotFoundError(f"nothing staged for {', '.join(missing)}")
        _flush_tree(self.path)
        journal = {"staging": self.path.name, "moves": order}
        write_atomic(self.root / JOURNAL, (json.dumps(journal, indent=1) + "\n").encode("utf-8"), durable=True)
        _roll_forward(self.root, journal)  # the journal's rename was the commit point

    def __enter__(self) -> Self:
        self.root.mkdir(parents=True, exist_ok=True)
        try:
            self.path.mkdir()
            self.path.chmod(0o755)  # whatever the umask: what is published is for sharing
        except BaseException:
            shutil.rmtree(self.path, ignore_errors=True)
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if not (self.root / JOURNAL).exists():  # a committed journal still needs its staged files
            shutil.rmtree(self.path, ignore_errors=True)


def _move(staged: Path, target: Path, trash: Path) -> None:
    """Put ``staged`` where ``target`` is. A folder replaces a folder by moving the old one into
    ``trash`` first (a rename cannot replace a non-empty folder)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if staged.is_dir() and target.is_dir() and not target.is_symlink():
        trash.mkdir(parents=True, exist_ok=True)
        os.replace(target, trash / f"{target.name}-{time.monotonic_ns()}")
    os.replace(staged, target)


def _roll_forward(root: Path, journal: dict) -> None:
    staging = root / journal["staging"]
    trash = staging / ".replaced"
    for relative in journal["moves"]:
        staged = staging / relative
        if staged.exists():
            _move(staged, root / relative, trash)
    fsync_path(root)
    (root / JOURNAL).unlink()
    shutil.rmtree(staging, ignore_errors=True)


def _read_journal(root: Path) -> dict | None:
    path = root / JOURNAL
    if not path.exists():
        return None
    try:
        journal = json.loads(path.read_text(encoding="utf-8"))
        names = journal["moves"]
        if not isinstance(journal["staging"], str) or not journal["staging"].startswith(STAGING_PREFIX) \
                or "/" in journal["staging"] or not all(isinstance(n, str) and ".." not in Path(n).parts for n in names):
            raise ValueError("unexpected contents")
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise InputError(f"{path}: an interrupted publication's journal is unreadable ({error}); "
                         "remove it and the .staging-* folders by hand") from None
    return journal


def pending(root: Path) -> bool:
    """Whether ``root`` holds an interrupted publication that ``recover`` would complete."""
    return (root / JOURNAL).exists()


_TEMP_NAME = re.compile(r"\..+" + re.escape(TEMP_MARK) + r"[a-z0-9_]{8}")  # as write_atomic names them


def recover(root: Path, folders: tuple[str, ...] = ("",)) -> bool:
    """Complete an interrupted publication in ``root`` (the caller holds its lock), then sweep what a
    crashed writer left: staging folders in ``root``, and temporary files of ``write_atomic`` in
    ``folders`` (relative to root: where writers write). Returns whether a publication was completed."""
    if not root.is_dir():
        return False
    journal = _read_journal(root)
    if journal is not None:
        _roll_forward(root, journal)
    for leftover in root.glob(f"{STAGING_PREFIX}*"):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
    for folder in {root / f for f in folders}:
        for leftover in folder.glob(f".*{TEMP_MARK}*") if folder.is_dir() else ():
            if _TEMP_NAME.fullmatch(leftover.name) and leftover.is_file():
                leftover.unlink(missing_ok=True)
    return journal is not None


def _settle(root: Path) -> None:
    """Leave ``root`` with no publication in progress: complete a crashed writer's journal, or wait
    for a live writer's switch (renames: a moment) to end."""
    deadline = time.monotonic() + READ_WAIT_SECONDS
    while pending(root):
        try:
            with FolderLock(root):  # taken: the writer that left the journal is gone
                recover(root)
            return
        except UsageError:  # a live writer holds the lock and is switching right now
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
        except OSError as error:
            raise InputError(f"{root}: holds an interrupted publication that cannot be completed here "
                             f"({error.strerror}); run a corpus-tools command with write access to it") from None


def _generation(root: Path) -> tuple[int, int] | None:
    """What changes whenever a publication switches ``root``: every publication replaces the file
    it puts last (the descriptor, the manifest), and with it that file's inode."""
    newest = None
    for name in DESCRIPTOR_NAMES:
        try:
            stat = (root / name).stat()
        except OSError:
            continue
        newest = max(newest or (0, 0), (stat.st_mtime_ns, stat.st_ino))
    return newest


DESCRIPTOR_NAMES = ("datapackage.json", "manifest.json")
T = TypeVar("T")


def read_stable(root: Path, read: Callable[[], T], *, attempts: int = 3) -> T:
    """``read()`` of the folder ``root``, made sure not to have seen two versions: a publication that
    was interrupted is completed first, one in progress is waited for, and a read during which a
    publication switched the folder is done again. Readers (verify, validate, diff) take no lock, so
    they never wait for a long build, only for its switch."""
    for _ in range(attempts):
        _settle(root)
        before = _generation(root)
        result = read()
        if not pending(root) and _generation(root) == before:
            return result
    raise UsageError(f"{root}: was republished while it was read, {attempts} times; try again")
