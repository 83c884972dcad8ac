"""What convert knows of its inputs before reading them (``InputSummary``: name, format, size, hash,
when collected), and the one-process read of them all (``read_all``), which both engines run when an
input cannot be cut into parts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..core.files import sha256_file
from ..core.records import Record, counted
from ..readers import detect_format, expand_inputs, reader_for
from ..readers.base import ReaderOptions
from ..readers.textfile import check_file
from .merge import Collection


@dataclass
class InputSummary:
    """What one input gave: the manifest's record of it."""

    path: Path
    source_file: str
    format: str
    bytes: int
    sha256: str
    posts: int = 0
    rejects: int = 0
    facts: dict[str, Any] = field(default_factory=dict)  # reader-specific: lines and their use
    collected: datetime | None = None  # when the input was collected, if the user says

    @property
    def collection(self) -> Collection:
        return Collection(self.source_file, self.collected)

    def as_dict(self) -> dict[str, Any]:
        return {"source_file": self.source_file, "format": self.format, "bytes": self.bytes,
                "sha256": self.sha256, "collected": self.collected.isoformat() if self.collected else None,
                "posts": self.posts, "rejects": self.rejects, **self.facts}


def source_names(paths: Sequence[Path]) -> list[str]:
    """Names of the inputs in the tables: the file name, with as many of its folders as make it
    distinct (several exports are all called result.json). Never more: the names must not depend on
    where this machine keeps the files, so that the package reproduces anywhere.

    >>> source_names([Path("/a/2024/result.json"), Path("/b/2025/result.json"), Path("/b/dump.txt")])
    ['2024/result.json', '2025/result.json', 'dump.txt']
    """
    parts = list(dict.fromkeys(p.absolute().parts for p in paths))  # a path listed twice is one file
    depth = [1] * len(parts)
    while True:
        names = ["/".join(p[-d:]) for p, d in zip(parts, depth)]
        clashing = {n for n in names if names.count(n) > 1}
        grow = [k for k, n in enumerate(names) if n in clashing and depth[k] < len(parts[k])]
        if not grow:
            named = dict(zip(parts, names))
            return [named[p.absolute().parts] for p in paths]
        for k in grow:
            depth[k] += 1


def read_all(summaries: list[InputSummary], options: ReaderOptions) -> Iterator[Record]:
    # One reader per format for the whole run, so what one input says about another is kept: the pages
    # of one HTML export, forum topics created in an earlier file, a post in two saved pages.
    readers: dict[str, Any] = {}
    for summary in summaries:
        if summary.format not in readers:  # (setdefault would build a reader per input, used or not)
            readers[summary.format] = reader_for(summary.format, options)
        reader = readers[summary.format]
        tally: Counter = Counter()
        yield from counted(reader.read(summary.path, summary.source_file), tally)
        summary.posts, summary.rejects = tally["posts"], tally["rejects"]
        summary.facts = reader.stats.get(summary.source_file, {})


def summaries(inputs: Sequence[Path], collected: list[datetime | None], format: str,
               options: ReaderOptions) -> tuple[list[InputSummary], list[str]]:
    """One summary per distinct input; an input listed twice, or the same file under two names, is
    read once, and said so."""
    when_of = {page: when for path, when in zip(inputs, collected) for page in expand_inputs([path])}
    inputs = expand_inputs(list(inputs))  # an export folder stands for its pages, in page order
    summaries, notes, seen = [], [], {}
    for path, name in zip(inputs, source_names(inputs)):
        when = when_of[path]
        size = check_file(path)
        digest = sha256_file(path)
        if digest in seen:
            first = seen[digest]
            same = "listed twice" if Path(path).resolve() == first.path.resolve() else f"the same file as {first.source_file}"
            notes.append(f"{name}: {same} (sha256 {digest[:12]}...); read once")
            continue
        fmt = detect_format(path, columns=options.columns) if format == "auto" else format
        summary = InputSummary(path=path, source_file=name, format=fmt, bytes=size, sha256=digest, collected=when)
        seen[digest] = summary
        summaries.append(summary)
    return summaries, notes
