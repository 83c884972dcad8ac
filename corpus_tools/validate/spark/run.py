"""``validate`` on the Spark engine: after the same file checks as the local engine (``validate.run``),
each table is read with ``spark.read.parquet`` (each row numbered by its position in the file,
``_metadata.row_index``), the columns its checks read are computed on Spark (``spark.text``,
``spark.families``, ``spark.near_duplicates``), and GX runs the table's suite through its Spark data
source (``spark.gx``). Only counts, a few example rows and small results reach the driver.

One table at a time: its frame (the declared columns its checks read, the computed ones and ``row``)
is sorted by row and cached while GX runs its expectations on it, then let go.
"""

from __future__ import annotations

import time
from typing import Any

from ...core.engine import Engine, sized_session
from ...core.progress import progress
from ..base import CheckResult, Spec, spec_columns
from ..families.dates import date_statistics
from ..families.privacy import personal_fields
from ..gx_chunks import row_wise
from ..gx_run import EMPTY_TABLE_RESULT, check_result
from ..source import Dataset
from . import families
from .gx import ROW, SparkGX
from .text import FACTS, with_text_facts

NEAR_DUPLICATES = "text__near_duplicate_cluster"
# Compressed Parquet against the rows Spark sorts: about what the posts' text compresses by, so the
# shuffle partitions are sized for the rows rather than for the files (core.engine.shuffle_partitions).
PARQUET_EXPANSION = 4
# The declared posts columns each computed posts column is made from.
POSTS_INPUTS = {**{name: ("text",) for name in FACTS}, **{name: ("text", "channel", "post_id")
                                                           for name in families.DUPLICATE_COLUMNS},
                "published_at__previous": (), NEAR_DUPLICATES: ()}  # both read the posts themselves


class Tables:
    """The dataset's tables as Spark DataFrames, each row with its position in its file as ``row``."""

    def __init__(self, spark: Any, dataset: Dataset, schemas, private_terms: set[str] | None) -> None:
        self.spark, self.dataset, self.schemas, self.private_terms = spark, dataset, schemas, private_terms
        self._keys: dict[tuple[str, str], Any] = {}

    def __enter__(self) -> Tables:
        return self

    def __exit__(self, *exception) -> None:
        for keys in self._keys.values():
            keys.unpersist()

    def keys(self, table: str, column: str) -> Any:
        """The distinct values of a referenced column (``families.distinct_keys``), cached: every side
        table's references are to the posts' ids."""
        if (table, column) not in self._keys:
            self._keys[table, column] = families.distinct_keys(self.read(table, [column]).drop(ROW)).persist()
        return self._keys[table, column]

    def read(self, table: str, columns) -> Any:
        from pyspark.sql import functions as F

        path = self.dataset.tables[table].path.resolve().as_uri()
        return self.spark.read.parquet(path).select(*dict.fromkeys(columns), F.col("_metadata.row_index").alias(ROW))

    def terms(self) -> Any:
        """The private persons' ids and names, as a DataFrame of one column ``__term``."""
        return self.spark.createDataFrame([(term,) for term in sorted(self.private_terms or ())], "__term string")


def _inputs(table: str, needed: list[str], schemas) -> list[str]:
    """The declared columns to read for the ``needed`` ones (declared and computed)."""
    declared = schemas[table].field_names
    inputs = [c for c in needed if c in declared]
    for column in needed:
        if table == "posts" and column in POSTS_INPUTS:
            inputs += POSTS_INPUTS[column]
        elif column.endswith(("__unresolved", "__raw_user_id", "__private_name")):
            inputs.append(column.rpartition("__")[0])
    return list(dict.fromkeys(inputs))


def _posts_columns(frame: Any, needed: set[str], tables: Tables, settings) -> tuple[Any, dict[str, Any]]:
    """The computed posts columns among ``needed``; the near-duplicate clusters and statistics."""
    found: dict[str, Any] = {}
    if needed & {*FACTS, *families.DUPLICATE_COLUMNS}:
        frame = with_text_facts(frame, settings)
    if needed & set(families.DUPLICATE_COLUMNS):
        frame = families.with_exact_duplicates(frame)
    if "published_at__previous" in needed:
        frame = frame.join(families.previous_dates(tables.read("posts", ["channel", "message_id", "published_at"])), ROW)
    if NEAR_DUPLICATES in needed:
        from .near_duplicates import near_duplicates_on_spark  # its own module, by its own author

        texts = tables.read("posts", ["post_id", "text"])
        clustered, found["clusters"], found["statistics"] = near_duplicates_on_spark(
            texts, settings.near_duplicates, examples=settings.examples)
        frame = frame.join(clustered, ROW, "left")
    return frame, found


def _table_columns(table: str, frame: Any, needed: set[str], tables: Tables) -> Any:
    """The computed columns of any table among ``needed``: unresolved references and privacy."""
    for field, target, target_field in families.references(tables.schemas).get(table, []):
        if f"{field}__unresolved" in needed:
            frame = families.with_unresolved(frame, field, tables.keys(target, target_field))
    for owner, column, kind in personal_fields(tables.schemas):
        if owner == table and f"{column}__raw_user_id" in needed:
            frame = families.with_raw_user_id(frame, table, column)
        if owner == table and f"{column}__private_name" in needed:
            frame = families.with_private_name(frame, column, tables.terms())
    return frame


def table_frame(table: str, specs: list[Spec], tables: Tables, settings) -> tuple[Any, dict[str, Any]]:
    """The frame GX checks ``specs`` on: the columns they read and ``row``, sorted by row; and what the
    posts' families found besides (near-duplicate clusters and statistics)."""
    needed = spec_columns(specs)
    frame = tables.read(table, _inputs(table, needed, tables.schemas))
    found: dict[str, Any] = {}
    if table == "posts":
        frame, found = _posts_columns(frame, set(needed), tables, settings)
    frame = _table_columns(table, frame, set(needed), tables)
    return frame.select(*needed, ROW).orderBy(ROW), found


def _ids(tables: Tables, table: str, found: dict[str, dict[str, Any]]):
    """``ids(row)``: a failing row named by its key columns, looked up for the example rows only."""
    from pyspark.sql import functions as F

    schema = tables.schemas[table]
    key = schema.primary_key or schema.required[:2]
    listed = [(f.get("result") or {}).get("partial_unexpected_index_list") or [] for f in found.values()]
    rows = sorted({int(row) for positions in listed for row in positions})
    named = {}
    if rows:
        named = {r[ROW]: r.asDict() for r in tables.read(table, key).where(F.col(ROW).isin(rows)).collect()}

    def ids(row: int) -> dict[str, Any]:
        return {"row": row, **{k: named[row][k] for k in key}}

    return ids


def _checked_table(gx: SparkGX, table: str, specs: list[Spec], tables: Tables, settings, *, rows: int,
                   parameters: dict[str, Any], timer) -> tuple[dict[str, CheckResult], dict[str, Any]]:
    """The results of ``specs`` on one table, and what its families found besides."""
    from pyspark import StorageLevel

    if rows == 0 and gx.docs is None and all(map(row_wise, specs)):  # as the local engine answers it
        return {spec.id: check_result(spec, EMPTY_TABLE_RESULT, None) for spec in specs}, {}
    started = time.perf_counter()
    frame, found = table_frame(table, specs, tables, settings)
    # Cached on disk only: under MEMORY_AND_DISK a block read back from disk is copied into the heap
    # whole (BlockManager.maybeCacheDiskBytesInMemory), and at 10M posts that ran a 1 GB heap out of
    # memory in GX's passes over the posts. From local disk each pass costs a read, not a recompute.
    frame = frame.persist(StorageLevel.DISK_ONLY)
    frame.count()  # computed once, before GX's many passes over it
    timer("frames", started)
    try:
        started = time.perf_counter()
        results = gx.validate(table, specs, frame, parameters=parameters, examples=settings.examples)
        if rows == 0:  # run only for the Data Docs: the answer is the local engine's (GX on Spark leaves
            results.update({s.id: EMPTY_TABLE_RESULT for s in specs if row_wise(s)})  # out the counts of no rows)
        timer("great expectations", started)
    finally:
        frame.unpersist()
    ids = _ids(tables, table, results)
    return {spec.id: check_result(spec, results[spec.id], ids) for spec in specs}, found


def run_on_spark(engine: Engine, dataset: Dataset, runnable: dict[str, list[Spec]], schemas, settings, *,
                 rows: dict[str, int], parameters: dict[str, Any], docs, private_terms: set[str] | None,
                 timer) -> tuple[dict[str, CheckResult], dict[str, Any]]:
    """The results of the ``runnable`` specs, by id, and the statistics the local families report."""
    results: dict[str, CheckResult] = {}
    found: dict[str, Any] = {}
    statistics: dict[str, Any] = {}
    spark = sized_session(engine, PARQUET_EXPANSION * sum(t.path.stat().st_size for t in dataset.tables.values()))
    with Tables(spark, dataset, schemas, private_terms) as tables, SparkGX(docs) as gx, \
            progress("Running the GX suites on Spark", total=len(runnable), unit="tables") as advance:
        for table, specs in runnable.items():
            if specs:
                checked, extra = _checked_table(gx, table, specs, tables, settings, rows=rows[table],
                                                parameters=parameters, timer=timer)
                results.update(checked)
                found.update(extra)
            advance(1)
        if "statistics" in found:
            statistics["near_duplicates"] = found["statistics"]
        if "posts" in runnable:
            statistics["dates"] = date_statistics(families.date_sources(tables.read("posts", ["date_source"])))
    if found.get("clusters"):
        results["posts.text.near_duplicates"].details = found["clusters"]
    return results, statistics
