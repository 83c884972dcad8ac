"""synth (corpus_tools/synth/__init__.py, the entry point): determinism, distributions within loose
bounds, dates, channels, and the command's output and usage errors. (That synth's memory does not
grow with the corpus is measured by the benchmark, benchmarks/synth_memory.py, not asserted here.)"""

from __future__ import annotations

import hashlib
import json
import re
import statistics

import pytest
from typer.testing import CliRunner

from corpus_tools import api
from corpus_tools.cli import app
from corpus_tools.errors import UsageError
from corpus_tools.synth import FORMATS, parse_count, parse_share, synth
from tests.synth.conftest import export_posts

runner = CliRunner()


@pytest.mark.parametrize("format", FORMATS)
def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path, format):
    digests = [synth(tmp_path / f"{name}.out", posts=300, format=format, seed=seed).sha256
               for name, seed in (("a", 1), ("b", 1), ("c", 2))]
    assert digests[0] == digests[1] != digests[2]
    assert hashlib.sha256((tmp_path / "a.out").read_bytes()).hexdigest() == digests[0]


# sha256 of `synth(posts=400, seed=3, channels=2 (telegram-text: 1), workers=1)` as written before
# `--chat` existed: the default is still that corpus, byte for byte (the benchmark's inputs rely on
# it). A deliberate change to what synth writes updates these.
CHANNEL_CORPORA = {
    "telegram-json": "1036cd0371ce806acfc792167dd08522092385168d3076a60cf0c0bd0a9e38d3",
    "telethon-jsonl": "f1eceb1ed193e25604a86719dd4720e15dbcf3553e76644448b64557dd23a77e",
    "telegram-text": "380e7fa8bf05a246570f2cd33b7c48b357c640f6d3fe9ada70458bf9a73daaf2",
}


@pytest.mark.parametrize("format", FORMATS)
def test_the_default_is_the_channel_corpus_it_always_was(tmp_path, format):
    channels = 1 if format == "telegram-text" else 2
    default = synth(tmp_path / "a.out", posts=400, format=format, seed=3, channels=channels, workers=1)
    assert default.sha256 == CHANNEL_CORPORA[format]
    assert default.truth["options"]["chat"] == "channel" and "persons" not in default.truth
    if format != "telegram-text":
        group = synth(tmp_path / "b.out", posts=400, format=format, seed=3, channels=channels, chat="group")
        assert group.sha256 != default.sha256 and group.truth["options"]["chat"] == "group"


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


def test_counts_and_shares_parse_like_the_command_line():
    assert [parse_count(v) for v in ("12", "1_000", "100k", "2M")] == [12, 1000, 100000, 2000000]
    assert parse_share("2.5%", "--duplicates") == pytest.approx(0.025)
    for bad in ("", "ten", "1.5M", "-3", "0"):
        with pytest.raises(UsageError, match="^posts "):
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


def test_command_makes_group_chats(tmp_path):
    out = tmp_path / "account.json"
    result = invoke("--posts", "300", "--format", "telegram-json", "--out", out, "--channels", "2", "--chat", "group")
    assert result.exit_code == 0, result.output
    assert f"wrote {out} (telegram-json): 300 posts in 2 group(s)" in result.output
    truth = json.loads(out.with_name("account.json.truth.json").read_text(encoding="utf-8"))
    assert truth["options"]["channel"] == "Synthetic Group 💬" and len(truth["persons"]["personal_chats"]) == 1


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
        (["--posts", "10", "--format", "telegram-text", "--chat", "group"], "no group chats; use --chat channel"),
        (["--posts", "10", "--format", "telegram-json", "--chat", "forum"], "--chat must be channel or group"),
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
