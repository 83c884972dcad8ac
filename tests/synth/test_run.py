"""synth.run: a corpus rendered by a pool of workers is byte for byte the one a single process
renders, and a failed run leaves nothing behind."""

from __future__ import annotations

import json

import pytest

from corpus_tools.core.records import Post
from corpus_tools.readers.base import ReaderOptions
from corpus_tools.readers.telegram_text import TelegramTextReader
from corpus_tools.synth import FORMATS, synth


@pytest.mark.parametrize("format", FORMATS)
def test_bytes_do_not_depend_on_the_number_of_workers(tmp_path, format):
    channels = 1 if format == "telegram-text" else 3
    one, two = (synth(tmp_path / f"w{w}.out", posts=900, format=format, seed=3, channels=channels,
                      workers=w, segment_posts=200) for w in (1, 2))
    assert one.sha256 == two.sha256
    assert one.truth == {**two.truth, "file": {**two.truth["file"], "name": "w1.out"}}
    raw = two.path.read_text(encoding="utf-8")  # segments joined into one valid file
    if format == "telegram-json":
        data = json.loads(raw)
        assert raw == json.dumps(data, indent=1, ensure_ascii=False)
        assert sum(m["type"] == "message" for c in data["chats"]["list"] for m in c["messages"]) == 900
    elif format == "telethon-jsonl":
        assert sum(json.loads(line)["_"] == "Message" for line in raw.splitlines()) == 900
    else:
        reader = TelegramTextReader(ReaderOptions(channel="c"))
        assert sum(isinstance(r, Post) for r in reader.read(two.path, "d")) == 900


@pytest.mark.parametrize("format", ["telegram-json", "telethon-jsonl"])
def test_group_bytes_do_not_depend_on_the_number_of_workers(tmp_path, format):
    one, two = (synth(tmp_path / f"w{w}.out", posts=900, format=format, seed=3, channels=3, chat="group",
                      workers=w, segment_posts=200) for w in (1, 2))
    assert one.sha256 == two.sha256
    assert one.truth == {**two.truth, "file": {**two.truth["file"], "name": "w1.out"}}
    assert one.truth["persons"]["counts"]["mentions_by_name"] > 0


def test_a_failed_run_leaves_nothing_behind(tmp_path, monkeypatch):
    (tmp_path / "c.json").write_text("old")

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("corpus_tools.synth.run.ChannelStream.__iter__", broken)
    with pytest.raises(RuntimeError):
        synth(tmp_path / "c.json", posts=10, format="telegram-json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.json"]
    assert (tmp_path / "c.json").read_text() == "old"
