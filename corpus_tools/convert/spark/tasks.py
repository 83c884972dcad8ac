"""Convert's tasks on Spark: each part of an input (or, when one cannot be cut, all the inputs in one
task) is read by the same readers and pipeline steps as on one machine, inside a Spark task, and its
rows come back to Spark as Arrow batches (``mapInArrow``).

One ``mapInArrow`` gives one schema, and a task gives rows of every table, so each batch it yields
holds one table's rows in that table's struct column (the others null), with ``k`` (the task, in
file order), ``table`` and ``seq`` (the row's place in the task's table): ``(k, seq)`` is the row's
place in a one-process run. Each task ends with one row of ``table`` STATS whose ``stats`` column holds
what the task counted (the steps' stats, the readers' accounting, the private terms met), or the
CorpusToolsError it raised, to be raised on the driver with its own message and exit code.
"""

from __future__ import annotations

import pickle
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from ...core.batches import batches
from ...core.records import counted
from ...core.schema import TableSchema
from ...errors import CorpusToolsError
from ...readers import reader_for
from ...readers.base import ReaderOptions, Shard
from ..inputs import InputSummary, read_all
from ..parquet import ROW_GROUP_SIZE
from ..parallel import cut_inputs
from ..steps import pipeline_steps
from ..steps.base import chain
from ..steps.dating import Period
from ..steps.privacy import Privacy, Pseudonymise
from ..tables import staged_arrow, write_tables

STATS = "_stats"  # the ``table`` of a task's closing row


@dataclass(frozen=True)
class Task:
    """One Spark task of convert: a ``shard`` of input ``inputs[0]``, or (shard None) every input in
    ``inputs`` read whole, in order, by one reader per format, as a one-process run reads them."""

    inputs: tuple[int, ...]
    shard: Shard | None = None


def plan_tasks(inputs: list[InputSummary], options: ReaderOptions, period: Period | None, parts: int) -> list[Task]:
    """The tasks of a run: every input cut into at least ``parts`` parts (and parts of about
    PART_BYTES), or one task of everything when a collection period is set (dating carries state from
    post to post) or an input cannot be cut (text dumps; exports that are not one chat)."""
    everything = [Task(tuple(range(len(inputs))))]
    cut = cut_inputs(inputs, options, parts) if period is None else None
    return [Task((index,), shard) for index, shard in cut] if cut else everything


def union_schema(schemas: dict[str, TableSchema]) -> pa.Schema:
    """The schema of every batch the tasks yield (see the module docstring)."""
    structs = [pa.field(name, pa.struct(list(arrow))) for name, arrow in staged_arrow(schemas).items()]
    return pa.schema([pa.field("k", pa.int64()), pa.field("table", pa.string()), pa.field("seq", pa.int64()),
                      *structs, pa.field("stats", pa.binary())])


class TaskRunner:
    """The function ``mapInArrow`` runs: batches of task numbers in, the tasks' rows out. Pickled to
    every executor with what the tasks need (the inputs' paths must be readable there)."""

    def __init__(self, tasks: list[Task], inputs: list[InputSummary], schemas: dict[str, TableSchema], *,
                 options: ReaderOptions, privacy: Privacy, period: Period | None, max_rejects: int | None) -> None:
        self.tasks, self.inputs, self.schemas = tasks, inputs, schemas
        self.options, self.privacy, self.period, self.max_rejects = options, privacy, period, max_rejects
        self.union = union_schema(schemas)

    def __call__(self, numbers: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in numbers:
            for k in batch.column(0).to_pylist():
                yield from self._run(k)

    def _run(self, k: int) -> Iterator[pa.RecordBatch]:
        folder = Path(tempfile.mkdtemp(prefix="corpus-tools-task-"))
        try:
            try:
                stats = self._convert(self.tasks[k], folder)
            except CorpusToolsError as error:  # reaches the driver whole, to be raised there
                yield self._stats_row(k, {"error": error})
                return
            for name in staged_arrow(self.schemas):
                yield from self._table_batches(k, name, folder / f"{name}.parquet")
            yield self._stats_row(k, stats)
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def _convert(self, task: Task, folder: Path) -> dict[str, Any]:
        """Write ``task``'s tables into ``folder`` as a one-process run (or a worker's part) would."""
        if task.shard is None:  # everything, with the one-process run's steps (reject limit and dating included)
            steps = pipeline_steps(self.period, self.max_rejects, self.privacy)
            chosen = [self.inputs[i] for i in task.inputs]
            write_tables(chain(read_all(chosen, self.options), steps), folder, self.schemas, show_progress=False)
            accounts = [(i, s.posts, s.rejects, s.facts) for i, s in zip(task.inputs, chosen)]
            return {"steps": _step_stats(steps), "terms": _terms(steps), "inputs": accounts}
        summary = self.inputs[task.inputs[0]]
        reader, counts = reader_for(summary.format, self.options), Counter()
        records = counted(reader.read(summary.path, summary.source_file, task.shard), counts)
        steps = pipeline_steps(None, None, self.privacy)  # a part: the reject limit is checked on the whole
        write_tables(chain(records, steps), folder, self.schemas, show_progress=False)
        return {"steps": _step_stats(steps), "terms": _terms(steps),
                "stats": reader.stats.get(summary.source_file, {}), **counts}

    def _table_batches(self, k: int, name: str, path: Path) -> Iterator[pa.RecordBatch]:
        seq = 0
        for batch in batches(path, batch_size=ROW_GROUP_SIZE):
            rows = batch.num_rows
            columns = {"k": pa.array([k] * rows, pa.int64()), "table": pa.array([name] * rows, pa.string()),
                       "seq": pa.array(np.arange(seq, seq + rows, dtype=np.int64)),
                       name: pa.StructArray.from_arrays(batch.columns, fields=list(batch.schema)),
                       "stats": pa.nulls(rows, pa.binary())}
            seq += rows
            yield self._batch(columns, rows)

    def _stats_row(self, k: int, stats: dict[str, Any]) -> pa.RecordBatch:
        columns = {"k": pa.array([k], pa.int64()), "table": pa.array([STATS]), "seq": pa.array([0], pa.int64()),
                   "stats": pa.array([pickle.dumps(stats)], pa.binary())}
        return self._batch(columns, 1)

    def _batch(self, columns: dict[str, pa.Array], rows: int) -> pa.RecordBatch:
        arrays = [columns[f.name] if f.name in columns else pa.nulls(rows, f.type) for f in self.union]
        return pa.RecordBatch.from_arrays(arrays, schema=self.union)


def _step_stats(steps) -> dict[str, dict[str, int]]:
    return {step.name: dict(step.stats) for step in steps}


def _terms(steps) -> list[str]:
    return sorted(next(s for s in steps if isinstance(s, Pseudonymise)).terms)
