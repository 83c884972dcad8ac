"""What every reader is: a class with one ``read`` method that yields posts and rejects for one file.

The converter loops over inputs and hands each file to its reader; a reader only knows its format.
Facts about an input that belong in the convert manifest (how its lines were used, how many records
were skipped and why) go into ``self.stats[source_file]``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from ..records import Post, Reject


class Reader:
    """Base class: subclasses set ``format_name`` and implement ``read``."""

    format_name: ClassVar[str] = ""

    def __init__(self, *, channel: str | None = None) -> None:
        self.channel = channel
        self.stats: dict[str, dict[str, Any]] = {}

    def read(self, path: Path, source_file: str) -> Iterator[Post | Reject]:
        """Yield the posts of ``path`` in source order, and a Reject for each unusable record."""
        raise NotImplementedError
