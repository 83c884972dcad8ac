"""readers.shards: cutting a large input at record boundaries - between the messages of a Telegram
Desktop export, between lines - so each part reads on its own."""

from __future__ import annotations

import json

from corpus_tools.readers.base import ReaderOptions
from corpus_tools.readers.shards import line_shards, message_shards
from corpus_tools.readers.telegram_json import TelegramJsonReader
from corpus_tools.synth import synth


def test_message_shards_cut_between_messages(tmp_path):
    corpus = tmp_path / "corpus.json"
    synth(corpus, posts=500, format="telegram-json", seed=1)
    export = json.loads(corpus.read_text())
    shards = message_shards(corpus, 3)
    assert len(shards) == 3 and shards[1].first_record > 0
    read = []
    for shard in shards:
        read += [p.message_id for p in TelegramJsonReader(ReaderOptions()).read(corpus, "c", shard)]
    whole = [p.message_id for p in TelegramJsonReader(ReaderOptions()).read(corpus, "c")]
    assert read == whole and len(whole) == sum(m["type"] == "message" for m in export["messages"])


def test_compact_json_is_not_cut(write):
    path = write("c.json", json.dumps({"name": "c", "id": 1, "messages": [{"id": 1, "type": "message"}] * 10}))
    assert message_shards(path, 2) is None


def test_line_shards_know_their_first_line(write):
    path = write("lines.jsonl", "".join(f'{{"n": {i}}}\n' for i in range(100)))
    shards = line_shards(path, 4)
    content = path.read_bytes()
    for shard in shards:
        assert content[:shard.start].count(b"\n") + 1 == shard.first_line
        assert shard.start == 0 or content[shard.start - 1:shard.start] == b"\n"
    assert shards[-1].end == len(content)
