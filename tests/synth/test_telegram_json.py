"""The synthetic formats as their readers will see them: the Telegram Desktop export's shape, the
Telethon lines' shape and UTF-16 entity offsets, and the flat-text dump read back by the real
telegram-text reader through ``corpus-tools convert``."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from corpus_tools.cli import app
from corpus_tools.readers.telegram_text import INTERFACE_STRINGS
from corpus_tools.synth import plan_channels, synth
from corpus_tools.synth.messages import Post, segments
from corpus_tools.synth.posts import ChannelStream
from corpus_tools.synth.telegram_text import TelegramTextWriter

ENTITY_TYPES = {"plain", "bold", "italic", "hashtag", "mention", "link", "text_link", "blockquote"}
# The keys of Message.to_dict() in Telethon 1.45, in order (from running it).
TELETHON_KEYS = [
    "_", "id", "peer_id", "date", "message", "out", "mentioned", "media_unread", "silent", "post", "from_scheduled",
    "legacy", "edit_hide", "pinned", "noforwards", "invert_media", "offline", "video_processing_pending",
    "paid_suggested_post_stars", "paid_suggested_post_ton", "from_id", "from_boosts_applied", "from_rank",
    "saved_peer_id", "fwd_from", "via_bot_id", "via_business_bot_id", "guestchat_via_from", "reply_to", "media",
    "reply_markup", "entities", "views", "forwards", "replies", "edit_date", "post_author", "grouped_id",
    "reactions", "restriction_reason", "ttl_period", "quick_reply_shortcut_id", "effect", "factcheck",
    "report_delivery_until_date", "paid_message_stars", "suggested_post", "schedule_repeat_period",
    "summary_from_language", "rich_message",
]


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    path = tmp_path_factory.mktemp("tdesktop") / "result.json"
    result = synth(path, posts=1500, format="telegram-json", seed=11)
    return path, json.loads(path.read_text(encoding="utf-8")), result.truth


@pytest.fixture(scope="module")
def telethon(tmp_path_factory):
    path = tmp_path_factory.mktemp("telethon") / "messages.jsonl"
    result = synth(path, posts=1500, format="telethon-jsonl", seed=11)
    return path, path.read_text(encoding="utf-8").splitlines(), result.truth


def test_export_has_the_desktop_apps_shape_and_layout(export):
    path, data, truth = export
    raw = path.read_text(encoding="utf-8")
    assert raw == json.dumps(data, indent=1, ensure_ascii=False)  # one-space indent, no final newline
    assert list(data) == ["name", "type", "id", "messages"] and data["type"] == "public_channel"
    assert (data["name"], data["id"]) == (truth["channels"][0]["title"], truth["channels"][0]["id"])
    first = data["messages"][0]
    assert (first["id"], first["type"], first["action"], first["title"]) == (1, "service", "create_channel", data["name"])
    kinds = {m["type"] for m in data["messages"]}
    assert kinds <= {"message", "service", "unsupported"}
    for m in data["messages"]:
        if m["type"] == "unsupported":
            assert list(m) == ["id", "type"]
        else:
            assert list(m)[:4] == ["id", "type", "date", "date_unixtime"]
            assert list(m)[-2:] == ["text", "text_entities"] or list(m)[-3:-1] == ["text", "text_entities"]


def test_export_dates_are_local_time_at_plus_three(export):
    _, data, _ = export
    for m in data["messages"]:
        if m["type"] == "unsupported":
            continue
        instant = datetime.fromtimestamp(int(m["date_unixtime"]), UTC)
        assert m["date"] == (instant + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%S")
        if "edited" in m:
            assert int(m["edited_unixtime"]) > int(m["date_unixtime"])
            edited = datetime.fromtimestamp(int(m["edited_unixtime"]), UTC) + timedelta(hours=3)
            assert m["edited"] == edited.strftime("%Y-%m-%dT%H:%M:%S")


def test_export_text_and_text_entities_agree(export):
    _, data, _ = export
    posts = [m for m in data["messages"] if m["type"] == "message"]
    shapes = {"string": 0, "list": 0, "empty": 0}
    for m in posts:
        entities, text = m["text_entities"], m["text"]
        assert {e["type"] for e in entities} <= ENTITY_TYPES
        assert all(e["text"] for e in entities) and all(("href" in e) == (e["type"] == "text_link") for e in entities)
        if isinstance(text, str):
            shapes["empty" if not text else "string"] += 1
            assert entities == ([{"type": "plain", "text": text}] if text else [])
        else:
            shapes["list"] += 1
            assert text == [e["text"] if e["type"] == "plain" else e for e in entities]
        assert m["from_id"] == f"channel{data['id']}"
    assert all(shapes.values()), shapes  # plain strings, entity lists and media-only posts all occur
    media = [m for m in posts if "photo" in m or "file" in m]
    assert {m.get("media_type", m.get("mime_type")) for m in media if "file" in m} == {"video_file", "application/pdf"}
    assert any(m.get("forwarded_from_id") for m in posts) and any("reply_to_message_id" in m for m in posts)
    assert any("reactions" in m for m in posts) and any("author" in m for m in posts)


def test_telethon_lines_are_to_dict_shaped(telethon):
    _, lines, truth = telethon
    messages = [json.loads(line) for line in lines]
    assert [json.dumps(m) for m in messages] == lines  # exactly as json.dumps writes them
    posts = [m for m in messages if m["_"] == "Message"]
    services = [m for m in messages if m["_"] == "MessageService"]
    assert len(posts) == truth["counts"]["posts"] and len(services) == truth["counts"]["service_messages"]
    for m in posts:
        assert list(m) == TELETHON_KEYS
        assert m["peer_id"] == {"_": "PeerChannel", "channel_id": truth["channels"][0]["id"]}
        assert m["date"].endswith("+00:00") and datetime.fromisoformat(m["date"]).tzinfo is not None
        assert m["post"] is True and m["from_id"] is None and m["views"] > 0
    assert {m["fwd_from"]["_"] for m in posts if m["fwd_from"]} == {"MessageFwdHeader"}
    assert {m["reply_to"]["_"] for m in posts if m["reply_to"]} == {"MessageReplyHeader"}
    assert {m["media"]["_"] for m in posts if m["media"]} == {"MessageMediaPhoto", "MessageMediaDocument"}
    assert any(m["fwd_from"] and m["fwd_from"]["from_name"] for m in posts)  # hidden-account forwards too
    pins = [m for m in services if m["action"]["_"] == "MessageActionPinMessage"]
    assert all(m["reply_to"]["reply_to_msg_id"] < m["id"] for m in pins)


def test_telethon_entity_offsets_count_utf16_code_units(telethon):
    _, lines, _ = telethon
    checked = shifted = 0
    for line in lines:
        m = json.loads(line)
        units = m.get("message", "").encode("utf-16-le")
        for e in m.get("entities") or []:
            text = units[2 * e["offset"]:2 * (e["offset"] + e["length"])].decode("utf-16-le")
            kind = e["_"]
            assert text and text == text.strip()
            assert {"MessageEntityHashtag": "#", "MessageEntityMention": "@", "MessageEntityUrl": "https://"}.get(
                kind, "") in text[:8]
            if kind == "MessageEntityTextUrl":
                assert e["url"].startswith("https://")
            checked += 1
            shifted += m["message"][e["offset"]:e["offset"] + e["length"]] != text
    assert checked > 1000 and shifted > 100  # code-point slicing would have got these wrong


def test_the_json_formats_say_the_same_thing(export, telethon):
    _, data, _ = export
    _, lines, _ = telethon
    desktop = {m["id"]: "".join(e["text"] for e in m["text_entities"]) for m in data["messages"]
               if m["type"] == "message"}
    api = {m["id"]: m["message"] for m in map(json.loads, lines) if m["_"] == "Message"}
    assert desktop == api


def test_several_channels_make_a_full_account_export(tmp_path):
    path = tmp_path / "result.json"
    truth = synth(path, posts=600, format="telegram-json", channels=3, seed=2).truth
    raw = path.read_text(encoding="utf-8")
    data = json.loads(raw)
    assert raw == json.dumps(data, indent=1, ensure_ascii=False)
    chats = data["chats"]["list"]
    assert [c["id"] for c in chats] == [c["id"] for c in truth["channels"]]
    assert [sum(m["type"] == "message" for m in c["messages"]) for c in chats] == [c["posts"] for c in truth["channels"]]


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
