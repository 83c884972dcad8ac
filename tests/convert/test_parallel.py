"""Converting on several processes gives byte for byte what one process gives."""

from __future__ import annotations

import json

import pytest

from corpus_tools.convert import parallel
from corpus_tools.convert.inputs import InputSummary
from corpus_tools.convert.run import convert
from corpus_tools.errors import DataError, InputError
from corpus_tools.readers.base import ReaderOptions
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
