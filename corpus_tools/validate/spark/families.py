"""The checks' computed columns on Spark: for each column a local family computes (``families/``), the
same values row for row, as Spark window functions, joins and aggregations over the whole table (no
table is collected to the driver). Each function takes a Spark DataFrame with a ``row`` column (the
row's position in its Parquet file) and returns it with the computed column added:

- exact duplicates (``duplicates``): windows over (channel, text hash) and over the text hash, each
  failing row named by its group's size and first post, as ``Duplicates.columns`` names it;
- channel order (``dates``): the latest dated earlier post of the channel, by message id where the
  channel numbers every post, else by row, in windows over blocks of the channel's order;
- references (``integrity``): a left join with the referenced table's distinct keys;
- privacy (``privacy``): the raw user id patterns, and a broadcast join with the private terms.

The text's own facts (hash, visible characters, interface strings, NFC, repetition) come from
``spark.text``; near-duplicates from ``spark.near_duplicates``.
"""

from __future__ import annotations

import re
from typing import Any

from ...core.engine import spread_nulls
from ..families.integrity import _references
from ..families.privacy import RAW_IDS, USER_ID

DUPLICATE_COLUMNS = ("text__duplicate_in_channel", "text__duplicate_across_channels")
BLOCK = 100_000  # places in a channel's order that one window of ``previous_dates`` holds


def _spark() -> tuple[Any, Any]:
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    return F, Window


def references(schemas) -> dict[str, list[tuple[str, str, str]]]:
    """Each table's (field, referenced table, referenced field) of every foreign key."""
    found: dict[str, list[tuple[str, str, str]]] = {}
    for table, field, target, target_field in _references(schemas):
        found.setdefault(table, []).append((field, target, target_field))
    return found


def with_exact_duplicates(posts: Any) -> Any:
    """``DUPLICATE_COLUMNS``: for a text (with a visible character) that other posts of its channel
    (across channels: of another channel) share, how many posts share it and the first of them."""
    F, Window = _spark()
    compared = F.col("text__hash").isNotNull() & (F.col("text__visible_chars") > 0)
    # A row not compared is a group of its own (its row number): grouped by their null or blank
    # text's hash they would be one window of millions of rows in one task, which buffers it all.
    posts = posts.withColumn("__compared", compared).withColumn("__alone", F.when(~compared, F.col("row"))) \
        .withColumn("__channel", F.coalesce(F.col("channel"), F.lit("")))
    in_channel = Window.partitionBy("__alone", "__channel", "text__hash")
    across = Window.partitionBy("__alone", "text__hash")
    spread = F.min("__channel").over(across) != F.max("__channel").over(across)
    return posts.withColumn(DUPLICATE_COLUMNS[0], _group(in_channel, "posts of its channel", F.lit(True))) \
        .withColumn(DUPLICATE_COLUMNS[1], _group(across, "posts", spread)).drop("__compared", "__alone", "__channel")


def _group(window: Any, what: str, shared: Any) -> Any:
    """'N WHAT have this text, first ID' for the compared rows of a group of two or more, when ``shared``."""
    F, _ = _spark()
    size = F.count(F.lit(1)).over(window)
    first = F.coalesce(F.min(F.struct("row", "post_id")).over(window)["post_id"], F.lit("None"))
    return F.when(F.col("__compared") & (size > 1) & shared,
                  F.format_string(f"%d {what} have this text, first %s", size, first))


def previous_dates(dates: Any) -> Any:
    """``row`` and ``published_at__previous`` of a frame of ``row``, ``channel``, ``message_id`` and
    ``published_at``: the date of the latest earlier dated post of the channel, where earlier is by
    message id when every post of the channel has a numeric one, else by row.

    A window per channel would hold a whole channel in one task (the benchmark's one channel of 10M
    posts): the channel's order is cut into blocks of BLOCK places, each block a window of its own,
    and each block's rows without an earlier date in it take the latest of the blocks before."""
    F, Window = _spark()
    channel = F.coalesce(F.col("channel"), F.lit(""))
    numeric = F.coalesce(F.col("message_id").rlike(r"^[0-9]+\z"), F.lit(False)).cast("int")
    dates = dates.select("row", "message_id", "published_at", channel.alias("__channel"), numeric.alias("__numeric"))
    numbered = dates.groupBy("__channel").agg((F.min("__numeric") == 1).alias("__numbered"))
    order = F.when(F.col("__numbered"), F.col("message_id").cast("long")).otherwise(F.col("row"))
    block = F.coalesce(F.floor(F.col("__order") / BLOCK), F.lit(-1))  # no order (nulls come first): -1
    dates = dates.join(F.broadcast(numbered), "__channel") \
        .select("row", "published_at", "__channel", order.alias("__order")).withColumn("__block", block)
    earlier = Window.partitionBy("__channel", "__block").orderBy("__order", "row") \
        .rowsBetween(Window.unboundedPreceding, -1)
    dated = F.when(F.col("published_at").isNotNull(), F.struct("__order", "row"))  # max_by skips nulls
    blocks = dates.groupBy("__channel", "__block").agg(F.max_by("published_at", dated).alias("__last"))
    before = Window.partitionBy("__channel").orderBy("__block").rowsBetween(Window.unboundedPreceding, -1)
    carried = blocks.select("__channel", "__block", F.last("__last", ignorenulls=True).over(before).alias("__carried"))
    within = F.last("published_at", ignorenulls=True).over(earlier)
    return dates.withColumn("__within", within).join(F.broadcast(carried), ["__channel", "__block"]) \
        .select("row", F.coalesce("__within", "__carried").alias("published_at__previous"))


def distinct_keys(values: Any) -> Any:
    """The distinct values of a one-column DataFrame, as the column ``__target`` (for ``with_unresolved``)."""
    F, _ = _spark()
    return values.select(F.col(values.columns[0]).alias("__target")).distinct()


def with_unresolved(frame: Any, field: str, keys: Any) -> Any:
    """``FIELD__unresolved``: the value of ``field`` where ``keys`` (``distinct_keys`` of the referenced
    column) does not hold it, else null."""
    F, _ = _spark()
    joined = frame.join(keys.withColumn("__found", F.lit(True)), spread_nulls(F.col(field), "row") == F.col("__target"),
                        "left")
    missing = F.col(field).isNotNull() & F.col("__found").isNull()
    return joined.withColumn(f"{field}__unresolved", F.when(missing, F.col(field))).drop("__target", "__found")


def java_pattern(pattern: str) -> str:
    """A pattern of ``privacy`` (pyarrow's RE2 syntax) for Java's regex: RE2's ``$`` matches at the
    very end only, Java's also before a final newline, which ``\\z`` does not."""
    return re.sub(r"(?<!\\)\$", r"\\z", pattern)


def with_raw_user_id(frame: Any, table: str, column: str) -> Any:
    """``COLUMN__raw_user_id``: the value where it looks like a raw user id (``privacy.RAW_IDS``)."""
    F, _ = _spark()
    pattern = java_pattern(RAW_IDS.get((table, column), USER_ID))
    return frame.withColumn(f"{column}__raw_user_id", F.when(F.col(column).rlike(pattern), F.col(column)))


def with_private_name(frame: Any, column: str, terms: Any) -> Any:
    """``COLUMN__private_name``: the value where it is one of ``terms`` (a DataFrame of one column
    ``__term``, small enough to broadcast), else null."""
    F, _ = _spark()
    marked = F.broadcast(terms.distinct().withColumn("__private", F.lit(True)))
    joined = frame.join(marked, F.col(column) == F.col("__term"), "left")
    return joined.withColumn(f"{column}__private_name", F.when(F.col("__private"), F.col(column))) \
        .drop("__term", "__private")


def date_sources(posts: Any) -> dict[str | None, int]:
    """How many posts have each ``date_source`` (a handful of values, null among them)."""
    return {row["date_source"]: row["count"] for row in posts.groupBy("date_source").count().collect()}


def repeated_on_spark(spark: Any):
    """``source.table_problems``' count of the rows that repeat an earlier row's key, as a Spark
    aggregation (rows with a null in the key are not compared, as locally): only the count reaches the
    driver."""
    F, _ = _spark()

    def repeated(path, key: list[str]) -> int:
        rows = spark.read.parquet(path.resolve().as_uri()).select(*key).dropna(how="any")
        copies = rows.groupBy(*key).count().where(F.col("count") > 1)
        return int(copies.agg(F.sum(F.col("count") - 1)).first()[0] or 0)

    return repeated
