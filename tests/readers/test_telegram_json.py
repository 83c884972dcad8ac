"""Telegram Desktop exports: the real samples (read from ../shared/samples, skipped when absent) and
small exports written here for the shapes and bad records the samples don't have."""

from __future__ import annotations

import json
import unicodedata
from datetime import UTC, datetime

import pandas as pd
import pytest

from corpus_tools.convert.run import convert
from corpus_tools.convert.steps.ids import AssignPostIds
from corpus_tools.core.records import Post, Reject
from corpus_tools.errors import InputError
from corpus_tools.readers.base import ReaderOptions
from corpus_tools.readers.telegram_json import TelegramJsonReader
from corpus_tools.readers.timestamps import parse_zone
from tests.conftest import SAMPLES

DESKTOP = SAMPLES / "telegram_desktop"
SAMPLE_FILES = ["public-channel-2023-2025.result.json", "old-format-2022.result.json", "dates-edge-cases.result.json"]


def read(path, **options):
    reader = TelegramJsonReader(ReaderOptions(**options))
    records = list(AssignPostIds()(reader.read(path, path.name)))  # ids are named by convert's ids step
    return records, reader.stats[path.name]


def entities_of(message):
    """The export's entities: text_entities, or in old exports the entity parts of the text."""
    if "text_entities" in message:
        return message["text_entities"]
    return [p for p in message["text"] if isinstance(p, dict)] if isinstance(message["text"], list) else []


def joined(text):
    parts = [text] if isinstance(text, str) else [p if isinstance(p, str) else p["text"] for p in text]
    return unicodedata.normalize("NFC", "".join(parts))


# --- the real exports -----------------------------------------------------------------------------

@pytest.fixture(scope="module", params=SAMPLE_FILES)
def sample(request):
    path = DESKTOP / request.param
    if not path.exists():
        pytest.skip(f"sample {path} is absent")
    export = json.loads(path.read_text(encoding="utf-8"))
    records, stats = read(path)
    return export, [r for r in records if isinstance(r, Post)], stats


def test_sample_posts_are_the_non_service_messages(sample):
    export, posts, stats = sample
    messages = [m for m in export["messages"] if m["type"] != "service"]
    service = len(export["messages"]) - len(messages)
    assert [p.message_id for p in posts] == [str(m["id"]) for m in messages]
    assert stats["record_usage"] == {"post": len(messages), "service": service, "rejected": 0, "excluded": 0}
    # the other side of a personal chat is a person: its id is marked as a user's, for pseudonymisation
    chat_id = f"user{export['id']}" if export["type"] == "personal_chat" else str(export["id"])
    assert all(p.channel == export["name"] and p.channel_id == chat_id for p in posts)
    assert len({p.post_id for p in posts}) == len(posts)


def test_sample_text_is_the_joined_parts(sample):
    export, posts, _ = sample
    messages = [m for m in export["messages"] if m["type"] != "service"]
    for post, message in zip(posts, messages):
        assert post.text == joined(message["text"])


def test_sample_hashtags_and_links_agree_with_the_entities(sample):
    export, posts, _ = sample
    messages = [m for m in export["messages"] if m["type"] != "service"]
    for post, message in zip(posts, messages):
        entities = entities_of(message)
        tags = [e["text"][1:] for e in entities if e["type"] == "hashtag"]
        assert [tag for _, tag in post.hashtags] == tags
        for offset, tag in post.hashtags:
            assert post.text[offset:offset + len(tag) + 1] == "#" + tag
        links = [(e.get("href") or e["text"]) for e in entities if e["type"] in ("link", "text_link")]
        assert [link.url for link in post.links] == links
        for link in post.links:
            shown = link.label or link.url
            assert post.text[link.offset:link.offset + len(shown)] == shown


def test_sample_utc_times_equal_date_unixtime(sample):
    export, posts, _ = sample
    messages = [m for m in export["messages"] if m["type"] != "service"]
    for post, message in zip(posts, messages):
        if "date_unixtime" in message:
            assert post.published_at == datetime.fromtimestamp(int(message["date_unixtime"]), tz=UTC)
            assert (post.date_source, post.date_precision) == ("platform", "second")
        else:  # an old export: only local time, no zone given -> unknown instant, local time kept
            assert post.published_at is None and post.date_source is None
        assert post.published_local == message.get("date")
        if "edited_unixtime" in message:
            assert post.edited_at == datetime.fromtimestamp(int(message["edited_unixtime"]), tz=UTC)


def test_public_channel_sample_details():
    path = DESKTOP / SAMPLE_FILES[0]
    if not path.exists():
        pytest.skip(f"sample {path} is absent")
    posts = {p.message_id: p for p in read(path)[0]}
    assert posts["534"].reply_to_message_id == "207" and posts["534"].reply_to_chat_id == "1901773654"
    assert posts["534"].reply_to_post_id == "1901773654/207"  # a candidate; convert unlinks it if absent
    assert posts["99"].reply_to_post_id == "1878264527/90" and posts["99"].reply_to_chat_id is None
    assert posts["546"].reactions == [("👍", 12), ("👎", 1)]
    assert posts["546"].media_type == "sticker" and posts["546"].has_media and posts["546"].text == ""
    assert posts["1010"].media_type == "poll"
    assert posts["269"].media_type == "video" and posts["626"].media_type == "audio"
    assert posts["6"].author == "Daneel God" and posts["6"].author_id == "channel1878264527"


def test_old_export_with_a_zone_gets_exact_times():
    path = DESKTOP / SAMPLE_FILES[1]
    if not path.exists():
        pytest.skip(f"sample {path} is absent")
    records, _ = read(path, tz=parse_zone("Europe/Moscow"))
    first = records[0]
    assert first.published_local == "2022-03-16T19:24:40"
    assert first.published_at == datetime(2022, 3, 16, 16, 24, 40, tzinfo=UTC)
    assert first.date_source == "platform_local"
    kinds = {p.message_id: p.media_type for p in records}
    assert kinds["428645"] == "voice" and kinds["428647"] == "animation" and kinds["428648"] == "sticker"
    assert kinds["428649"] == "document" and kinds["428640"] == "photo"


def test_samples_convert_together_into_one_table_set(tmp_path):
    paths = [DESKTOP / name for name in SAMPLE_FILES]
    if not all(p.exists() for p in paths):
        pytest.skip("samples are absent")
    result = convert(paths, tmp_path / "out")
    posts = pd.read_parquet(tmp_path / "out" / "posts.parquet")
    assert result.tables["posts"] == len(posts) == 299 + 8 + 6
    assert posts.post_id.is_unique
    assert set(posts.source_file) == set(SAMPLE_FILES)
    # replies whose target is not in the dataset are unlinked, the raw message id is kept
    assert set(posts.reply_to_post_id.dropna()) <= set(posts.post_id)
    assert posts.reply_to_message_id.notna().sum() > posts.reply_to_post_id.notna().sum()


# --- small exports written here -------------------------------------------------------------------

def message(id, text="hello", **fields):
    return {"id": id, "type": "message", "date": "2025-04-03T12:00:00", "date_unixtime": "1743674400",
            "from": "Chan", "from_id": "channel1", "text": text, **fields}


def write_json(write, data, name="result.json"):
    return write(name, json.dumps(data, ensure_ascii=False, indent=1))


def test_full_account_export_gives_each_chat_its_channel(write, tmp_path):
    account = {
        "about": "export", "personal_information": {"user_id": 9},
        "chats": {"about": "chats", "list": [
            {"name": "Alpha", "type": "public_channel", "id": 1, "messages": [
                message(1, "first #a"), {"id": 2, "type": "service", "action": "pin_message"},
                message(3, "reply", reply_to_message_id=1)]},
            {"name": "Beta", "type": "public_channel", "id": 2, "messages": [
                message(1, "beta one", reply_to_message_id=3, reply_to_peer_id="channel1")]},
        ]},
        "left_chats": {"list": [{"name": None, "type": "private_supergroup", "id": 3,
                                 "messages": [message(5, "left")]}]},
    }
    path = write_json(write, account)
    records, stats = read(path, channel="ignored for multi-chat exports")
    assert [(r.channel, r.channel_id, r.post_id) for r in records] == [
        ("Alpha", "1", "1/1"), ("Alpha", "1", "1/3"), ("Beta", "2", "2/1"), ("chat3", "3", "3/5")]
    assert stats["record_usage"] == {"post": 4, "service": 1, "rejected": 0, "excluded": 0}
    assert records[1].reply_to_post_id == "1/1"
    assert records[2].reply_to_post_id == "1/3" and records[2].reply_to_chat_id == "1"
    convert([path], tmp_path / "out")
    posts = pd.read_parquet(tmp_path / "out" / "posts.parquet")
    assert posts.reply_to_post_id.tolist()[1:3] == ["1/1", "1/3"]  # both targets are in the dataset


def test_channel_option_renames_a_single_chat(write):
    path = write_json(write, {"name": "Russian MFA 🇷🇺", "type": "public_channel", "id": 7, "messages": [message(1)]})
    (post,), _ = read(path, channel="MFARussia")
    assert (post.channel, post.post_id) == ("MFARussia", "7/1")


def test_text_entities_and_nfc(write):
    text = ["Cafe\u0301 ", {"type": "hashtag", "text": "#tag"}, " ", {"type": "mention", "text": "@user_name"},
            " ", {"type": "mention_name", "text": "Ann", "user_id": 42}, " ",
            {"type": "text_link", "text": "site", "href": "https://x.org"}, {"type": "bold", "text": "!"}]
    path = write_json(write, {"name": "C", "type": "public_channel", "id": 7, "messages": [message(1, text)]})
    (post,), _ = read(path)
    assert post.text == "Caf\u00e9 #tag @user_name Ann site!"
    assert post.hashtags == [(5, "tag")]
    assert [(m.offset, m.shown_as, m.username, m.user_id) for m in post.mentions] == [
        (10, "@user_name", "user_name", None), (21, "Ann", None, "42")]
    assert [(link.offset, link.url, link.label) for link in post.links] == [(25, "https://x.org", "site")]


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ({"type": "message", "date_unixtime": "1743674400", "text": "no id"}, "missing id"),
        (message(2, date_unixtime="yesterday"), "unparseable Unix time 'yesterday'"),
        (message(3, text=42), "text of the wrong type (int)"),
        (message(4, text=["ok", 5]), "text part of the wrong type (int)"),
        ({"id": 5, "type": "message", "text": "undated"}, "no date"),
        ("just a string", "message is a JSON str, not an object"),
    ],
)
def test_bad_records_are_rejected_with_the_reason(write, bad, reason):
    path = write_json(write, {"name": "C", "type": "public_channel", "id": 7, "messages": [message(1), bad]})
    records, stats = read(path)
    good, reject = records
    assert isinstance(good, Post) and isinstance(reject, Reject)
    assert reject.reason == reason
    assert json.loads(reject.raw) == bad
    assert stats["record_usage"] == {"post": 1, "service": 0, "rejected": 1, "excluded": 0}


def test_unsupported_message_is_a_media_post(write):
    path = write_json(write, {"name": "C", "type": "public_channel", "id": 7,
                              "messages": [{"id": 9, "type": "unsupported"}]})
    (post,), _ = read(path)
    assert post.media_type == "unsupported" and post.has_media and post.text == "" and post.published_at is None


def test_truncated_export_keeps_what_was_read(write):
    whole = json.dumps({"name": "C", "type": "public_channel", "id": 7, "messages": [message(1), message(2)]})
    path = write("cut.json", whole[: whole.rindex('"text"')])
    records, stats = read(path)
    assert [type(r).__name__ for r in records] == ["Post", "Reject"]
    assert records[1].reason.startswith("malformed JSON, the rest of the file is unreadable")
    assert stats["record_usage"]["rejected"] == 1


@pytest.mark.parametrize(
    ("content", "message_"),
    [("{not json", "malformed JSON"), ('{"name": "x", "list": []}', "not a Telegram Desktop export"),
     ("[]", "not a JSON object")],
)
def test_wholly_malformed_file_is_an_input_error(write, content, message_):
    with pytest.raises(InputError, match=message_):
        read(write("bad.json", content))


# --- polls, forum topics and old-format edits -----------------------------------------------------

def export(write, *messages, name="export.json"):
    return write(name, json.dumps({"name": "Forum", "type": "public_supergroup", "id": 77, "messages": list(messages)}))


def test_polls_keep_question_options_and_votes(write):
    poll = {"question": "Tea?", "closed": False, "total_voters": 3,
            "answers": [{"text": "yes", "voters": 2, "chosen": False}, {"text": "no", "voters": 1, "chosen": True}]}
    (post,), _ = read(export(write, {"id": 5, "type": "message", "date": "2025-01-25T15:18:41",
                                     "date_unixtime": "1737789521", "text": "", "poll": poll}))
    assert post.media_type == "poll" and (post.poll.question, post.poll.closed, post.poll.total_voters) == (
        "Tea?", False, 3)
    assert [(o.text, o.votes) for o in post.poll.options] == [("yes", 2), ("no", 1)]


def test_a_message_in_a_forum_topic_is_not_a_reply_to_its_creation(write):
    base = {"type": "message", "date": "2025-01-25T15:18:41", "date_unixtime": "1737789521"}
    records, stats = read(export(
        write, {"id": 10, "type": "service", "date": "2025-01-25T15:00:00", "action": "topic_created", "title": "Help"},
        {**base, "id": 11, "text": "in the topic", "reply_to_message_id": 10},
        {**base, "id": 12, "text": "reply in the topic", "reply_to_message_id": 11},
        {**base, "id": 13, "text": "in General"}))
    assert [(p.topic_id, p.topic_title, p.reply_to_message_id) for p in records] == [
        ("10", "Help", None), ("10", "Help", "11"), (None, None, None)]
    assert stats["record_usage"] == {"post": 3, "service": 1, "rejected": 0, "excluded": 0}


def test_old_format_edits_are_kept_local_and_converted_with_tz(write):
    path = export(write, {"id": 1, "type": "message", "date": "2022-03-01T10:00:00", "edited": "2022-03-01T11:30:00",
                          "text": "edited"}, {"id": 2, "type": "message", "date": "2022-03-01T12:00:00", "text": "not"})
    (edited, plain), _ = read(path)
    assert (edited.edited_local, edited.edited_at, edited.is_edited) == ("2022-03-01T11:30:00", None, True)
    assert (plain.edited_local, plain.is_edited) == (None, False)
    (edited, _plain), _ = read(path, tz=parse_zone("Europe/Moscow"))
    assert edited.edited_at == datetime(2022, 3, 1, 8, 30, tzinfo=UTC)
