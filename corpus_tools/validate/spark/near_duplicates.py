"""Near-duplicates on Spark: the clusters, values, details and statistics of the local family
(``families.near_duplicates``), with the per-post work in Spark tasks and the cross-post work in Spark.

Per post, inside ``mapInArrow`` tasks, the local family's own compiled functions run on Arrow batches:
``TextBatch`` cuts the words and hashes the text, ``signatures`` gives the band hashes, and (for the
candidates only, a second read of their text) ``shingle_sets`` gives the shingle sets. Across posts,
Spark does what the local family does in memory:

1. Buckets: the band hashes exploded to (row, band, hash) and spread over tasks by (band, hash), each
   bucket's size and first post window values over it (``BAND_HASHES_PER_TASK`` per task). A bucket of at
   most ``max_bucket`` posts pairs all its posts (a self-join); a larger one pairs its first post with
   the others, as ``candidate_pairs`` does. Pairs of identical texts (equal text hashes) are dropped.
2. Confirmation: each pair's exact Jaccard similarity, |A & B| / (|A| + |B| - |A & B|), of the two
   shingle sets joined to it, kept when at least ``jaccard`` (the same float64 division and comparison).
3. Components: alternating large-star and small-star rounds (Kiveris et al. 2014, "Connected
   Components in MapReduce and Beyond"; GraphFrames' algorithm), each round two window minima and a
   distinct, checkpointed so the plan does not grow, until the edges form stars, each pointing from a
   post to the smallest row of its component: union-find's root in the local family.
4. Numbers: clusters numbered by their smallest row, ascending (first appearance), within ranges of
   rows after the clusters of the ranges before, so that no single task sees every cluster.

Only counts (one per range of rows among them) and the first ``examples`` clusters (10 posts each)
come to the driver.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyarrow as pa
from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from ..families.near_duplicates import shingle_sets, signatures
from ..textscan import Scratch, TextBatch

COLUMN = "text__near_duplicate_cluster"
POSTS_PER_CLUSTER = 10  # posts listed per cluster in the details, as the local family lists them
# Band hashes per task when they are sorted into buckets: about 50 MB of rows to sort.
BAND_HASHES_PER_TASK = 1_000_000
SIGNED = "row long, text_hash long, bands array<long>"
SHINGLED = "row long, shingles array<long>"


def _lists(values: np.ndarray, offsets: np.ndarray, mask: np.ndarray | None = None) -> pa.Array:
    """uint64 values as an Arrow list<int64> array (the same 64 bits: equality is all Spark compares)."""
    return pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32)), pa.array(values.view(np.int64)),
                                    mask=None if mask is None else pa.array(mask))


class PostSignatures:
    """The function ``mapInArrow`` runs on (row, text) batches: per post its text hash and its band
    hashes (null for a post without words), as the local family's ``consume`` computes them."""

    def __init__(self, params: dict) -> None:
        self.params = params

    def __call__(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        p, scratch = self.params, Scratch()
        for batch in batches:
            text = TextBatch(batch.column("text"), start=0, scratch=scratch)
            bands, has = signatures(text.words, shingle_words=p["shingle_words"], bands=p["bands"], rows=p["rows"],
                                    seed=p["seed"])
            offsets = np.arange(len(has) + 1) * p["bands"]
            yield pa.RecordBatch.from_arrays(
                [batch.column("row"), pa.array(text.hashes.view(np.int64)), _lists(bands.ravel(), offsets, ~has)],
                names=["row", "text_hash", "bands"])


class PostShingles:
    """The function ``mapInArrow`` runs on (row, text) batches of the candidates: their shingle sets."""

    def __init__(self, params: dict) -> None:
        self.params = params

    def __call__(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        p, scratch = self.params, Scratch()
        for batch in batches:
            words = TextBatch(batch.column("text"), start=0, scratch=scratch).words
            sets = shingle_sets(words, shingle_words=p["shingle_words"], seed=p["seed"])
            offsets = np.zeros(len(sets) + 1, np.int64)
            np.cumsum([s.size for s in sets], out=offsets[1:])
            values = np.concatenate(sets) if sets else np.zeros(0, np.uint64)
            yield pa.RecordBatch.from_arrays([batch.column("row"), _lists(values, offsets)], names=["row", "shingles"])


def candidate_pairs(signed: DataFrame, *, max_bucket: int, partitions: int) -> DataFrame:
    """Distinct (i, j) row pairs, i < j, sharing a band hash (with ``candidate_pairs``' max_bucket rule)
    whose texts differ: identical texts are the exact duplicate checks' job. The band hashes are spread
    over ``partitions`` tasks by bucket, and each bucket's size and first post are window values over
    them (one sort per task): a grouping would first aggregate each input task's band hashes, nearly
    all distinct, and at 10M posts (200M band hashes) its spilled maps ran the heap out of memory."""
    exploded = (signed.where(F.col("bands").isNotNull())
                .select("row", "text_hash", F.posexplode("bands").alias("band", "hash"))
                .repartition(partitions, "band", "hash"))
    bucket = Window.partitionBy("band", "hash")
    first = F.min(F.struct("row", "text_hash")).over(bucket)
    members = (exploded.select("*", F.count("*").over(bucket).alias("size"), first["row"].alias("first"),
                               first["text_hash"].alias("first_text"))
               .where(F.col("size") > 1).persist())  # the posts sharing a bucket: a few per cent
    small = members.where(F.col("size") <= max_bucket)
    a, b = small.alias("a"), small.alias("b")
    within = a.join(b, (F.col("a.band") == F.col("b.band")) & (F.col("a.hash") == F.col("b.hash"))
                    & (F.col("a.row") < F.col("b.row"))).select(
        F.col("a.row").alias("i"), F.col("b.row").alias("j"), F.col("a.text_hash").alias("text_i"),
        F.col("b.text_hash").alias("text_j"))
    firsts = (members.where((F.col("size") > max_bucket) & (F.col("row") != F.col("first")))
              .select(F.col("first").alias("i"), F.col("row").alias("j"), F.col("first_text").alias("text_i"),
                      F.col("text_hash").alias("text_j")))
    pairs = within.unionByName(firsts).where(F.col("text_i") != F.col("text_j")).select("i", "j").distinct()
    pairs = pairs.localCheckpoint()
    members.unpersist()
    return pairs


def _jaccard(a: str, b: str) -> Column:
    common = F.size(F.array_intersect(a, b))
    return common / (F.size(a) + F.size(b) - common)


def confirmed_pairs(pairs: DataFrame, posts: DataFrame, params: dict) -> DataFrame:
    """The candidate pairs whose shingle sets (computed in tasks, for the candidates only) are at least
    ``jaccard`` similar."""
    rows = pairs.select(F.col("i").alias("row")).union(pairs.select(F.col("j").alias("row"))).distinct()
    sets = (posts.select("row", "text").join(rows, "row", "left_semi")
            .mapInArrow(PostShingles(params), SHINGLED).persist())
    joined = pairs.join(sets.toDF("i", "set_i"), "i").join(sets.toDF("j", "set_j"), "j")
    confirmed = joined.where(_jaccard("set_i", "set_j") >= params["jaccard"]).select("i", "j").localCheckpoint()
    sets.unpersist()
    return confirmed


def _edge(src: Column, dst: Column) -> Column:
    return F.struct(src.alias("src"), dst.alias("dst"))


def _edges(linked: DataFrame) -> DataFrame:
    """The distinct edges of a column of edge structs, self-loops left out."""
    edges = linked.select(F.explode("edge").alias("edge")).select("edge.src", "edge.dst")
    return edges.where(F.col("src") != F.col("dst")).distinct()


def _large_star(edges: DataFrame) -> DataFrame:
    """Every node's larger neighbours linked to the smallest node of its neighbourhood (itself included).
    (Duplicate edges are left in: they change nothing in the small star that follows.)"""
    both = edges.select(F.explode(F.array(_edge(F.col("src"), F.col("dst")), _edge(F.col("dst"), F.col("src"))))
                        .alias("edge")).select("edge.src", "edge.dst")
    low = F.least(F.min("dst").over(Window.partitionBy("src")), F.col("src"))
    return (both.withColumn("low", low).where(F.col("dst") > F.col("src"))
            .select(F.col("dst").alias("src"), F.col("low").alias("dst")))


def _small_star(edges: DataFrame) -> DataFrame:
    """Every node and its smaller neighbours linked to the smallest of them."""
    low = F.min("dst").over(Window.partitionBy("src"))
    linked = edges.withColumn("low", low).select(
        F.array(_edge(F.col("src"), F.col("low")), _edge(F.col("dst"), F.col("low"))).alias("edge"))
    return _edges(linked)


def _is_star_forest(edges: DataFrame) -> bool:
    """Does every node point to one node only, and no pointed-to node point on? (One aggregation.)"""
    ends = edges.select(F.explode(F.array(F.struct(F.col("src").alias("node"), F.lit(1).alias("out")),
                                          F.struct(F.col("dst").alias("node"), F.lit(0).alias("out")))).alias("end"))
    nodes = ends.groupBy("end.node").agg(F.sum("end.out").alias("parents"), F.count("*").alias("ends"))
    broken = nodes.where((F.col("parents") > 1) | ((F.col("parents") == 1) & (F.col("ends") > 1)))
    return broken.isEmpty()


def components(pairs: DataFrame) -> DataFrame:
    """(row, root) for every row of the distinct pairs (i, j), i < j: root the smallest row of its
    connected component."""
    edges = pairs.select(F.col("j").alias("src"), F.col("i").alias("dst"))
    while not _is_star_forest(edges):  # each round keeps every component and its smallest row
        edges = _small_star(_large_star(edges)).localCheckpoint()
    roots = edges.select(F.col("dst").alias("row")).distinct().withColumn("root", F.col("row"))
    return edges.select(F.col("src").alias("row"), F.col("dst").alias("root")).unionByName(roots).localCheckpoint()


def numbered(members: DataFrame, *, rows: int) -> tuple[DataFrame, dict[str, int]]:
    """(root, size, number) per cluster, numbered 1, 2, ... by root ascending, and the counts of
    clusters and of their posts. Roots (rows 0 ... ``rows`` - 1) are cut into ranges of equal width,
    one per shuffle partition: each range's clusters are numbered in it, after those of the ranges
    before it, so no task sees every cluster and only a count per range reaches the driver."""
    spark = members.sparkSession
    width = max(1, -(-rows // int(spark.conf.get("spark.sql.shuffle.partitions"))))
    sizes = (members.groupBy("root").agg(F.count("*").alias("size"))
             .withColumn("range", F.floor(F.col("root") / width).cast("long")).persist())
    ranges = sizes.groupBy("range").agg(F.count("*").alias("clusters"), F.sum("size").alias("posts")).collect()
    offsets, before = [], 0
    for found in sorted(ranges, key=lambda r: r["range"]):
        offsets.append((found["range"], before))
        before += found["clusters"]
    offset = F.create_map(*[F.lit(v) for pair in offsets for v in pair])[F.col("range")] if offsets else F.lit(0)
    order = Window.partitionBy("range").orderBy("root")
    clusters = sizes.select("root", "size", (F.row_number().over(order) + offset).alias("number")).localCheckpoint()
    sizes.unpersist()
    return clusters, {"clusters": before, "posts_in_clusters": sum(r["posts"] for r in ranges)}


def cluster_examples(members: DataFrame, clusters: DataFrame, posts: DataFrame, examples: int) -> list[dict]:
    """The first ``examples`` clusters with the post ids of their first posts, as the local family lists them."""
    first = F.broadcast(clusters.where(F.col("number") <= examples))
    listed = (members.join(first, "root").join(posts.select("row", "post_id"), "row")
              .withColumn("place", F.row_number().over(Window.partitionBy("number").orderBy("row")))
              .where(F.col("place") <= POSTS_PER_CLUSTER).select("number", "size", "row", "post_id").collect())
    details: dict[int, dict] = {}
    for r in sorted(listed, key=lambda r: (r["number"], r["row"])):
        details.setdefault(r["number"], {"cluster": r["number"], "size": r["size"], "posts": []})["posts"].append(
            r["post_id"])
    return list(details.values())


def near_duplicates_on_spark(posts: DataFrame, params: dict, *, examples: int) -> tuple[DataFrame, list[dict], dict]:
    """The near-duplicate clusters of ``posts`` (columns row, post_id, text): a DataFrame (row,
    text__near_duplicate_cluster) of the clustered rows only, the first ``examples`` clusters' details,
    and the statistics, each equal to the local family's for the same rows and ``params``."""
    signed = posts.select("row", "text").mapInArrow(PostSignatures(params), SIGNED).persist()
    totals = signed.agg(F.count("*").alias("posts"), F.count("bands").alias("with_words")).first()
    partitions = max(int(posts.sparkSession.conf.get("spark.sql.shuffle.partitions")),
                     -(-totals["with_words"] * params["bands"] // BAND_HASHES_PER_TASK))
    pairs = candidate_pairs(signed, max_bucket=params["max_bucket"], partitions=partitions)
    signed.unpersist()
    candidates = pairs.count()
    confirmed = confirmed_pairs(pairs, posts, params)
    members = components(confirmed)
    clusters, counts = numbered(members, rows=totals["posts"])
    values = members.join(clusters, "root").select(
        "row", F.format_string("cluster %d (%d posts)", "number", "size").alias(COLUMN))
    stats = {"posts_without_words": totals["posts"] - totals["with_words"], "candidate_pairs": candidates,
             "confirmed_pairs": confirmed.count(), **counts}
    return values, cluster_examples(members, clusters, posts, examples), stats
