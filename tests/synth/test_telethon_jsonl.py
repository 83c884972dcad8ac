"""synth.telethon_jsonl: the Telethon lines are shaped as Message.to_dict() writes them, entity offsets
count UTF-16 code units, and they say what the Telegram Desktop export of the same seed says; a group's
messages come from persons."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime

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


def test_group_messages_are_from_persons_in_a_chat_or_a_supergroup(groups):
    result = groups["groups.jsonl"]
    lines = result.path.read_text(encoding="utf-8").splitlines()
    messages = [json.loads(line) for line in lines]
    assert [json.dumps(m) for m in messages] == lines
    persons = result.truth["persons"]
    names = {p["user_id"]: p["name"] for p in persons["people"]}
    peers = {chat["id"]: chat["peer"] for chat in persons["chats"]}
    assert sorted(peers.values()) == ["PeerChannel", "PeerChat"]
    seen = Counter()
    for m in messages:
        peer = m["peer_id"]
        assert peer["_"] == peers[peer.get("chat_id") or peer.get("channel_id")]
        assert m["post"] is False and m["from_id"]["_"] == "PeerUser" and m["from_id"]["user_id"] in names
        if m["_"] == "MessageService":
            seen[m["action"]["_"]] += 1
            continue
        assert list(m) == TELETHON_KEYS and m["views"] is m["forwards"] is m["post_author"] is None
        units = m["message"].encode("utf-16-le")
        for e in m["entities"]:
            shown = units[2 * e["offset"]:2 * (e["offset"] + e["length"])].decode("utf-16-le")
            if e["_"] == "MessageEntityMentionName":
                assert shown == names[e["user_id"]]
            seen[e["_"]] += e["_"] in ("MessageEntityMentionName", "MessageEntityPhone", "MessageEntityEmail")
        forward = m["fwd_from"]
        if forward and forward["channel_post"] is None:  # from a person: their id, or only their name
            assert (forward["from_id"] is None) != (forward["from_name"] is None)
            seen["by id" if forward["from_id"] else "by name"] += 1
    counts = persons["counts"]
    assert seen["MessageEntityMentionName"] == counts["mentions_by_name"]
    assert (seen["MessageEntityPhone"], seen["MessageEntityEmail"]) == (counts["phone_numbers"], counts["emails"])
    assert (seen["by id"], seen["by name"]) == (counts["forwards_from_persons"], counts["forwards_from_hidden_persons"])
    assert seen["MessageActionChatCreate"] == 1 and seen["MessageActionChannelCreate"] == 1
