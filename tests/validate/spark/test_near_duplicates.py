"""validate.spark.near_duplicates: on Spark, the same cluster values, cluster details and statistics as
the local family, on planted near-duplicates (groups, chains, identical texts, posts without words, a
bucket over max_bucket) and on a synthetic corpus; components equal union-find's on a random graph."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corpus_tools.core.schema import load_schemas
from corpus_tools.validate.base import Store
from corpus_tools.validate.config import load_config
from corpus_tools.validate.families.near_duplicates import NearDuplicates, _components
from corpus_tools.validate.textscan import text_batches
from tests.conftest import require_spark

COLUMN = "text__near_duplicate_cluster"


@pytest.fixture(scope="module")
def spark():
    """One local[2] session for the module (skipped without pyspark or java, unless Spark is required)."""
    require_spark()
    from corpus_tools.core.engine import Engine, spark_session

    return spark_session(Engine("spark", "local[2]", {"spark.sql.shuffle.partitions": "2"}))


def local_result(path, params: dict, examples: int):
    """The local family's cluster values by row, clusters and statistics for the posts file ``path``."""
    family = NearDuplicates(load_schemas(), replace(load_config(), near_duplicates=params, examples=examples))
    for batch in text_batches(path):
        family.consume(batch)
    column = family.columns(Store({"posts": path}))["posts"][COLUMN].to_pylist()
    return {row: value for row, value in enumerate(column) if value is not None}, family.clusters, \
        family.statistics()["near_duplicates"]


def spark_result(spark, path, params: dict, examples: int, *, partitions: int | None = None):
    """The same, on Spark: the posts read with their Parquet row numbers (shuffled over ``partitions``)."""
    from pyspark.sql import functions as F

    from corpus_tools.validate.spark.near_duplicates import near_duplicates_on_spark

    posts = spark.read.parquet(str(path)).select(F.col("_metadata.row_index").alias("row"), "post_id", "text")
    if partitions:
        posts = posts.repartition(partitions)  # batches and tasks of another composition and order
    values, clusters, stats = near_duplicates_on_spark(posts, params, examples=examples)
    found = {r["row"]: r[COLUMN] for r in values.collect()}
    assert len(found) == stats["posts_in_clusters"]  # one row per clustered post
    return found, clusters, stats


def sentence(rng: random.Random, words: int) -> list[str]:
    return [f"w{rng.randrange(5000)}" for _ in range(words)]


def planted_texts() -> list[str | None]:
    """Random posts with, in shuffled places: groups of edited copies, a chain of overlapping windows
    (neighbours ~0.81 alike, every other one ~0.66), identical texts with and without an edited copy,
    posts without words, and twelve templated posts sharing their bands."""
    rng = random.Random(7)
    texts: list[str | None] = [" ".join(sentence(rng, 40)) for _ in range(60)]
    for _ in range(3):
        base = sentence(rng, 60)
        texts += [" ".join(base[:-k] + sentence(rng, k)) if k else " ".join(base) for k in range(3)]
    stream = sentence(rng, 160)
    texts += [" ".join(stream[10 * k:10 * k + 100]) for k in range(7)]
    same, edited = sentence(rng, 50), sentence(rng, 50)
    texts += [" ".join(same)] * 2 + [" ".join(same[:-1] + ["edited"])] + [" ".join(edited).upper(), " ".join(edited)]
    texts += ["", None, "🙂🙂 !!! —", "…"]
    template = sentence(rng, 70)
    texts += [" ".join(template + [f"number{k}"]) for k in range(12)]
    rng.shuffle(texts)
    return texts


def write_posts(path, texts: list[str | None]):
    table = pa.table({"post_id": [f"c/{k}" for k in range(len(texts))], "text": pa.array(texts, pa.string())})
    pq.write_table(table, path, row_group_size=25)
    return path


def test_planted_near_duplicates_are_the_local_familys_clusters(spark, tmp_path):
    path = write_posts(tmp_path / "posts.parquet", planted_texts())
    params = load_config().near_duplicates | {"max_bucket": 3}
    expected = local_result(path, params, examples=4)
    found = spark_result(spark, path, params, examples=4, partitions=3)
    assert found == expected
    values, clusters, stats = found
    # what was planted: 3 groups of 3, the chain of 7, identical texts + copy, templates; an upper-cased
    # copy has the same words but another text, so it is not left out as an identical text
    assert sorted(int(v.split("(")[1].split()[0]) for v in set(values.values())) == [2, 3, 3, 3, 3, 7, 12]
    assert stats["posts_without_words"] == 4 and stats["candidate_pairs"] > stats["confirmed_pairs"]
    assert [c["cluster"] for c in clusters] == [1, 2, 3, 4] and max(len(c["posts"]) for c in clusters) <= 10


def test_no_candidates_give_no_clusters(spark, tmp_path):
    rng = random.Random(1)
    path = write_posts(tmp_path / "posts.parquet", [" ".join(sentence(rng, 30)) for _ in range(20)] + ["", "a b"])
    params = load_config().near_duplicates
    found = spark_result(spark, path, params, examples=5)
    assert found == local_result(path, params, examples=5)
    assert found[0] == {} and found[1] == [] and found[2]["candidate_pairs"] == 0


def test_components_are_union_finds_on_a_random_graph(spark):
    from corpus_tools.validate.spark.near_duplicates import components

    rng = random.Random(4)
    nodes = 400
    edges = {tuple(sorted(rng.sample(range(nodes), 2))) for _ in range(260)}
    order = rng.sample(range(nodes), nodes)  # a long path through shuffled nodes: many rounds of merging
    edges |= {tuple(sorted(pair)) for pair in zip(order[100:160], order[101:161])}
    left, right = (np.array(side, np.int64) for side in zip(*sorted(edges)))
    root = _components(nodes, left, right)
    pairs = spark.createDataFrame(sorted(edges), "i long, j long")
    found = {r["row"]: r["root"] for r in components(pairs).collect()}
    assert found == {int(x): int(root[x]) for x in np.union1d(left, right)}


def test_a_synthetic_corpus_gives_the_local_familys_clusters(spark, tmp_path):
    from corpus_tools.convert.run import convert
    from corpus_tools.synth import synth

    corpus = tmp_path / "corpus.jsonl"
    synth(corpus, posts=3000, format="telethon-jsonl", seed=11)
    convert([corpus], tmp_path / "tables")
    path, params = tmp_path / "tables" / "posts.parquet", load_config().near_duplicates
    found = spark_result(spark, path, params, examples=20)
    assert found == local_result(path, params, examples=20)
    assert found[2]["clusters"] > 20 and len(found[1]) == 20
