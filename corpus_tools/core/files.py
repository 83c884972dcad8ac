"""Files: hashing them, writing one atomically, and finding the file a descriptor's path names
without ever leaving the package folder. (Publishing many files at once is ``publish``.)
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path, PurePosixPath

from ..errors import InputError

HASH_ALGORITHMS = ("md5", "sha1", "sha256", "sha512")  # those Data Package v2 names
MANIFEST = "manifest.json"  # what convert writes beside the tables: the accounting of its inputs
TEMP_MARK = ".tmp-"  # in the names of temporary files, so that a sweep after a crash knows them


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


def fsync_path(path: Path) -> None:
    """Flush a file or a folder (its entries: renames into it) to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes, *, durable: bool = False) -> None:
    """Write a file through a temporary file in the same folder and a rename; ``durable`` flushes
    the file and the folder to disk, so the rename survives a power cut."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}{TEMP_MARK}", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            if durable:
                out.flush()
                os.fsync(out.fileno())
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes files private; outputs are for sharing
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    if durable:
        fsync_path(path.parent)


def package_path(root: Path, relative: object, *, what: str) -> Path:
    """The file that a descriptor's ``relative`` path names inside the package folder ``root``.

    Data Package v2 allows only relative POSIX paths without ``..``: an absolute path, a URL, a
    Windows drive or backslash, ``..``, or a path whose real location (symlinks followed) is outside
    ``root`` is refused with an InputError naming ``what``, and nothing at that path is opened.

    >>> package_path(Path("/pkg"), "data/posts.parquet", what="resource posts")
    PosixPath('/pkg/data/posts.parquet')
    >>> package_path(Path("/pkg"), "../etc/passwd", what="resource posts")
    Traceback (most recent call last):
    ...
    corpus_tools.errors.InputError: resource posts: path '../etc/passwd' leaves the package folder (Data Package paths are relative, without '..')
    """
    if not isinstance(relative, str) or not relative.strip():
        raise InputError(f"{what}: path {relative!r} is not a relative path (a string)")
    pure = PurePosixPath(relative)
    if "://" in relative or relative.startswith(("/", "~")) or "\\" in relative or re.match(r"[A-Za-z]:", relative) \
            or ".." in pure.parts:
        raise InputError(f"{what}: path {relative!r} leaves the package folder (Data Package paths are relative, "
                         "without '..')")
    path = root / relative
    real_root = root.resolve()
    if not path.resolve().is_relative_to(real_root):
        raise InputError(f"{what}: path {relative!r} leads outside the package folder (through a symbolic link)")
    return path
