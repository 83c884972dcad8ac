"""convert on the spark engine gives what the local engine gives: every table row for row, the
manifest (inputs' accounting, steps' counts, notes) and the errors, on synthetic corpora with
planted defects, on overlapping collections, on inputs that cannot be cut, and on the real samples."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from corpus_tools.convert.run import convert
from corpus_tools.convert.steps.dating import Period
from corpus_tools.errors import DataError
from corpus_tools.synth import synth
from tests.conftest import DUMP, SAMPLES
from tests.convert.conftest import desktop_export, desktop_message


def both(spark_engine, tmp_path: Path, inputs: list[Path], **options):
    """Convert ``inputs`` on each engine (the local one in two processes, as a laptop would); the two results."""
    local = convert(inputs, tmp_path / "local", workers=2, **options)
    spark = convert(inputs, tmp_path / "spark", engine=spark_engine, **options)
    return local, spark


def assert_same(local, spark) -> None:
    """Every table equal, row for row and in order, and the manifests equal."""
    assert local.tables == spark.tables
    for name in local.tables:
        mine = pq.read_table(local.out_dir / f"{name}.parquet")
        theirs = pq.read_table(spark.out_dir / f"{name}.parquet")
        assert theirs.schema == mine.schema, name
        assert theirs.equals(mine), name
    assert spark.manifest() == local.manifest()
    assert not (spark.out_dir / ".spark").exists()  # the staging folder goes with the run


def test_a_synthetic_group_chat_with_planted_defects(spark_engine, tmp_path):
    corpus = tmp_path / "chat.json"
    synth(corpus, posts=800, format="telegram-json", seed=4, chat="group")
    local, spark = both(spark_engine, tmp_path, [corpus])
    assert_same(local, spark)
    assert local.tables["posts"] > 700 and local.steps["pseudonymise"]
    assert len(local.private_terms) > 5 and spark.private_terms == local.private_terms


def test_telethon_lines_and_a_text_dump_read_in_one_task(spark_engine, tmp_path):
    lines, dump = tmp_path / "channel.jsonl", tmp_path / "dump.txt"
    synth(lines, posts=300, format="telethon-jsonl", seed=2)
    dump.write_text(DUMP, encoding="utf-8")  # a text dump cannot be cut: everything is one task
    local, spark = both(spark_engine, tmp_path, [lines, dump], channel="MFARussia")
    assert_same(local, spark)
    assert {s.format for s in spark.inputs} == {"telethon-jsonl", "telegram-text"}


def test_overlapping_collections_merge_as_on_one_machine(spark_engine, tmp_path):
    """Two scrapes of one channel: shared posts, a later edit, a copy whose date conflicts, a reply to a
    post neither holds, and a post only the older one still has."""
    old = [desktop_message(n, f"post {n}") for n in range(1, 40)]
    new = [desktop_message(n, f"post {n}") for n in range(5, 45)]
    new[0] = desktop_message(5, "post 5, edited", edited_unixtime="1743680000")
    new[1]["date_unixtime"] = "1743600000"  # message 6 dated otherwise: a conflict
    new[2]["reply_to_message_id"] = 999  # a reply to a post outside the dataset
    old[3]["text"] = "post 4 with the text of another copy"
    paths = [tmp_path / "old.json", tmp_path / "new.json"]
    for path, messages in zip(paths, (old, new)):
        path.write_text(desktop_export(1001, messages), encoding="utf-8")
    collected = [datetime(2025, 4, 1, tzinfo=UTC), datetime(2025, 5, 1, tzinfo=UTC)]
    local, spark = both(spark_engine, tmp_path, paths, collected=collected)
    assert_same(local, spark)
    merge = spark.steps["merge_copies"]
    assert merge["posts_merged"] == 35 and merge["conflicts"] == 1
    assert spark.steps["drop_dangling_replies"]["unlinked"] == 1


def test_a_collection_period_dates_posts_in_one_task(spark_engine, tmp_path):
    dump = tmp_path / "dump.txt"
    dump.write_text(DUMP, encoding="utf-8")
    period = Period.parse("2025-04-03/2025-04-05")
    local, spark = both(spark_engine, tmp_path, [dump], channel="MFARussia", period=period)
    assert_same(local, spark)
    assert spark.steps["infer_dates"]


def test_too_many_rejects_fail_with_the_same_message(spark_engine, tmp_path):
    messages = [desktop_message(n) for n in range(1, 30)] + [{"id": "x", "type": "message"}] * 3
    export = tmp_path / "result.json"
    export.write_text(desktop_export(7, messages), encoding="utf-8")
    errors = []
    for options in ({"workers": 2}, {"engine": spark_engine}):
        with pytest.raises(DataError) as raised:
            convert([export], tmp_path / str(len(errors)), max_rejects=1, **options)
        errors.append(str(raised.value))
    assert errors[0] == errors[1] and "reject" in errors[0]


SAMPLE_FILES = sorted(p for p in SAMPLES.glob("*/*") if p.is_file()) if SAMPLES.is_dir() else []


@pytest.mark.skipif(not SAMPLE_FILES, reason="the shared samples are not on this machine")
@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.name)
def test_the_real_samples(spark_engine, tmp_path, sample):
    local, spark = both(spark_engine, tmp_path, [sample])
    assert_same(local, spark)
    assert json.loads(json.dumps(spark.manifest()))["tables"]["posts"] == spark.tables["posts"]
