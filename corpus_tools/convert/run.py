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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from .. import __version__
from ..core.engine import Engine
from ..core.files import MANIFEST, write_atomic
from ..core.publish import FolderLock, Publication, recover
from ..core.schema import TableSchema, load_schemas
from ..errors import option_error
from ..readers.base import ReaderOptions
from ..readers.timestamps import parse_zone
from .inputs import InputSummary, read_all, summaries
from .merge import merge_copies, written_tables
from .parallel import convert_parallel
from .references import drop_dangling_replies
from .scrub import mask_user_ids, user_ids
from .steps import pipeline_steps
from .steps.base import chain
from .steps.dating import Period
from .steps.privacy import Privacy, Pseudonymise
from .tables import write_tables


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


def convert_into(inputs: Sequence[Path], out_dir: Path, *, format: str = "auto", channel: str | None = None,
                 period: Period | None = None, tz: str | None = None, columns: dict[str, str] | None = None,
                 max_rejects: int | None = None, workers: int | None = None,
                 collected: Sequence[datetime | None] | None = None, privacy: Privacy | None = None,
                 include_chats: Sequence[str] = (), posts_order: Sequence[str] = (),
                 key_orders: Mapping[str, Sequence[str]] | None = None, engine: Engine | None = None) -> ConvertResult:
    """Convert ``inputs`` into tables and a manifest written straight into ``out_dir``.

    ``collected`` gives each input's collection time (or None), which ranks copies of one post
    (``merge``); ``privacy`` says what to do with personal data (default: pseudonymise, with the key
    from the environment; see ``steps.privacy``). ``workers`` processes read large inputs in parts (default: one per CPU; see
    ``parallel``); the output does not depend on it. ``posts_order`` names the columns the posts are
    expected to be sorted by (build passes the order it publishes them in): posts joined from parts
    declare it from the start, so that build need not write the posts again only to declare it; build
    checks what holds and rewrites a table whose declaration is wrong. ``engine`` (default local) runs
    the same readers and steps on Spark instead (``convert.spark``), with the same tables as a result.
    ``key_orders`` names, for the other tables, the key build publishes each sorted by: the spark
    engine then writes them sorted by it (and, among equal keys, in their order here) and declares
    it, so that build need not sort them in the driver's memory; the local engine ignores it.
    Callers that publish use ``convert``, which stages this and publishes it all at once.
    """
    options = ReaderOptions(channel=channel, tz=parse_zone(tz), columns=dict(columns or {}),
                            include_chats=tuple(include_chats))
    if max_rejects is not None and max_rejects < 0:
        raise option_error("max_rejects", max_rejects, "must be 0 or more")
    if workers is not None and workers < 1:
        raise option_error("workers", workers, "must be 1 or more")
    privacy = privacy or Privacy.from_environment()
    inputs_read, notes = summaries(inputs, list(collected or [None] * len(inputs)), format, options)
    schemas = load_schemas()
    if engine is not None and engine.is_spark:
        from .spark.run import convert_on_spark  # pyspark: only when asked for

        step_stats, terms = convert_on_spark(engine, inputs_read, out_dir, schemas, options=options, period=period,
                                             privacy=privacy, max_rejects=max_rejects, posts_order=posts_order,
                                             key_orders=key_orders or {})
    else:
        step_stats, terms = _convert_locally(inputs_read, out_dir, schemas, options=options, period=period,
                                             privacy=privacy, max_rejects=max_rejects, workers=workers,
                                             posts_order=posts_order)
    notes += _merge_notes(step_stats["merge_copies"])
    result = ConvertResult(
        out_dir=out_dir, inputs=inputs_read, steps=step_stats, notes=notes,
        tables={name: pq.read_metadata(out_dir / f"{name}.parquet").num_rows for name in schemas},
        options={"format": format, "channel": channel, "period": str(period) if period else None, "tz": tz,
                 "columns": dict(sorted((columns or {}).items())), "max_rejects": max_rejects,
                 "privacy": privacy.record(used=bool(terms)), "include_chats": len(include_chats)},  # names: persons
        private_terms=terms,
    )
    text = json.dumps(result.manifest(), indent=2, ensure_ascii=False) + "\n"
    write_atomic(out_dir / MANIFEST, text.encode("utf-8"))
    return result


def _convert_locally(inputs: list[InputSummary], out_dir: Path, schemas: dict[str, TableSchema], *,
                     options: ReaderOptions, period: Period | None, privacy: Privacy, max_rejects: int | None,
                     workers: int | None, posts_order: Sequence[str]) -> tuple[dict[str, dict[str, int]], set[str]]:
    """The tables of ``inputs``, on this machine's processes; the steps' stats and the private terms met."""
    written = written_tables(schemas)
    parallel = None if period is not None else convert_parallel(
        inputs, out_dir, written, options=options, privacy=privacy, workers=workers or os.cpu_count() or 1,
        max_rejects=max_rejects, posts_order=posts_order)
    if parallel is not None:
        _, step_stats, terms = parallel
    else:
        for summary in inputs:  # a parallel attempt that gave up leaves nothing counted
            summary.posts, summary.rejects, summary.facts = 0, 0, {}
        steps = pipeline_steps(period, max_rejects, privacy)
        write_tables(chain(read_all(inputs, options), steps), out_dir, written)
        step_stats = {step.name: dict(sorted(step.stats.items())) for step in steps}
        terms = next(s for s in steps if isinstance(s, Pseudonymise)).terms
    step_stats["merge_copies"] = merge_copies(out_dir, schemas, [s.collection for s in inputs])
    if privacy.action("posts", "author_id") != "keep":
        step_stats["mask_user_ids"] = {"masked": mask_user_ids(out_dir, schemas, user_ids(terms))}
    step_stats["drop_dangling_replies"] = {"unlinked": drop_dangling_replies(out_dir / "posts.parquet", schemas["posts"])}
    return step_stats, terms


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
