"""convert on Spark: the tasks (``tasks``) read the inputs into a staged, table-partitioned Parquet
folder, the cross-record passes (``merge``) run as Spark joins on it, and each final table is sorted
by its rows' place in a one-process run and written by the executors as ordered Parquet shards, which
the driver streams, shard after shard, into the table's one file, in the row groups a one-process run
writes. So both engines give the same tables, and everything after convert (package, validate) reads
them as it reads the local engine's.

The output folder must be one the executors can write and the driver read (on a cluster: a shared
filesystem; docs/spark.md). Its staging subfolder goes when the run ends, whatever the outcome.
"""

from __future__ import annotations

import pickle
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from ...core.batches import batches
from ...core.engine import Engine, sized_session
from ...core.progress import stage
from ...core.schema import TableSchema
from ..inputs import InputSummary
from ..merge import written_tables
from ..parallel import account_parts, limit_rejects, merged_steps, no_messages
from ..parquet import ROW_GROUP_SIZE, RowGroupWriter
from ..scrub import user_ids
from ..steps.dating import Period
from ..steps.privacy import Privacy
from .merge import MASKED, ORDER, masked, merged, unlink_dangling
from .tasks import STATS, Task, TaskRunner, plan_tasks, union_schema

STAGING = ".spark"


def convert_on_spark(engine: Engine, inputs: list[InputSummary], out_dir: Path, schemas: dict[str, TableSchema], *,
                     options, period: Period | None, privacy: Privacy, max_rejects: int | None,
                     posts_order: Sequence[str] = (), key_orders: Mapping[str, Sequence[str]] = {},
                     ) -> tuple[dict[str, dict[str, int]], set[str]]:
    """Convert ``inputs`` into ``out_dir`` on Spark (see ``convert.run.convert_into``, ``key_orders``
    too); return the steps' stats and the private terms met."""
    spark = sized_session(engine, sum(summary.bytes for summary in inputs))
    staging = out_dir / STAGING
    try:
        parts = max(2, spark.sparkContext.defaultParallelism)
        tasks = plan_tasks(inputs, options, period, parts)
        settings = {"options": options, "privacy": privacy, "period": period, "max_rejects": max_rejects}
        read = staging / "read"
        with stage("Converting on Spark"):
            results = _run_tasks(spark, tasks, inputs, schemas, read, **settings)
            if tasks[0].shard is not None and any(r["stats"].get("broken") for r in results):
                tasks, read = [Task(tuple(range(len(inputs))))], staging / "read-whole"  # one pass, as locally
                results = _run_tasks(spark, tasks, inputs, schemas, read, **settings)
        _account_inputs(inputs, tasks, results)
        step_stats, terms = merged_steps(results), {t for r in results for t in r["terms"]}
        with stage("Merging on Spark"):
            step_stats.update(_finish(spark, read, out_dir, schemas, inputs, privacy=privacy, terms=terms,
                                      orders={**key_orders, "posts": posts_order}))
        if tasks[0].shard is not None:
            limit_rejects(out_dir / "rejects.parquet", max_rejects)
        return step_stats, terms
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _run_tasks(spark, tasks: list[Task], inputs: list[InputSummary], schemas: dict[str, TableSchema], folder: Path,
               **settings: Any) -> list[dict[str, Any]]:
    """Run ``tasks`` (one Spark task each), their rows staged in ``folder`` by table; their stats, in
    task order. A task's CorpusToolsError is raised here."""
    from pyspark.sql.pandas.types import from_arrow_schema

    written = written_tables(schemas)
    runner = TaskRunner(tasks, inputs, written, **settings)
    numbers = spark.range(0, len(tasks), 1, numPartitions=len(tasks)).withColumnRenamed("id", "k")
    rows = numbers.mapInArrow(runner, from_arrow_schema(union_schema(written)))
    rows.write.partitionBy("table").mode("overwrite").parquet(str(folder))
    stats = spark.read.parquet(str(folder)).where(f"table = '{STATS}'").select("k", "stats").collect()
    results = [pickle.loads(row["stats"]) for row in sorted(stats, key=lambda row: row["k"])]
    for result in results:
        if "error" in result:
            raise result["error"]
    return results


def _account_inputs(inputs: list[InputSummary], tasks: list[Task], results: list[dict[str, Any]]) -> None:
    """Each input's posts, rejects and record accounting, as the local engine gives them."""
    for summary in inputs:
        summary.posts, summary.rejects, summary.facts = 0, 0, {}
    if tasks[0].shard is None:
        for index, posts, rejects, facts in results[0]["inputs"]:
            inputs[index].posts, inputs[index].rejects, inputs[index].facts = posts, rejects, facts
        return
    no_messages(inputs, [(t.inputs[0], t.shard) for t in tasks], results)
    account_parts(inputs, [(t.inputs[0], t.shard) for t in tasks], results)


def _finish(spark, staged_folder: Path, out_dir: Path, schemas: dict[str, TableSchema], inputs: list[InputSummary],
            *, privacy: Privacy, terms: set[str], orders: Mapping[str, Sequence[str]]) -> dict[str, dict[str, int]]:
    """Merge, mask and unlink on Spark; write every table into ``out_dir``, each sorted by its key in
    ``orders``, if any, then by its rows' place in a one-process run (the posts' key in ``orders`` is
    only declared: build checks it holds); the passes' stats."""
    from pyspark.sql import functions as F

    staged_rows = spark.read.parquet(str(staged_folder))
    staged = {name: staged_rows.where(staged_rows["table"] == name).select(*ORDER, f"{name}.*")
              for name in written_tables(schemas)}
    tables, merge_stats = merged(staged, schemas, [s.collection for s in inputs], out_dir / STAGING / "copies")
    tables["posts"], unlinked = unlink_dangling(tables["posts"])  # before masking: it reads the posts twice
    masking = privacy.action("posts", "author_id") != "keep"
    tables = masked(tables, schemas, user_ids(terms) if masking else [])
    masked_count = 0
    for name, frame in tables.items():
        shards = out_dir / STAGING / "tables" / name
        key = [] if name == "posts" else [F.col(c).asc_nulls_last() for c in orders.get(name, ())]  # as Arrow sorts
        frame.orderBy(*key, *ORDER).write.mode("overwrite").parquet(str(shards))
        masked_count += _join_shards(shards, out_dir / f"{name}.parquet", schemas[name].arrow,
                                     sorting=orders.get(name, ()))
    stats = {"merge_copies": merge_stats}
    if masking:
        stats["mask_user_ids"] = {"masked": masked_count}
    stats["drop_dangling_replies"] = {"unlinked": unlinked}
    return stats


def _join_shards(shards: Path, out: Path, arrow: pa.Schema, *, sorting: Sequence[str]) -> int:
    """Stream the ordered shards Spark wrote into one Parquet file of the declared schema; the ids
    masked in it (the MASKED column's sum)."""
    writer, count = RowGroupWriter(out, arrow, sorting=sorting), 0
    try:
        for shard in sorted(shards.glob("part-*.parquet")):
            for batch in batches(shard, batch_size=ROW_GROUP_SIZE):
                count += pc.sum(batch.column(MASKED)).as_py() or 0
                columns = [batch.column(f.name).cast(f.type) for f in arrow]
                writer.add(pa.RecordBatch.from_arrays(columns, schema=arrow))
    finally:
        writer.close()
    return count
