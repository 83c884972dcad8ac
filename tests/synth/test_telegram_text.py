"""synth.telegram_text: the flat-text dump, read back by the real telegram-text reader through
``corpus-tools convert``, gives every post the generator made, and repeats exactly the planted texts."""

from __future__ import annotations

from collections import Counter

import pyarrow.parquet as pq
from typer.testing import CliRunner

from corpus_tools.cli import app
from corpus_tools.core.telegram import INTERFACE_STRINGS
from corpus_tools.synth import plan_channels, synth
from corpus_tools.synth.messages import Post, segments
from corpus_tools.synth.posts import ChannelStream
from corpus_tools.synth.telegram_text import TelegramTextWriter


def expected_dump_posts(posts: int, seed: int, exact: float = 0.02) -> list[tuple[Post, object]]:
    """What the telegram-text reader should recover, straight from the generator."""
    (channel,) = plan_channels(posts, 1, seed=seed, title="Synthetic News 🌐")
    writer = TelegramTextWriter([channel])
    return [(m, writer.view(m)) for segment in segments(channel)
            for m in ChannelStream(segment, seed=seed, exact=exact, near=0.03, dump_safe=True) if isinstance(m, Post)]


def test_the_telegram_text_reader_recovers_every_post(tmp_path):
    dump = tmp_path / "dump.txt"
    truth = synth(dump, posts=1200, format="telegram-text", seed=4).truth
    result = CliRunner().invoke(app, ["convert", str(dump), "--out", str(tmp_path / "out"), "--channel", "Synth"])
    assert result.exit_code == 0, result.output
    assert "dump.txt (telegram-text): 1200 posts, 0 rejects" in result.output
    table = pq.read_table(tmp_path / "out" / "posts.parquet")
    column = {name: table.column(name).to_pylist() for name in table.column_names}
    expected = expected_dump_posts(1200, 4)
    assert table.num_rows == truth["counts"]["posts"] == len(expected)
    assert column["text"] == [view.text for _, view in expected]
    assert column["forwarded_from"] == [p.forward.name if p.forward else None for p, _ in expected]
    assert column["reply_to_excerpt"] == [p.excerpt + "…" if p.reply else None for p, _ in expected]
    assert set(column["reply_to_author"]) == {"Synthetic News 🌐", None}
    assert column["has_media"] == [view.media is not None for _, view in expected]
    assert column["media_type"] == [view.media for _, view in expected]
    assert not any(column["is_truncated"])
    positions = {post_id: i + 1 for i, post_id in enumerate(column["post_id"])}
    resolved = sorted([positions[a], positions[b]] for a, b in zip(column["post_id"], column["reply_to_post_id"],
                                                                    strict=True) if b is not None)
    assert resolved == sorted(truth["channels"][0]["replies"])  # each reply finds the post the truth names
    assert dict(Counter(m for m in column["media_type"] if m)) == truth["counts"]["media"]
    for text in column["text"]:
        assert not any(s in text for s in INTERFACE_STRINGS)


def test_the_dump_repeats_exactly_the_planted_texts(tmp_path):
    dump = tmp_path / "dump.txt"
    truth = synth(dump, posts=800, format="telegram-text", seed=9, duplicates=0.05).truth
    texts = [view.text for _, view in expected_dump_posts(800, 9, exact=0.05)]
    for copy, source in truth["channels"][0]["exact_duplicates"]:
        assert texts[copy - 1] == texts[source - 1]
    assert truth["counts"]["exact_duplicates"] == 40
