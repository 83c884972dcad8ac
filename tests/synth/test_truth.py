"""synth.truth: the truth file beside a synthetic corpus describes it - what was planted is in the
written file, exactly as counted, and is what the real telegram-json and telethon-jsonl readers find
through ``convert``; both formats of one seed give the same posts."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import UTC, datetime, timedelta

import pyarrow.parquet as pq
import pytest

from corpus_tools import api
from corpus_tools.synth import synth
from corpus_tools.synth.text import jaccard
from tests.synth.conftest import export_posts

FORMATS = {"telegram-json": "result.json", "telethon-jsonl": "messages.jsonl"}


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """Each format of one seed (two channels, two unsupported messages), converted."""
    out = {}
    for format, name in FORMATS.items():
        folder = tmp_path_factory.mktemp(format)
        truth = api.synth(folder / name, posts=2000, format=format, seed=8, channels=2).truth
        result = api.convert([folder / name], folder / "out")
        tables = {t: pq.read_table(folder / "out" / f"{t}.parquet").to_pylist() for t in result.tables}
        out[format] = truth, result, tables
    return out


@pytest.mark.parametrize("format", FORMATS)
def test_every_record_is_read_as_the_truth_counts_it(converted, format):
    truth, result, tables = converted[format]
    counts = truth["counts"]
    (summary,) = result.inputs
    # The desktop app's {id, type: unsupported} is a post whose content it could not export.
    assert summary.posts == counts["posts"] + counts["unsupported_messages"]
    assert counts["unsupported_messages"] == (2 if format == "telegram-json" else 0)
    assert summary.rejects == 0 and summary.facts["record_usage"]["service"] == counts["service_messages"]
    assert len(tables["hashtags"]) == counts["entities"]["hashtag"]
    assert len(tables["mentions"]) == counts["entities"]["mention"]
    assert len(tables["links"]) == counts["entities"]["link"] + counts["entities"]["text_link"]


@pytest.mark.parametrize("format", FORMATS)
def test_planted_pairs_are_found_by_post_id(converted, format):
    truth, _, tables = converted[format]
    posts = {p["post_id"]: p for p in tables["posts"]}
    expected = set()
    for channel in truth["channels"]:
        key = f"{channel['id']}/{{}}".format
        expected |= {(key(a), key(b)) for a, b in channel["replies"]}
        for copy, source in channel["exact_duplicates"]:
            assert posts[key(copy)]["text"] == posts[key(source)]["text"]
        for copy, source, _ in channel["near_duplicates"]:
            assert posts[key(copy)]["text"] != posts[key(source)]["text"]
    replies = {(p["post_id"], p["reply_to_post_id"]) for p in posts.values() if p["reply_to_post_id"]}
    assert replies == expected


def test_both_formats_give_the_same_posts(converted):
    desktop, telethon = (converted[f][2]["posts"] for f in FORMATS)
    desktop = [p for p in desktop if p["media_type"] != "unsupported"]
    assert len(desktop) == len(telethon)
    for a, b in zip(desktop, telethon, strict=True):
        for field in ("post_id", "text", "published_at", "edited_at", "reply_to_post_id", "has_media",
                      "forwarded_from_id"):
            assert a[field] == b[field], field
        assert a["published_local"] == (a["published_at"] + timedelta(hours=3)).replace(tzinfo=None).isoformat()
        assert b["views"] and b["published_at"].utcoffset() == timedelta(0)
    assert datetime(2024, 1, 1, tzinfo=UTC) <= min(p["published_at"] for p in telethon)


def test_truth_file_beside_the_output_describes_it(corpus):
    path, truth = corpus
    on_disk = json.loads(path.with_name("corpus.json.truth.json").read_text(encoding="utf-8"))
    assert on_disk == truth
    data = path.read_bytes()
    assert truth["file"] == {"name": "corpus.json", "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    counts = truth["counts"]
    assert counts["posts"] == 3000 == sum(c["posts"] for c in truth["channels"])
    assert (counts["exact_duplicates"], counts["near_duplicates"]) == (120, 150)  # round(share x posts)
    assert truth["local_utc_offset"] == "+03:00" and truth["id_kind"] == "message_id"
    export = json.loads(data)
    assert counts["service_messages"] == sum(m["type"] == "service" for m in export["messages"])
    assert counts["unsupported_messages"] == sum(m["type"] == "unsupported" for m in export["messages"])
    assert counts["replies"] == len(truth["channels"][0]["replies"])


def test_planted_duplicates_are_in_the_file_and_nothing_else_repeats(corpus):
    path, truth = corpus
    texts = export_posts(path)
    (channel,) = truth["channels"]
    for copy, source in channel["exact_duplicates"]:
        assert copy > source and texts[copy] == texts[source] != ""
    for copy, source, similarity in channel["near_duplicates"]:
        assert copy > source and texts[copy] != texts[source]
        assert 0.8 <= jaccard(texts[copy], texts[source]) <= 0.95
        assert jaccard(texts[copy], texts[source]) == pytest.approx(similarity, abs=1e-4)
    groups = Counter(text for text in texts.values() if text)
    repeated = {i for i, text in texts.items() if text and groups[text] > 1}
    planted = {i for pair in channel["exact_duplicates"] for i in pair}
    assert repeated == planted  # every repeated text is a planted copy or its source


def test_planted_counts_are_exact_across_many_segments(tmp_path):
    truth = synth(tmp_path / "c.jsonl", posts=3000, format="telethon-jsonl", seed=1, duplicates=0.05,
                  near_duplicates=0.1, segment_posts=150).truth
    assert (truth["counts"]["exact_duplicates"], truth["counts"]["near_duplicates"]) == (150, 300)


def test_replies_point_to_earlier_posts(corpus):
    path, truth = corpus
    texts = export_posts(path)
    for reply, target in truth["channels"][0]["replies"]:
        assert target < reply and texts[target]
