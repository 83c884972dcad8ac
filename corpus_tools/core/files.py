"""Writing outputs atomically: everything is written to a staging folder beside the destination,
checked there, and only then renamed into place, so a crash or a failed check never leaves a
half-written table set or package behind.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Self


class Staging:
    """A temporary folder inside ``destination`` whose files are moved into it on ``publish``.

    >>> import tempfile; d = Path(tempfile.mkdtemp())
    >>> with Staging(d) as stage:
    ...     _ = (stage.path / "a.txt").write_text("x")
    ...     stage.publish(["a.txt"])
    >>> sorted(p.name for p in d.iterdir())
    ['a.txt']
    """

    def __init__(self, destination: Path) -> None:
        self.destination = destination
        destination.mkdir(parents=True, exist_ok=True)
        # Same file system as the destination, so publishing is a rename, not a copy.
        self.path = Path(tempfile.mkdtemp(prefix=".staging-", dir=destination))

    def publish(self, names: list[str]) -> None:
        """Move the named files into the destination, in order (put the index file last)."""
        for name in names:
            os.replace(self.path / name, self.destination / name)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


HASH_ALGORITHMS = ("md5", "sha1", "sha256", "sha512")  # those Data Package v2 names
MANIFEST = "manifest.json"  # what convert writes beside the tables: the accounting of its inputs


def file_digest(path: Path, algorithm: str = "sha256") -> str:
    """The hex digest of a file's bytes, read in 1 MiB blocks (inputs run to gigabytes)."""
    digest = hashlib.new(algorithm)
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_file(path: Path) -> str:
    return file_digest(path, "sha256")


def hash_problem(path: Path, declared_hash: str, declared_bytes: int | None = None) -> str | None:
    """How the file at ``path`` differs from the hash and size a descriptor declares for it, or None
    when it matches. A hash is 'ALGORITHM:HEX', or bare hex for MD5 (Data Package v2). The size is
    compared first: it costs nothing, and a file of the wrong size need not be read.

    >>> import tempfile; f = Path(tempfile.mkdtemp()) / "a"; _ = f.write_bytes(b"x")
    >>> hash_problem(f, "sha256:" + sha256_file(f), 1) is None, hash_problem(f, "sha256:00", 2)
    (True, '1 bytes, declared 2')
    """
    algorithm, _, expected = declared_hash.rpartition(":")
    algorithm = algorithm or "md5"
    if algorithm not in HASH_ALGORITHMS:
        return f"unknown hash algorithm {algorithm!r}"
    size = path.stat().st_size
    if declared_bytes is not None and size != declared_bytes:
        return f"{size} bytes, declared {declared_bytes}"
    actual = file_digest(path, algorithm)
    if actual != expected.lower():
        return f"{algorithm} {actual}, declared {expected}"
    return None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes files private; outputs are for sharing
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
