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
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

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
from .merge import Collection, merge_copies, written_tables
from .parallel import convert_parallel
from .references import drop_dangling_replies
from .scrub import mask_user_ids, user_ids
from .steps import pipeline_steps
from .steps.base import chain
from .steps.dating import Period
from .steps.privacy import Privacy, Pseudonymise
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
    collected: datetime | None = None  # when the input was collected, if the user says

    @property
    def collection(self) -> Collection:
        return Collection(self.source_file, self.collected)

    def as_dict(self) -> dict[str, Any]:
        return {"source_file": self.source_file, "format": self.format, "bytes": self.bytes,
                "sha256": self.sha256, "collected": self.collected.isoformat() if self.collected else None,
                "posts": self.posts, "rejects": self.rejects, **self.facts}


@dataclass
class ConvertResult:
    out_dir: Path
    inputs: list[InputSummary]
    tables: dict[str, int]
    steps: dict[str, dict[str, int]]
    options: dict[str, Any]
    notes: list[str] = field(default_factory=list)  # what the user should know: merged copies, same inputs
    private_terms: set[str] = field(default_factory=set)  # the persons' ids and names met: never in an output

    def manifest(self) -> dict[str, Any]:
        return {
            "corpus_tools_version": __version__,
            "options": self.options,
            "inputs": [summary.as_dict() for summary in self.inputs],
            "steps": self.steps,
            "tables": self.tables,
            "notes": self.notes,
        }

    @property
    def files(self) -> list[str]:
        return [f"{name}.parquet" for name in self.tables] + [MANIFEST]


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


def _read_all(summaries: list[InputSummary], options: ReaderOptions) -> Iterator[Record]:
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


def convert_into(inputs: Sequence[Path], out_dir: Path, *, format: str = "auto", channel: str | None = None,
                 period: Period | None = None, tz: str | None = None, columns: dict[str, str] | None = None,
                 max_rejects: int | None = None, workers: int | None = None,
                 collected: Sequence[datetime | None] | None = None, privacy: Privacy | None = None,
                 include_chats: Sequence[str] = (), posts_order: Sequence[str] = ()) -> ConvertResult:
    """Convert ``inputs`` into tables and a manifest written straight into ``out_dir``.

    ``collected`` gives each input's collection time (or None), which ranks copies of one post
    (``merge``); ``privacy`` says what to do with personal data (default: pseudonymise, with the key
    from the environment; see ``steps.privacy``). ``workers`` processes read large inputs in parts (default: one per CPU; see
    ``parallel``); the output does not depend on it. ``posts_order`` names the columns the posts are
    expected to be sorted by (build passes the order it publishes them in): posts joined from parts
    declare it from the start, so that build need not write the posts again only to declare it; build
    checks what holds and rewrites a table whose declaration is wrong. Callers that publish use
    ``convert``, which stages this and publishes it all at once.
    """
    options = ReaderOptions(channel=channel, tz=parse_zone(tz), columns=dict(columns or {}),
                            include_chats=tuple(include_chats))
    if max_rejects is not None and max_rejects < 0:
        raise option_error("max_rejects", max_rejects, "must be 0 or more")
    if workers is not None and workers < 1:
        raise option_error("workers", workers, "must be 1 or more")
    privacy = privacy or Privacy.from_environment()
    summaries, notes = _summaries(inputs, list(collected or [None] * len(inputs)), format, options)
    schemas = load_schemas()
    written = written_tables(schemas)
    parallel = None if period is not None else convert_parallel(
        summaries, out_dir, written, options=options, privacy=privacy, workers=workers or os.cpu_count() or 1,
        max_rejects=max_rejects, posts_order=posts_order)
    if parallel is not None:
        _, step_stats, terms = parallel
    else:
        for summary in summaries:  # a parallel attempt that gave up leaves nothing counted
            summary.posts, summary.rejects, summary.facts = 0, 0, {}
        steps = pipeline_steps(period, max_rejects, privacy)
        write_tables(chain(_read_all(summaries, options), steps), out_dir, written)
        step_stats = {step.name: dict(sorted(step.stats.items())) for step in steps}
        terms = next(s for s in steps if isinstance(s, Pseudonymise)).terms
    step_stats["merge_copies"] = merge_copies(out_dir, schemas, [s.collection for s in summaries])
    notes += _merge_notes(step_stats["merge_copies"])
    if privacy.action("posts", "author_id") != "keep":
        step_stats["mask_user_ids"] = {"masked": mask_user_ids(out_dir, schemas, user_ids(terms))}
    step_stats["drop_dangling_replies"] = {"unlinked": drop_dangling_replies(out_dir / "posts.parquet", schemas["posts"])}
    result = ConvertResult(
        out_dir=out_dir, inputs=summaries, steps=step_stats, notes=notes,
        tables={name: pq.read_metadata(out_dir / f"{name}.parquet").num_rows for name in schemas},
        options={"format": format, "channel": channel, "period": str(period) if period else None, "tz": tz,
                 "columns": dict(sorted((columns or {}).items())), "max_rejects": max_rejects,
                 "privacy": privacy.record(used=bool(terms)), "include_chats": len(include_chats)},  # names: persons
        private_terms=terms,
    )
    text = json.dumps(result.manifest(), indent=2, ensure_ascii=False) + "\n"
    write_atomic(out_dir / MANIFEST, text.encode("utf-8"))
    return result


def _summaries(inputs: Sequence[Path], collected: list[datetime | None], format: str,
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


def _merge_notes(stats: dict[str, int]) -> list[str]:
    notes = []
    if stats["posts_merged"]:
        notes.append(f"{stats['posts_merged']} posts held by several inputs kept once ({stats['copies_dropped']} "
                     f"copies dropped, {stats['copies_with_other_text']} with other text; every copy is in post_sources)")
    if stats["conflicts"]:
        notes.append(f"{stats['conflicts']} copies differ from the kept copy in published_at or channel, which no edit "
                     "explains (post_sources.conflict names what)")
    if stats["edits_before_post"]:
        notes.append(f"{stats['edits_before_post']} copies are edited before they were posted (a collector's clock "
                     "off?): those edits do not rank them as later")
    return notes


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
