"""convert.merge: copies of one post from several inputs give the post once, its latest state, with
every copy recorded in post_sources; side tables follow the kept copy; conflicts are reported."""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow.parquet as pq
import pytest

from corpus_tools.convert import parallel
from corpus_tools.convert.merge import Collection, collection_ranks
from corpus_tools.convert.run import convert
from corpus_tools.synth import synth
from corpus_tools.validate.run import validate
from tests.convert.conftest import desktop_export, desktop_message


def export(tmp_path, name, channel_id, messages):
    path = tmp_path / name
    path.write_text(desktop_export(channel_id, messages), encoding="utf-8")
    return path


def tagged(number, words, **fields):
    """A message whose text carries a hashtag entity, so side rows can be told apart."""
    return desktop_message(number, [f"{words} ", {"type": "hashtag", "text": f"#{words.split()[0]}"}], **fields)


def rows(out, table, *columns):
    return pq.read_table(out / f"{table}.parquet", columns=list(columns)).to_pylist()


@pytest.fixture
def overlapping(tmp_path):
    """Two exports of channel 9 sharing messages 3 and 4; the later saw 4 edited."""
    early = export(tmp_path, "early.json", 9, [tagged(k, f"first{k} text") for k in (1, 2, 3, 4)])
    late = export(tmp_path, "late.json", 9, [tagged(3, "first3 text"), tagged(5, "first5 text"),
                                              tagged(4, "edited4 text", edited_unixtime="1743690000")])
    return early, late


def test_overlapping_exports_give_each_post_once_with_its_latest_text(tmp_path, overlapping):
    result = convert(list(overlapping), tmp_path / "out")
    posts = rows(tmp_path / "out", "posts", "post_id", "text", "source_file")
    assert [p["post_id"] for p in posts] == ["9/1", "9/2", "9/3", "9/5", "9/4"]
    assert {p["post_id"]: p["text"] for p in posts}["9/4"] == "edited4 text #edited4"
    assert [(p["post_id"], p["source_file"]) for p in posts if p["post_id"] == "9/3"] == [("9/3", "late.json")]
    hashtags = rows(tmp_path / "out", "hashtags", "post_id", "hashtag")
    assert sorted((h["post_id"], h["hashtag"]) for h in hashtags) == [
        ("9/1", "first1"), ("9/2", "first2"), ("9/3", "first3"), ("9/4", "edited4"), ("9/5", "first5")]
    sources = rows(tmp_path / "out", "post_sources", "post_id", "source_file", "location", "kept", "text_differs",
                   "conflict")
    assert len(sources) == 7 and sum(s["kept"] for s in sources) == 5
    assert [s for s in sources if s["post_id"] == "9/4"] == [
        {"post_id": "9/4", "source_file": "early.json", "location": "message 4", "kept": False, "text_differs": True,
         "conflict": None},
        {"post_id": "9/4", "source_file": "late.json", "location": "message 4", "kept": True, "text_differs": False,
         "conflict": None}]
    assert result.steps["merge_copies"] == {"copies": 7, "posts": 5, "posts_merged": 2, "copies_dropped": 2,
                                            "copies_with_other_text": 1, "conflicts": 0, "edits_before_post": 0}
    assert result.notes == ["2 posts held by several inputs kept once (2 copies dropped, 1 with other text; every "
                            "copy is in post_sources)"]
    checked = validate(tmp_path / "out", now=datetime(2026, 1, 1, tzinfo=UTC))
    unique = [r for r in checked.results if r.spec.family == "duplicates" and r.spec.id.endswith(".unique")]
    assert unique and all(r.status == "passed" for r in unique)


def test_the_later_collection_wins_when_no_copy_is_edited(tmp_path):
    older = export(tmp_path, "a.json", 9, [desktop_message(1, "seen first", views=10)])
    newer = export(tmp_path, "b.json", 9, [desktop_message(1, "seen first", views=99)])
    convert([older, newer], tmp_path / "order")
    assert rows(tmp_path / "order", "posts", "views") == [{"views": 99}]
    collected = [datetime(2025, 6, 1, tzinfo=UTC), datetime(2025, 5, 1, tzinfo=UTC)]  # a.json is the newer
    convert([older, newer], tmp_path / "timed", collected=collected)
    assert rows(tmp_path / "timed", "posts", "views", "last_seen_at") == [
        {"views": 10, "last_seen_at": datetime(2025, 6, 1, tzinfo=UTC)}]
    assert rows(tmp_path / "timed", "post_sources", "collected_at") == [{"collected_at": c} for c in collected]


def test_collection_order_is_the_declared_times_only_when_every_input_has_one():
    inputs = [Collection("a", datetime(2025, 6, 1, tzinfo=UTC)), Collection("b", datetime(2025, 5, 1, tzinfo=UTC))]
    assert collection_ranks(inputs) == {"b": 0, "a": 1}
    assert collection_ranks([inputs[0], Collection("b", None)]) == {"a": 0, "b": 1}  # the inputs' order


def test_a_deleted_post_stays_marked_with_when_it_was_last_seen(tmp_path):
    first = export(tmp_path, "w1.json", 9, [desktop_message(1), desktop_message(2)])
    second = export(tmp_path, "w2.json", 9, [desktop_message(2), desktop_message(3)])  # 1 deleted upstream
    week = [datetime(2025, 5, 1, tzinfo=UTC), datetime(2025, 5, 8, tzinfo=UTC)]
    convert([first, second], tmp_path / "out", collected=week)
    assert rows(tmp_path / "out", "posts", "post_id", "last_seen_at") == [
        {"post_id": "9/1", "last_seen_at": week[0]}, {"post_id": "9/2", "last_seen_at": week[1]},
        {"post_id": "9/3", "last_seen_at": week[1]}]


def test_a_copy_that_no_edit_explains_is_a_reported_conflict(tmp_path):
    one = export(tmp_path, "a.json", 9, [desktop_message(1, "same")])
    moved = desktop_message(1, "same")
    moved["date_unixtime"] = "1743700000"
    other = export(tmp_path, "b.json", 9, [moved])
    result = convert([one, other], tmp_path / "out")
    assert [s["conflict"] for s in rows(tmp_path / "out", "post_sources", "conflict")] == ["published_at", None]
    assert any("differ from the kept copy in published_at or channel" in note for note in result.notes)


def test_an_edit_dated_before_its_post_does_not_rank_a_copy_later(tmp_path):
    honest = export(tmp_path, "a.json", 9, [desktop_message(1, "edited", edited_unixtime="1743680000")])
    skewed = export(tmp_path, "b.json", 9, [desktop_message(1, "clock off", edited_unixtime="1743600000")])
    result = convert([honest, skewed], tmp_path / "out")
    assert rows(tmp_path / "out", "posts", "text") == [{"text": "edited"}]  # though b.json is the later input
    assert result.steps["merge_copies"]["edits_before_post"] == 1
    assert any("edited before they were posted" in note for note in result.notes)


def test_channels_with_the_same_message_numbers_are_different_posts(tmp_path):
    a = export(tmp_path, "a.json", 9, [desktop_message(1, "nine")])
    b = export(tmp_path, "b.json", 10, [desktop_message(1, "ten")])
    result = convert([a, b], tmp_path / "out")
    assert [p["post_id"] for p in rows(tmp_path / "out", "posts", "post_id")] == ["9/1", "10/1"]
    assert result.steps["merge_copies"]["posts_merged"] == 0 and result.notes == []


def test_the_same_file_twice_is_read_once_and_said_so(tmp_path):
    a = export(tmp_path, "a.json", 9, [desktop_message(1), desktop_message(2)])
    (tmp_path / "copy").mkdir()
    same = tmp_path / "copy" / "b.json"
    same.write_bytes(a.read_bytes())
    result = convert([a, a, same], tmp_path / "out")
    assert [s.source_file for s in result.inputs] == ["a.json"] and result.tables["posts"] == 2
    assert result.notes[0].startswith("a.json: listed twice (sha256 ") and result.notes[0].endswith("; read once")
    assert result.notes[1].startswith("b.json: the same file as a.json (sha256 ")


def test_a_merge_in_parallel_writes_the_same_bytes_as_in_one_process(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus.jsonl"
    synth(corpus, posts=3000, format="telethon-jsonl", seed=5)
    lines = corpus.read_bytes().splitlines(keepends=True)
    again = tmp_path / "again.jsonl"
    again.write_bytes(b"".join(lines[len(lines) // 2:]))  # a second scrape holding the later half
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "PART_BYTES", corpus.stat().st_size // 4)
    one = convert([corpus, again], tmp_path / "one", workers=1)
    two = convert([corpus, again], tmp_path / "two", workers=2)
    assert one.steps["merge_copies"]["posts_merged"] > 1000 and two.tables == one.tables
    assert {p.name: p.read_bytes() for p in (tmp_path / "one").iterdir()} == \
        {p.name: p.read_bytes() for p in (tmp_path / "two").iterdir()}
