"""synth: determinism, the truth file, distributions within loose bounds, planted duplicates found
in the written files, bounded memory, and the command's usage errors."""

from __future__ import annotations

import hashlib
import json
import re
import statistics
import tracemalloc
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from corpus_tools import api
from corpus_tools.cli import app
from corpus_tools.core.records import Post
from corpus_tools.errors import UsageError
from corpus_tools.readers.base import ReaderOptions
from corpus_tools.readers.telegram_text import TelegramTextReader
from corpus_tools.synth import FORMATS, parse_count, parse_share, synth
from corpus_tools.synth.text import jaccard

runner = CliRunner()


def export_posts(path: Path) -> dict[int, str]:
    """message id -> text of every post of a single-chat telegram-json export."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {m["id"]: "".join(e["text"] for e in m["text_entities"])
            for m in data["messages"] if m["type"] == "message"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A 3000-post telegram-json corpus with larger duplicate shares, and its truth."""
    path = tmp_path_factory.mktemp("synth") / "corpus.json"
    result = synth(path, posts=3000, format="telegram-json", seed=7, duplicates=0.04, near_duplicates=0.05)
    return path, result.truth


@pytest.mark.parametrize("format", FORMATS)
def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path, format):
    digests = [synth(tmp_path / f"{name}.out", posts=300, format=format, seed=seed).sha256
               for name, seed in (("a", 1), ("b", 1), ("c", 2))]
    assert digests[0] == digests[1] != digests[2]
    assert hashlib.sha256((tmp_path / "a.out").read_bytes()).hexdigest() == digests[0]


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


def test_distributions_within_loose_bounds(corpus):
    path, truth = corpus
    texts = [t for t in export_posts(path).values() if t]
    lengths = [len(t) for t in texts]
    assert 500 < statistics.mean(lengths) < 700  # about 600
    assert statistics.median(lengths) < statistics.mean(lengths)  # heavy right tail
    assert max(lengths) > 2000 and max(lengths) <= 4096
    joined = "".join(texts)
    for script in ("[A-Za-z]", "[А-я]", "[\u4e00-\u9fff]", "[\u3040-\u30ff]", "[\U0001F300-\U0001FAFF]",
                   "[\U0001F1E6-\U0001F1FF]{2}", "[äöüéñ]"):
        assert re.search(script, joined), script
    counts = truth["counts"]
    for name, low, high in (("forwards", 0.05, 0.11), ("replies", 0.03, 0.09), ("edited", 0.11, 0.19),
                            ("media_only_posts", 0.02, 0.08), ("with_reactions", 0.33, 0.47)):
        assert low < counts[name] / 3000 < high, name
    assert set(counts["media"]) == {"photo", "video", "document"}
    assert {"hashtag", "mention", "link", "text_link", "bold", "italic", "blockquote"} <= set(counts["entities"])
    assert truth["text_chars"]["mean"] == pytest.approx(statistics.mean(lengths), abs=0.1)


def test_dates_rise_with_ids_and_stay_in_the_period(corpus):
    path, truth = corpus
    messages = json.loads(path.read_text(encoding="utf-8"))["messages"]
    stamps = [int(m["date_unixtime"]) for m in messages if m["type"] != "unsupported"]
    assert [m["id"] for m in messages] == sorted({m["id"] for m in messages})
    assert stamps == sorted(stamps)
    assert truth["period"]["start"] <= stamps[0] and stamps[-1] < truth["period"]["end"]


def test_several_channels_split_the_posts(tmp_path):
    result = synth(tmp_path / "c.jsonl", posts=1000, format="telethon-jsonl", channels=3, channel="Wire")
    channels = result.truth["channels"]
    assert [c["posts"] for c in channels] == [546, 273, 181]
    assert [c["title"] for c in channels] == ["Wire 1", "Wire 2", "Wire 3"]
    assert len({c["id"] for c in channels}) == 3


def test_memory_does_not_grow_with_the_corpus(tmp_path):
    peaks = []
    for posts in (1000, 4000):
        tracemalloc.start()
        synth(tmp_path / f"{posts}.jsonl", posts=posts, format="telethon-jsonl", workers=1)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert peaks[1] < 1.3 * peaks[0]  # four times the posts, about the same peak


def test_a_failed_run_leaves_nothing_behind(tmp_path, monkeypatch):
    (tmp_path / "c.json").write_text("old")

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("corpus_tools.synth.run.ChannelStream.__iter__", broken)
    with pytest.raises(RuntimeError):
        synth(tmp_path / "c.json", posts=10, format="telegram-json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.json"]
    assert (tmp_path / "c.json").read_text() == "old"


def test_counts_and_shares_parse_like_the_command_line():
    assert [parse_count(v) for v in ("12", "1_000", "100k", "2M")] == [12, 1000, 100000, 2000000]
    assert parse_share("2.5%", "--duplicates") == pytest.approx(0.025)
    for bad in ("", "ten", "1.5M", "-3", "0"):
        with pytest.raises(UsageError, match="--posts"):
            parse_count(bad)


def invoke(*args):
    return runner.invoke(app, ["synth", *map(str, args)])


def test_command_writes_the_corpus_and_says_what_it_planted(tmp_path):
    out = tmp_path / "dump.txt"
    result = invoke("--posts", "400", "--format", "telegram-text", "--out", out, "--seed", "5")
    assert result.exit_code == 0, result.output
    truth = json.loads(out.with_name("dump.txt.truth.json").read_text(encoding="utf-8"))
    assert f"wrote {out} (telegram-text): 400 posts in 1 channel(s)" in result.output
    assert f"planted {truth['counts']['exact_duplicates']} exact and 12 near duplicates" in result.output
    assert api.synth is synth


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--posts", "lots", "--format", "telegram-json"], "--posts expects a whole number"),
        (["--posts", "0", "--format", "telegram-json"], "--posts must be at least 1"),
        (["--posts", "-5", "--format", "telegram-json"], "--posts expects a whole number"),
        (["--format", "telegram-json"], "--posts is required"),
        (["--posts", "10"], "--format is required"),
        (["--posts", "10", "--format", "csv"], "unknown format 'csv'; choose one of telegram-json"),
        (["--posts", "10", "--format", "telegram-json", "--seed", "x"], "--seed expects a whole number"),
        (["--posts", "3", "--format", "telegram-json", "--channels", "4"], "cannot exceed --posts"),
        (["--posts", "10", "--format", "telegram-text", "--channels", "2"], "one channel"),
        (["--posts", "10", "--format", "telegram-json", "--duplicates", "0.6"], "between 0 and 0.5"),
        (["--posts", "10", "--format", "telegram-json", "--near-duplicates", "lots"], "expects a share"),
        (["--posts", "10", "--format", "telegram-json", "--channel", "News."], "not ending in punctuation"),
        (["--posts", "10", "--format", "telegram-text", "--channel", "Forwarded from Us"], "web preview's own"),
        (["--posts", "10", "--format", "telegram-text", "--channel", " News"], "on one line"),
        (["--posts", "10", "--format", "telegram-json", "--workers", "0"], "--workers must be at least 1"),
    ],
)
def test_usage_errors_are_one_line_exit_2_and_write_nothing(tmp_path, args, message):
    result = invoke(*args, "--out", tmp_path / "c.out") if "--out" not in args else invoke(*args)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], result.output
    assert list(tmp_path.iterdir()) == []


def test_out_is_required_and_must_not_be_a_directory(tmp_path):
    assert invoke("--posts", "5", "--format", "telegram-json").output.strip() == "error: --out is required"
    result = invoke("--posts", "5", "--format", "telegram-json", "--out", tmp_path)
    assert result.exit_code == 2 and "is a directory" in result.output
