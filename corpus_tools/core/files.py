"""Writing outputs atomically: everything is written to a staging folder beside the destination,
checked there, and only then renamed into place, so a crash or a failed check never leaves a
half-written table set or package behind.
"""

from __future__ import annotations

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
