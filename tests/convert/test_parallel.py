"""Converting on several processes gives byte for byte what one process gives."""

from __future__ import annotations

import json

import pytest

from corpus_tools.convert import parallel
from corpus_tools.convert.run import InputSummary, convert
from corpus_tools.errors import DataError, InputError
from corpus_tools.readers.base import ReaderOptions
from corpus_tools.readers.shards import line_shards, message_shards
from corpus_tools.readers.telegram_json import TelegramJsonReader
from corpus_tools.synth import synth


@pytest.fixture(autouse=True)
def any_size(monkeypatch):
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 0)  # small test inputs go parallel too


def convert_summary(path, format):
    return InputSummary(path=path, source_file=path.name, format=format, bytes=path.stat().st_size, sha256="")


def outputs(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("parts", [2, 7])  # one part per worker; several, joined as they finish
@pytest.mark.parametrize("format", ["telegram-json", "telethon-jsonl"])
def test_two_workers_write_the_same_bytes_as_one(tmp_path, monkeypatch, format, parts):
    corpus = tmp_path / f"corpus.{format}"
    synth(corpus, posts=3000, format=format, seed=3)
    monkeypatch.setattr(parallel, "PART_BYTES", corpus.stat().st_size // parts)
    assert len(parallel.plan([convert_summary(corpus, format)], ReaderOptions(), 2)) == parts
    one = convert([corpus], tmp_path / "one", workers=1)
    two = convert([corpus], tmp_path / "two", workers=2)
    assert one.tables == two.tables and one.tables["posts"] > 2900
    assert outputs(tmp_path / "one") == outputs(tmp_path / "two")
    assert not (tmp_path / "two" / parallel.PARTS).exists()


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


def test_a_break_in_a_part_is_redone_in_one_pass(tmp_path):
    corpus = tmp_path / "corpus.json"
    synth(corpus, posts=2000, format="telegram-json", seed=2)
    text = corpus.read_text()
    middle = text.index('"text"', len(text) // 2)
    corpus.write_text(text[:middle] + "BROKEN" + text[middle:])
    one = convert([corpus], tmp_path / "one", workers=1)
    convert([corpus], tmp_path / "two", workers=2)
    assert one.tables["rejects"] == 1 and outputs(tmp_path / "one") == outputs(tmp_path / "two")


def test_max_rejects_says_the_same_in_parallel(tmp_path):
    lines = [json.dumps({"_": "Message", "id": i, "peer_id": {"channel_id": 5}, "date": 1743674400, "message": "x"})
             if i % 3 else "{broken" for i in range(1, 400)]
    corpus = tmp_path / "dump.jsonl"
    corpus.write_text("\n".join(lines) + "\n")
    messages = []
    for workers in (1, 2):
        with pytest.raises(DataError) as caught:
            convert([corpus], tmp_path / f"out{workers}", workers=workers, max_rejects=10)
        messages.append(str(caught.value))
    assert messages[0] == messages[1] and "line 33" in messages[0]


def test_no_message_in_any_part_is_refused_as_in_one_pass(tmp_path):
    corpus = tmp_path / "dump.jsonl"
    corpus.write_text("not json\n" * 100)
    with pytest.raises(InputError, match="no line is a JSON object"):
        convert([corpus], tmp_path / "out", workers=2, format="telethon-jsonl")
