"""convert: inputs -> declared tables. The pipeline the data flows through, in order:

    reader (per input format) -> LimitRejects -> NormalizeText -> AssignPostIds -> InferDates
    -> ResolveReplies -> ExtractEntities -> one Parquet writer per declared table
    -> replies to posts outside the dataset unlinked (references)

plus a manifest (``manifest.json``) accounting for every input: its hash, how each of its lines or
records was used, how many posts and rejects it gave, and what each step did.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..core.files import MANIFEST, sha256_file, write_atomic
from ..core.publish import FolderLock, Publication, recover
from ..core.records import Record, counted
from ..core.schema import load_schemas
from ..errors import option_error
from ..readers import detect_format, expand_inputs, reader_for
from ..readers.base import ReaderOptions
from ..readers.textfile import check_file
from ..readers.timestamps import parse_zone
from .parallel import convert_parallel
from .references import drop_dangling_replies
from .steps import pipeline_steps
from .steps.base import chain
from .steps.dating import Period
from .tables import write_tables


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

    def as_dict(self) -> dict[str, Any]:
        return {"source_file": self.source_file, "format": self.format, "bytes": self.bytes,
                "sha256": self.sha256, "posts": self.posts, "rejects": self.rejects, **self.facts}


@dataclass
class ConvertResult:
    out_dir: Path
    inputs: list[InputSummary]
    tables: dict[str, int]
    steps: dict[str, dict[str, int]]
    options: dict[str, Any]

    def manifest(self) -> dict[str, Any]:
        return {
            "corpus_tools_version": __version__,
            "options": self.options,
            "inputs": [summary.as_dict() for summary in self.inputs],
            "steps": self.steps,
            "tables": self.tables,
        }

    @property
    def files(self) -> list[str]:
        return [f"{name}.parquet" for name in self.tables] + [MANIFEST]


def source_names(paths: Sequence[Path]) -> list[str]:
    """Names of the inputs relative to their common folder: stable across machines, and distinct
    when several exports are all called result.json."""
    resolved = [p.resolve() for p in paths]
    if len(resolved) == 1:
        return [resolved[0].name]
    common = Path(os.path.commonpath([p.parent for p in resolved]))
    return [p.relative_to(common).as_posix() for p in resolved]


def _read_all(summaries: list[InputSummary], options: ReaderOptions) -> Iterator[Record]:
    # One reader per format for the whole run, so what one input says about another is kept: the pages
    # of one HTML export, forum topics created in an earlier file, a post in two saved pages.
    readers: dict[str, Any] = {}
    for summary in summaries:
        reader = readers.setdefault(summary.format, reader_for(summary.format, options))
        tally: Counter = Counter()
        yield from counted(reader.read(summary.path, summary.source_file), tally)
        summary.posts, summary.rejects = tally["posts"], tally["rejects"]
        summary.facts = reader.stats.get(summary.source_file, {})


def convert_into(inputs: Sequence[Path], out_dir: Path, *, format: str = "auto", channel: str | None = None,
                 period: Period | None = None, tz: str | None = None, columns: dict[str, str] | None = None,
                 max_rejects: int | None = None, workers: int | None = None) -> ConvertResult:
    """Convert ``inputs`` into tables and a manifest written straight into ``out_dir``.

    ``workers`` processes read large inputs in parts (default: one per CPU; see ``parallel``); the
    output does not depend on it. Callers that publish use ``convert``, which stages this and renames
    into place.
    """
    options = ReaderOptions(channel=channel, tz=parse_zone(tz), columns=dict(columns or {}))
    if max_rejects is not None and max_rejects < 0:
        raise option_error("max_rejects", max_rejects, "must be 0 or more")
    if workers is not None and workers < 1:
        raise option_error("workers", workers, "must be 1 or more")
    summaries = []
    inputs = expand_inputs(list(inputs))
    for path, name in zip(inputs, source_names(inputs)):
        size = check_file(path)
        fmt = detect_format(path, columns=options.columns) if format == "auto" else format
        summaries.append(InputSummary(path=path, source_file=name, format=fmt, bytes=size, sha256=sha256_file(path)))
    schemas = load_schemas()
    parallel = None if period is not None else convert_parallel(
        summaries, out_dir, schemas, options=options, workers=workers or os.cpu_count() or 1, max_rejects=max_rejects)
    if parallel is not None:
        tables, step_stats = parallel
    else:
        for summary in summaries:  # a parallel attempt that gave up leaves nothing counted
            summary.posts, summary.rejects, summary.facts = 0, 0, {}
        steps = pipeline_steps(period, max_rejects)
        tables = write_tables(chain(_read_all(summaries, options), steps), out_dir, schemas)
        step_stats = {step.name: dict(sorted(step.stats.items())) for step in steps}
    step_stats["drop_dangling_replies"] = {"unlinked": drop_dangling_replies(out_dir / "posts.parquet", schemas["posts"])}
    result = ConvertResult(
        out_dir=out_dir, inputs=summaries, tables=tables, steps=step_stats,
        options={"format": format, "channel": channel, "period": str(period) if period else None, "tz": tz,
                 "columns": dict(sorted((columns or {}).items())), "max_rejects": max_rejects},
    )
    text = json.dumps(result.manifest(), indent=2, ensure_ascii=False) + "\n"
    write_atomic(out_dir / MANIFEST, text.encode("utf-8"))
    return result


def convert(inputs: Sequence[Path], out_dir: Path, **options: Any) -> ConvertResult:
    """Convert inputs into ``out_dir``/TABLE.parquet + manifest.json, all or nothing (one writer at a
    time: see ``core.publish``). ``options`` are those of ``convert_into``: format, channel, period,
    tz, columns, max_rejects, workers.

    Example: ``convert([Path("result.json")], Path("out"), tz="Europe/Moscow").tables["posts"]``
    """
    with FolderLock(out_dir):
        recover(out_dir)
        with Publication(out_dir) as publication:
            result = convert_into(inputs, publication.path, **options)
            publication.publish(result.files)
    result.out_dir = out_dir
    return result
