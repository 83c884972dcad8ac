"""synth.telegram_json: the Telegram Desktop export as the desktop app writes it - shape and layout,
local dates at +03:00, text and text_entities that agree - for one channel and for several; group chats
of persons, alone and in a full-account export with the owner's data and personal chats."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta

from corpus_tools.synth import synth

ENTITY_TYPES = {"plain", "bold", "italic", "hashtag", "mention", "link", "text_link", "blockquote"}


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


def test_several_channels_make_a_full_account_export(tmp_path):
    path = tmp_path / "result.json"
    truth = synth(path, posts=600, format="telegram-json", channels=3, seed=2).truth
    raw = path.read_text(encoding="utf-8")
    data = json.loads(raw)
    assert raw == json.dumps(data, indent=1, ensure_ascii=False)
    chats = data["chats"]["list"]
    assert [c["id"] for c in chats] == [c["id"] for c in truth["channels"]]
    assert [sum(m["type"] == "message" for m in c["messages"]) for c in chats] == [c["posts"] for c in truth["channels"]]


def laid_out_as_the_app_does(result) -> dict:
    """The export, parsed, after checking that its layout is the app's."""
    raw = result.path.read_text(encoding="utf-8")
    data = json.loads(raw)
    assert raw == json.dumps(data, indent=1, ensure_ascii=False)
    return data


def test_a_group_chat_is_a_private_group_of_persons(groups):
    data, persons = laid_out_as_the_app_does(groups["single.json"]), groups["single.json"].truth["persons"]
    names = {p["user_id"]: p["name"] for p in persons["people"]}
    (chat,) = persons["chats"]
    assert list(data) == ["name", "type", "id", "messages"]
    assert (data["type"], data["id"]) == ("private_group", chat["id"])
    created = data["messages"][0]
    assert (created["action"], created["actor_id"]) == ("create_group", f"user{chat['members'][0]}")
    assert created["members"] == [names[i] for i in chat["members"][:5]]
    posts = [m for m in data["messages"] if m["type"] == "message"]
    assert all(m["from"] == names[int(m["from_id"][4:])] and "author" not in m for m in posts)
    mentions = [e for m in posts for e in m["text_entities"] if e["type"] == "mention_name"]
    assert mentions and all(list(e) == ["type", "text", "user_id"] for e in mentions)
    assert all(e["text"] == names[e["user_id"]] for e in mentions)
    kinds = Counter(e["type"] for m in posts for e in m["text_entities"])
    assert (kinds["phone"], kinds["email"]) == (persons["counts"]["phone_numbers"], persons["counts"]["emails"])
    assert persons["personal_information"] is None and persons["personal_chats"] == []


def test_a_full_account_of_groups_has_the_owners_data_and_personal_chats_apart(groups):
    result = groups["account.json"]
    data, persons = laid_out_as_the_app_does(result), result.truth["persons"]
    assert list(data) == ["about", "personal_information", "contacts", "chats"]
    assert data["personal_information"] == persons["personal_information"]
    assert data["personal_information"]["user_id"] == persons["owner"]
    assert data["personal_information"]["username"].startswith("@")
    assert [c["user_id"] for c in data["contacts"]["list"]] == persons["contacts"]
    assert all(c["phone_number"].startswith("+") for c in data["contacts"]["list"])
    chats = data["chats"]["list"]
    assert sorted(p["list_index"] for p in persons["personal_chats"]) == [0, len(chats) - 1]
    for personal in persons["personal_chats"]:
        chat = chats[personal["list_index"]]
        assert (chat["type"], chat["id"], chat["name"]) == ("personal_chat", personal["id"], personal["name"])
        assert len(chat["messages"]) == personal["messages"]
        assert {m["from_id"] for m in chat["messages"]} <= {f"user{personal['id']}", f"user{persons['owner']}"}
    groups_in_file = [(c["id"], c["type"]) for c in chats if c["type"] != "personal_chat"]
    assert groups_in_file == [(c["id"], c["type"]) for c in persons["chats"]]
    assert [t for _, t in groups_in_file] == ["private_group", "private_supergroup", "private_group"]
    assert [c["id"] for c in result.truth["channels"]] == [i for i, _ in groups_in_file]
