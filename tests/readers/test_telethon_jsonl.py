"""Telethon JSON lines, written here: Message.to_dict() shapes, UTF-16 entity offsets, bad lines."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from corpus_tools.convert.steps.ids import AssignPostIds
from corpus_tools.core.records import Post, Reject
from corpus_tools.errors import InputError
from corpus_tools.readers.base import ReaderOptions
from corpus_tools.readers.telethon_jsonl import TelethonJsonlReader


def msg(id, text="hello", **fields):
    return {"_": "Message", "id": id, "peer_id": {"_": "PeerChannel", "channel_id": 1001},
            "date": "2025-04-03T10:00:00+00:00", "message": text, **fields}


def read(write, *lines, channel=None):
    content = "\n".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines)
    path = write("dump.jsonl", content + "\n")
    reader = TelethonJsonlReader(ReaderOptions(channel=channel))
    records = list(AssignPostIds()(reader.read(path, path.name)))  # ids are named by convert's ids step
    return records, reader.stats[path.name]


def test_message_fields(write):
    full = msg(
        7, "Breaking: talks", views=1200, forwards=30, post_author="Press office",
        edit_date="2025-04-03 11:00:00+00:00", from_id={"_": "PeerChannel", "channel_id": 1001},
        fwd_from={"_": "MessageFwdHeader", "date": "2025-04-02T09:00:00+00:00",
                  "from_id": {"_": "PeerChannel", "channel_id": 555}, "from_name": None},
        reply_to={"_": "MessageReplyHeader", "reply_to_msg_id": 5, "reply_to_peer_id": None},
        media={"_": "MessageMediaDocument", "document": {"_": "Document", "attributes": [
            {"_": "DocumentAttributeVideo", "duration": 3}]}},
        reactions={"_": "MessageReactions", "results": [
            {"_": "ReactionCount", "reaction": {"_": "ReactionEmoji", "emoticon": "👍"}, "count": 5},
            {"_": "ReactionCount", "reaction": {"_": "ReactionCustomEmoji", "document_id": 99}, "count": 2}]},
    )
    (post,), stats = read(write, full, channel="MFARussia")
    assert (post.post_id, post.channel, post.channel_id, post.message_id) == ("1001/7", "MFARussia", "1001", "7")
    assert post.published_at == datetime(2025, 4, 3, 10, tzinfo=UTC) and post.date_source == "platform"
    assert post.edited_at == datetime(2025, 4, 3, 11, tzinfo=UTC)
    assert (post.views, post.forwards, post.author, post.author_id) == (1200, 30, "Press office", "channel1001")
    assert (post.forwarded_from, post.forwarded_from_id) == ("channel555", "channel555")
    assert (post.reply_to_message_id, post.reply_to_post_id, post.reply_to_chat_id) == ("5", "1001/5", None)
    assert (post.has_media, post.media_type) == (True, "video")
    assert post.reactions == [("👍", 5), ("custom:99", 2)]
    assert stats == {"records": 1, "record_usage": {"post": 1, "service": 0, "rejected": 0, "excluded": 0}, "replaced_characters": 0}


def test_entity_offsets_count_utf16_units(write):
    text = "😀 再见 #тег @user_name ok https://t.me/x 🇷🇺 #end"
    def units(s):
        return len(s.encode("utf-16-le")) // 2
    def entity(kind, piece, **extra):
        start = text.index(piece)
        return {"_": kind, "offset": units(text[:start]), "length": units(piece), **extra}
    entities = [entity("MessageEntityHashtag", "#тег"), entity("MessageEntityMention", "@user_name"),
                entity("MessageEntityUrl", "https://t.me/x"), entity("MessageEntityHashtag", "#end"),
                entity("MessageEntityTextUrl", "ok", url="https://ok.org"), {"_": "MessageEntityBold", "offset": 0, "length": 2}]
    (post,), _ = read(write, msg(1, text, entities=entities))
    assert post.hashtags == [(text.index("#тег"), "тег"), (text.index("#end"), "end")]
    assert [(m.offset, m.username) for m in post.mentions] == [(text.index("@user_name"), "user_name")]
    assert [(link.offset, link.url, link.label) for link in post.links] == [
        (text.index("https"), "https://t.me/x", None), (text.index("ok"), "https://ok.org", "ok")]


@pytest.mark.parametrize("date", ["2025-04-03T13:00:00+03:00", "2025-04-03 10:00:00+00:00", 1743674400])
def test_date_forms(write, date):
    (post,), _ = read(write, msg(1, date=date))
    assert post.published_at == datetime(2025, 4, 3, 10, tzinfo=UTC)


def test_service_messages_are_counted_not_posts(write):
    records, stats = read(write, msg(1), {"_": "MessageService", "id": 2, "action": {"_": "MessageActionPinMessage"}})
    assert len(records) == 1 and stats["record_usage"] == {"post": 1, "service": 1, "rejected": 0, "excluded": 0}


def test_channel_defaults_to_the_peer_id(write):
    (post,), _ = read(write, msg(1))
    assert post.channel == "channel1001" and post.post_id == "1001/1"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"_": "Message", "id": 3, "message": ', "malformed JSON line"),
        ("[1, 2]", "line is a JSON list, not an object"),
        (json.dumps({"_": "Message", "message": "no id", "date": "2025-04-03T10:00:00+00:00"}), "missing id"),
        (json.dumps(msg(4, date="soon")), "unparseable time 'soon'"),
        (json.dumps(msg(5, date="2025-04-03T10:00:00")), "has no UTC offset"),
        (json.dumps(msg(6, text={"not": "text"})), "text of the wrong type (dict)"),
        (json.dumps({k: v for k, v in msg(7).items() if k != "date"}), "no date"),
    ],
)
def test_bad_lines_are_rejected(write, line, reason):
    records, stats = read(write, msg(1), line, msg(2))
    assert [type(r).__name__ for r in records] == ["Post", "Reject", "Post"]
    reject = records[1]
    assert reason in reject.reason and reject.location == "line 2" and reject.raw == line
    assert stats["record_usage"] == {"post": 2, "service": 0, "rejected": 1, "excluded": 0}


def test_invalid_utf8_line_is_rejected(write):
    path = write("dump.jsonl", json.dumps(msg(1)).encode() + b"\n" + b'{"_": "Message", "\xff": 1}\n')
    reader = TelethonJsonlReader(ReaderOptions())
    post, reject = list(AssignPostIds()(reader.read(path, "dump.jsonl")))
    assert isinstance(post, Post) and isinstance(reject, Reject) and reject.reason.startswith("invalid UTF-8")


def test_wholly_malformed_file_is_an_input_error(write):
    with pytest.raises(InputError, match="no line is a JSON object"):
        read(write, "{oops", "still not json")


# --- JSON arrays, as json.dump(all_messages, cls=DateTimeEncoder) writes them ----------------------

def read_array(write, content: str | bytes):
    path = write("channel_messages.json", content)
    reader = TelethonJsonlReader()
    return list(reader.read(path, path.name)), reader.stats[path.name]


def test_a_json_array_of_messages_is_read_and_detected(write):
    from corpus_tools.readers import detect_format

    service = {"_": "MessageService", "id": 1, "peer_id": {"_": "PeerChannel", "channel_id": 1001},
               "date": "2025-04-03T09:00:00+00:00", "action": {"_": "MessageActionChannelCreate", "title": "C"}}
    content = json.dumps([msg(3, "newest", edit_date=None), msg(2, "older"), service, 7], indent=2)
    records, stats = read_array(write, content)
    assert detect_format(write("other.json", content)) == "telethon-jsonl"
    assert [r.text for r in records if isinstance(r, Post)] == ["newest", "older"]
    assert [r.location for r in records if isinstance(r, Reject)] == ["item 3"]
    assert stats["record_usage"] == {"post": 2, "service": 1, "rejected": 1, "excluded": 0}
    assert records[0].is_edited is False


def test_a_cut_array_keeps_the_messages_before_the_break(write):
    content = json.dumps([msg(1, "one"), msg(2, "two"), msg(3, "three")])
    records, _ = read_array(write, content[:content.rindex("three") - 30])
    assert [r.text for r in records if isinstance(r, Post)] == ["one", "two"]
    assert "malformed JSON" in records[-1].reason


def test_an_array_that_is_not_json_is_refused(write):
    with pytest.raises(InputError, match="malformed JSON"):
        read_array(write, "[not json")


def test_an_array_is_streamed_not_loaded(write, monkeypatch):
    """The items are built one at a time: the reader has given the first before the parser reads on."""
    import corpus_tools.readers.telethon_jsonl as module

    content = json.dumps([msg(k, f"m{k}") for k in range(1, 4)]) + "garbage after the array"
    path = write("stream.json", content)
    reader = module.TelethonJsonlReader()
    first = next(iter(reader.read(path, path.name)))
    assert first.text == "m1"


# --- polls, forum topics and edits ----------------------------------------------------------------

def test_polls_are_kept_with_their_results(write):
    poll = {"_": "MessageMediaPoll", "poll": {"_": "Poll", "id": 9, "question": {"_": "TextWithEntities",
            "text": "Tea?"}, "answers": [{"_": "PollAnswer", "text": {"_": "TextWithEntities", "text": "yes"},
            "option": "MA=="}, {"_": "PollAnswer", "text": "no", "option": "MQ=="}], "closed": True},
            "results": {"_": "PollResults", "total_voters": 5, "results": [
                {"_": "PollAnswerVoters", "option": "MQ==", "voters": 1},
                {"_": "PollAnswerVoters", "option": "MA==", "voters": 4}]}}
    (post,), _ = read(write, msg(4, "", media=poll))
    assert post.media_type == "poll" and (post.poll.question, post.poll.closed, post.poll.total_voters) == (
        "Tea?", True, 5)
    assert [(o.text, o.votes) for o in post.poll.options] == [("yes", 4), ("no", 1)]


def test_forum_topics_are_not_replies(write):
    created = {"_": "MessageService", "id": 10, "peer_id": {"_": "PeerChannel", "channel_id": 1001},
               "date": "2025-04-03T09:00:00+00:00", "action": {"_": "MessageActionTopicCreate", "title": "Help"}}
    in_topic = msg(11, "in the topic", reply_to={"_": "MessageReplyHeader", "forum_topic": True,
                                                  "reply_to_msg_id": 10, "reply_to_top_id": None})
    answer = msg(12, "answer", reply_to={"_": "MessageReplyHeader", "forum_topic": True, "reply_to_msg_id": 11,
                                         "reply_to_top_id": 10})
    records, _ = read(write, created, in_topic, answer)
    assert [(p.topic_id, p.topic_title, p.reply_to_message_id) for p in records] == [
        ("10", "Help", None), ("10", "Help", "11")]
