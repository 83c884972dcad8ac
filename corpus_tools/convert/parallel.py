"""Converting large inputs on every core.

Each input that its reader can cut at record boundaries (``Reader.shards``: Telegram Desktop
single-chat exports as Telegram writes them, Telethon JSON lines) is read in parts by worker
processes, each running the same pipeline steps and writing its own tables. The parts are joined
in file order, re-cut into row groups of the size a one-process run writes, so the tables and the
manifest are byte for byte the same whichever number of workers made them. An input is cut into
parts of about PART_BYTES, several per worker, and each part is joined as soon as it and those
before it are done: the join (Arrow's Parquet encoder, one thread) runs while the workers convert
the later parts instead of after them all, and a joined part's files are deleted at once.

Only runs whose steps keep no state across posts go parallel: no collection period (dating carries
the latest date from post to post) and only inputs with message ids (text dumps are never cut). A
part whose JSON breaks off, or a run in which no JSON-lines part held a message, is redone in one
pass, so errors read exactly as a one-process run reports them.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..core.batches import batches
from ..core.processes import SPAWN, process_pool
from ..core.progress import shared_progress
from ..core.records import Reject, counted
from ..core.schema import TableSchema, load_schemas
from ..errors import InputError
from ..readers import reader_for
from ..readers.base import ReaderOptions, Shard, record_usage
from ..readers.telethon_jsonl import no_objects
from .merge import written_tables
from .parquet import ROW_GROUP_SIZE, RowGroupWriter
from .steps import pipeline_steps
from .steps.base import chain
from .steps.limits import too_many_rejects
from .steps.privacy import Privacy, Pseudonymise
from .tables import POST_ROW, staged_arrow, write_tables

PARALLEL_MIN_BYTES = 64 << 20  # below this, starting workers costs more than it saves
PART_BYTES = 128 << 20  # smaller parts start the join sooner, but each brings its own seven files to write and join
PARTS = ".parts"


@dataclass
class _Task:
    summary: Any  # convert.inputs.InputSummary
    shard: Shard
    options: ReaderOptions
    out: Path
    privacy: Privacy


def plan(summaries: list, options: ReaderOptions, workers: int) -> list[tuple[int, Shard]] | None:
    """(input index, shard) for every part, or None when this run stays in one process."""
    if workers < 2 or sum(s.bytes for s in summaries) < PARALLEL_MIN_BYTES:
        return None
    tasks = cut_inputs(summaries, options, workers)
    return tasks if tasks and len(tasks) > 1 else None


def cut_inputs(summaries: list, options: ReaderOptions, parts: int) -> list[tuple[int, Shard]] | None:
    """(input index, shard): every input cut into at least ``parts`` parts of about PART_BYTES, or None
    when one of them cannot be cut (both engines' plan)."""
    tasks = []
    for index, summary in enumerate(summaries):
        shards = reader_for(summary.format, options).shards(summary.path, max(parts, summary.bytes // PART_BYTES))
        if not shards:
            return None
        tasks += [(index, shard) for shard in shards]
    return tasks


def _work(task: _Task) -> dict[str, Any]:
    """Convert one part into tables of its own (run in a worker process)."""
    reader = reader_for(task.summary.format, task.options)
    counts: Counter = Counter()
    records = counted(reader.read(task.summary.path, task.summary.source_file, task.shard), counts)
    steps = pipeline_steps(None, None, task.privacy)
    task.out.mkdir(parents=True)
    tables = write_tables(chain(records, steps), task.out, written_tables(load_schemas()), show_progress=False)
    return {"tables": tables, "steps": {step.name: dict(step.stats) for step in steps},
            "terms": sorted(next(s for s in steps if isinstance(s, Pseudonymise)).terms),
            "stats": reader.stats.get(task.summary.source_file, {}), **counts}


def convert_parallel(summaries: list, out_dir: Path, schemas: dict[str, TableSchema], *, options: ReaderOptions,
                     privacy: Privacy, workers: int, max_rejects: int | None,
                     posts_order: Sequence[str] = ()) -> tuple[dict[str, int], dict[str, dict]] | None:
    """Convert ``summaries`` into ``out_dir`` on ``workers`` processes; return the tables' row counts
    and the steps' stats, or None when the run must be (re)done in one process. The joined posts
    declare ``posts_order`` (see ``convert_into``)."""
    tasks = plan(summaries, options, workers)
    if tasks is None:
        return None
    parts = out_dir / PARTS
    jobs = [_Task(summaries[index], shard, options, parts / f"{k:05d}", privacy)
            for k, (index, shard) in enumerate(tasks)]
    joiners = {name: _Joiner(out_dir / f"{name}.parquet", arrow, sorting=posts_order if name == "posts" else ())
               for name, arrow in staged_arrow(schemas).items()}
    try:
        size = sum(shard.end - shard.start for _, shard in tasks)
        with shared_progress("Converting", total=size, unit="bytes", context=SPAWN) as tally, \
                process_pool(workers, tally=tally) as pool:
            results = []
            for job, result in zip(jobs, pool.map(_work, jobs)):  # in file order, as each is done
                results.append(result)
                if not result["stats"].get("broken"):
                    offset = joiners["posts"].added  # the posts of the parts before this one
                    for name, joiner in joiners.items():
                        joiner.add_part(job.out / f"{name}.parquet", offset=offset)
                    shutil.rmtree(job.out)
        tables = {name: joiner.close() for name, joiner in joiners.items()}
        if any(r["stats"].get("broken") for r in results) or no_messages(summaries, tasks, results):
            return None
        limit_rejects(out_dir / "rejects.parquet", max_rejects)
        account_parts(summaries, tasks, results)
        return tables, merged_steps(results), {term for r in results for term in r["terms"]}
    finally:
        for joiner in joiners.values():
            joiner.close()
        shutil.rmtree(parts, ignore_errors=True)


def no_messages(summaries: list, tasks: list[tuple[int, Shard]], results: list[dict]) -> bool:
    """Did a JSON-lines input hold no message in any part? (A one-process run refuses it.)"""
    objects: Counter = Counter()
    for (index, _), result in zip(tasks, results):
        objects[index] += result["stats"].get("objects", 1)
    if any(count == 0 for count in objects.values()):
        empty = next(index for index, count in objects.items() if count == 0)
        raise InputError(no_objects(summaries[empty].path))
    return False


class _Joiner(RowGroupWriter):
    """Appends the parts' tables, in order; a table linked to the posts gets each part's post rows
    renumbered to the joined posts table's (``offset``: the posts of the parts before)."""

    def __init__(self, out: Path, arrow: pa.Schema, *, sorting: Sequence[str] = ()) -> None:
        super().__init__(out, arrow, sorting=sorting)
        self._linked = POST_ROW in arrow.names

    def add_part(self, part: Path, *, offset: int) -> None:
        for batch in batches(part, batch_size=ROW_GROUP_SIZE):
            if self._linked and offset:
                index = batch.schema.get_field_index(POST_ROW)
                batch = batch.set_column(index, batch.schema.field(index), pc.add(batch.column(index), offset))
            self.add(batch)


def limit_rejects(path: Path, limit: int | None) -> None:
    """``max_rejects``, checked on the joined rejects: the same message as a one-process run's."""
    rows = pq.ParquetFile(path).metadata.num_rows
    if limit is not None and rows > limit:
        latest = pq.read_table(path).slice(limit, 1).to_pylist()[0]
        raise too_many_rejects(limit, Reject(**latest))


_PART_ONLY = ("broken", "objects")  # facts of one part, decided on joining


def account_parts(summaries: list, tasks: list[tuple[int, Shard]], results: list[dict]) -> None:
    """Each input's posts, rejects and record accounting: the sums over its parts."""
    for (index, _), result in zip(tasks, results):
        summary = summaries[index]
        summary.posts += result.get("posts", 0)
        summary.rejects += result.get("rejects", 0)
        facts = summary.facts  # keys in the order a one-process read gives them: the first part's
        for key, value in result["stats"].items():
            if key in _PART_ONLY:
                continue
            if key == "record_usage":
                facts[key] = Counter(facts.get(key, {})) + Counter(value)
            elif isinstance(value, int) and not isinstance(value, bool):
                facts[key] = facts.get(key, 0) + value
            else:
                facts.setdefault(key, value)
    for summary in summaries:
        summary.facts["record_usage"] = record_usage(summary.facts["record_usage"])


def merged_steps(results: list[dict]) -> dict[str, dict[str, int]]:
    merged: dict[str, Counter] = {}
    for result in results:
        for name, stats in result["steps"].items():
            merged.setdefault(name, Counter()).update(stats)
    return {name: dict(sorted(stats.items())) for name, stats in merged.items()}
