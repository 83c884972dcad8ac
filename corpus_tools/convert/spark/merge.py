"""The cross-record passes of convert as Spark joins and window functions, with the rules of the
one-machine passes (``convert.merge``, ``convert.scrub``, ``convert.references``), row for row:

- copies of one post (one ``post_id``) ranked by edit, then collection, then place; the last kept,
  every copy a row of ``post_sources``, conflicts and text differences against the kept copy, the
  side tables' rows of the kept copies only (a semi join on the copy's ``(k, seq)``);
- known user ids masked in free text, in Spark tasks, by the same Arrow functions as on one machine;
- a reply to a post that is not in the dataset unlinked (a left join on the post ids).

Every table keeps ``k`` and ``seq``: its rows' order in a one-process run, which the writer sorts by.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F
from pyspark.sql.pandas.types import from_arrow_schema

from ...core.engine import spread_nulls
from ...core.schema import TableSchema
from ..merge import SOURCES, Collection, collection_ranks, written_tables
from ..scrub import free_text_columns, mask_batch, mask_patterns
from ..tables import POST_ROW, linked_tables

ORDER = ["k", "seq"]
MASKED = "_masked"  # per batch, in its first row: how many ids were masked


def _literal_map(values: dict[str, Any], kind: str):
    """A Spark map column of ``values`` (source file -> rank or time); empty maps become a null map."""
    pairs = [item for key, value in values.items() for item in (F.lit(key), F.lit(value).cast(kind))]
    return F.create_map(*pairs) if pairs else F.create_map().cast(f"map<string,{kind}>")


def merge_copies(copies: DataFrame, inputs: list[Collection],
                 staging: Path) -> tuple[DataFrame, DataFrame, dict[str, int]]:
    """(the posts with one copy each, post_sources, the merge's stats) from ``copies`` (staged posts
    with ``k``, ``seq``); every copy, ranked and compared, is written once to ``staging``."""
    ranks = _literal_map(collection_ranks(inputs), "long")
    collected = _literal_map({c.source_file: c.collected for c in inputs}, "timestamp")
    early = F.coalesce(F.col("edited_at") < F.col("published_at"), F.lit(False))
    group = Window.partitionBy("post_id")
    ordered = group.orderBy(F.col("_edit").asc_nulls_first(), "_rank", "k", "seq")
    whole = ordered.rowsBetween(Window.unboundedPreceding, Window.unboundedFollowing)
    ranked = (copies
              .withColumn("_rank", F.coalesce(ranks[F.col("source_file")], F.lit(-1)))
              .withColumn("_collected", collected[F.col("source_file")])
              .withColumn("_early", early)
              .withColumn("_edit", F.when(F.col("edited_at").isNotNull() & ~early, F.unix_micros("edited_at")))
              .withColumn("_n", F.count("*").over(group))
              .withColumn("_kept", F.row_number().over(ordered) == F.col("_n")))
    shared = F.col("_n") > 1
    _text_hash = F.sha2(F.col("text"), 256)  # texts compared by digest, as on one machine (blake2b there)
    differs = {c: shared & ~F.col(c).eqNullSafe(F.last(c).over(whole)) for c in ("published_at", "channel")}
    conflict = F.concat_ws(",", *[F.when(test, F.lit(name)) for name, test in differs.items()])
    compared = (ranked
                .withColumn("_conflict", F.when(conflict != "", conflict))
                .withColumn("_text_differs", shared & ~_text_hash.eqNullSafe(F.last(_text_hash).over(whole)))
                .withColumn("_last_seen", F.max("_collected").over(group)))
    # Written out, not cached: the stats, the posts, post_sources and every side table's semi join read
    # the windows' result, and a cache of every copy, texts and all, is built in the JVM's heap a batch
    # at a time and outgrows it. A Parquet write streams, and is read back column by column.
    compared.write.mode("overwrite").parquet(str(staging))
    compared = copies.sparkSession.read.parquet(str(staging))
    stats = _merge_stats(compared)
    posts = compared.where("_kept")
    if any(c.collected is not None for c in inputs):
        posts = posts.withColumn("last_seen_at", F.col("_last_seen"))
    posts = posts.drop(*[c for c in compared.columns if c.startswith("_")])
    return posts, _sources(compared, unique=stats["posts_merged"] == 0), stats


def _merge_stats(compared: DataFrame) -> dict[str, int]:
    row = compared.agg(
        F.count("*").alias("copies"), F.countDistinct("post_id").alias("posts"),
        F.sum(F.when(F.col("_kept") & (F.col("_n") > 1), 1).otherwise(0)).alias("posts_merged"),
        F.sum(F.when(~F.col("_kept"), 1).otherwise(0)).alias("copies_dropped"),
        F.sum(F.col("_text_differs").cast("long")).alias("copies_with_other_text"),
        F.count("_conflict").alias("conflicts"),
        F.sum(F.col("_early").cast("long")).alias("edits_before_post")).first()
    return {name: int(row[name] or 0) for name in ("copies", "posts", "posts_merged", "copies_dropped",
                                                   "copies_with_other_text", "conflicts", "edits_before_post")}


def _sources(compared: DataFrame, *, unique: bool) -> DataFrame:
    """Every copy's row of post_sources, with its place in its source made unique ('(copy 2)')."""
    first, last = F.col("source_line_start").cast("string"), F.col("source_line_end").cast("string")
    lines = F.when(F.col("source_line_start") == F.col("source_line_end"), F.concat(F.lit("line "), first)) \
        .otherwise(F.concat(F.lit("lines "), first, F.lit("-"), last))
    where = F.coalesce(F.concat(F.lit("message "), F.col("message_id")), lines, F.lit("post"))
    located = compared.withColumn("_where", where)
    if not unique:
        copy = F.row_number().over(Window.partitionBy("source_file", "post_id", "_where").orderBy(*ORDER))
        where = F.when(copy > 1, F.concat(F.col("_where"), F.lit(" (copy "), copy.cast("string"), F.lit(")")))
        located = located.withColumn("_where", where.otherwise(F.col("_where")))
    return located.select("k", "seq", "post_id", "source_file", F.col("_where").alias("location"),
                          F.col("_collected").alias("collected_at"), "edited_at", F.col("_kept").alias("kept"),
                          F.col("_text_differs").alias("text_differs"), F.col("_conflict").alias("conflict"))


def kept_rows(side: DataFrame, posts: DataFrame) -> DataFrame:
    """The rows of a linked table that belong to a kept copy, without the staged POST_ROW column."""
    kept = posts.select(F.col("k").alias("_k"), F.col("seq").alias("_row"))
    joined = side.join(kept, (side["k"] == kept["_k"]) & (side[POST_ROW] == kept["_row"]), "left_semi")
    return joined.drop(POST_ROW)


def merged(staged: dict[str, DataFrame], schemas: dict[str, TableSchema], inputs: list[Collection],
           staging: Path) -> tuple[dict[str, DataFrame], dict[str, int]]:
    """Every table after the merge, and its stats (the ranked copies staged in ``staging``)."""
    posts, sources, stats = merge_copies(staged["posts"], inputs, staging)
    tables = {"posts": posts, SOURCES: sources}
    linked = set(linked_tables(written_tables(schemas)))
    for name in written_tables(schemas):
        if name != "posts":
            tables[name] = kept_rows(staged[name], posts) if name in linked else staged[name]
    return {name: tables[name] for name in schemas}, stats


def masked(tables: dict[str, DataFrame], schemas: dict[str, TableSchema], ids: list[str]) -> dict[str, DataFrame]:
    """Each table with the user ``ids`` masked in its free text and a MASKED column counting them."""
    regexes = mask_patterns(ids) if ids else []
    done = {}
    for name, frame in tables.items():
        columns = free_text_columns(schemas[name]) if regexes else []
        if not columns:
            done[name] = frame.withColumn(MASKED, F.lit(0).cast("long"))
            continue
        arrow = pa.schema([*_arrow_fields(frame), pa.field(MASKED, pa.int64())])
        done[name] = frame.mapInArrow(_Masker(columns, regexes, arrow), from_arrow_schema(arrow))
    return done


def _arrow_fields(frame: DataFrame) -> list[pa.Field]:
    from pyspark.sql.pandas.types import to_arrow_schema

    return list(to_arrow_schema(frame.schema))


class _Masker:
    """mapInArrow: each batch masked (``scrub.mask_batch``), its count in its first row's MASKED."""

    def __init__(self, columns: list[str], regexes: list[tuple[str, str]], arrow: pa.Schema) -> None:
        self.columns, self.regexes, self.arrow = columns, regexes, arrow

    def __call__(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            batch, count = mask_batch(batch, self.columns, self.regexes)
            counts = pa.array([count] + [0] * (batch.num_rows - 1), pa.int64()) if batch.num_rows else pa.array([], pa.int64())
            yield pa.RecordBatch.from_arrays([*batch.columns, counts], schema=self.arrow)


def unlink_dangling(posts: DataFrame) -> tuple[DataFrame, int]:
    """The posts with every reply to a post outside them unlinked, and how many were."""
    targets = posts.select(F.col("post_id").alias("_target")).distinct()
    joined = posts.join(targets, spread_nulls(F.col("reply_to_post_id"), "k", "seq") == targets["_target"], "left")
    dangling = F.col("reply_to_post_id").isNotNull() & F.col("_target").isNull()
    joined = joined.withColumn("_dangling", dangling)
    count = joined.where("_dangling").count()
    fixed = joined.withColumn("reply_to_post_id", F.when(F.col("_dangling"), F.lit(None).cast("string"))
                              .otherwise(F.col("reply_to_post_id")))
    return fixed.select(*posts.columns), count

