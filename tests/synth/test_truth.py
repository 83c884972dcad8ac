"""Synthetic corpora read back by the real telegram-json and telethon-jsonl readers: what the truth
file says was planted is what ``convert`` finds, and both formats of one seed give the same posts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyarrow.parquet as pq
import pytest

from corpus_tools import api

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
