"""convert.steps.privacy: private persons pseudonymised by default, with a key, in every table;
channels stay named; nothing personal published outside free text, no user id anywhere."""

from __future__ import annotations

import json
import re

import pyarrow.parquet as pq
import pytest

from corpus_tools.convert.run import convert
from corpus_tools.convert.steps.privacy import HIDDEN, Privacy, pseudonym
from corpus_tools.errors import UsageError
from corpus_tools.synth import synth
from corpus_tools.validate.run import validate
from tests.conftest import SAMPLES, invoke

KEY = b"a test key"
ALICE, BOB, CAROL = "111111111", "222222222", "333333333"


def message(number, sender, name, text, **fields):
    return {"id": number, "type": "message", "date_unixtime": str(1743674400 + number), "from": name,
            "from_id": f"user{sender}", "text": text, **fields}


def group(tmp_path, messages, *, kind="private_group"):
    path = tmp_path / "group.json"
    path.write_text(json.dumps({"name": "Reading club", "type": kind, "id": 4242, "messages": messages},
                               ensure_ascii=False))
    return path


def table(out, name):
    return pq.read_table(out / f"{name}.parquet").to_pylist()


@pytest.fixture
def chat(tmp_path):
    """A group where three persons (two with the same name) talk, mention, link, forward and reply."""
    return group(tmp_path, [
        message(1, ALICE, "Anna Petrova", ["Hello ", {"type": "mention_name", "text": "Bob", "user_id": int(BOB)},
                                           ", call me: +7 912 345-67-89 or anna@example.org"]),
        message(2, BOB, "Bob", ["see ", {"type": "text_link", "text": "her", "href": f"tg://user?id={ALICE}"},
                                " and ", {"type": "mention", "text": "@carol_reads"}], reply_to_message_id=1),
        message(3, CAROL, "Anna Petrova", "a namesake", forwarded_from="Anna Petrova",
                forwarded_from_id=f"user{ALICE}"),
        message(4, BOB, "Bob", "forwarded from someone hidden", forwarded_from="Secret Sam"),
        message(5, ALICE, "Anna Petrova", f"my id is {ALICE}, Bob's is {BOB}"),
    ])


def test_persons_get_the_same_pseudonym_in_every_table_and_channels_stay_named(tmp_path, chat):
    convert([chat], tmp_path / "out", privacy=Privacy(key=KEY))
    alice, bob, carol = (pseudonym(KEY, "user", p) for p in (ALICE, BOB, CAROL))
    posts = {p["message_id"]: p for p in table(tmp_path / "out", "posts")}
    assert (posts["1"]["author"], posts["1"]["author_id"]) == (alice, alice)
    assert (posts["3"]["author"], posts["3"]["forwarded_from"], posts["3"]["forwarded_from_id"]) == (carol, alice, alice)
    assert carol != alice  # two persons with one name: two pseudonyms
    assert posts["4"]["forwarded_from"] == HIDDEN and posts["4"]["forwarded_from_id"] is None
    assert posts["1"]["channel"] == "Reading club" and posts["1"]["post_id"] == "4242/1"  # a group is named
    assert posts["5"]["text"] == "my id is •••••••••, Bob's is •••••••••"  # no user id, even in free text
    handle = pseudonym(KEY, "username", "carol_reads")
    mentions = table(tmp_path / "out", "mentions")
    assert [(m["shown_as"], m["user_id"], m["username"]) for m in mentions] == [(bob, bob, None), (handle, None, handle)]
    links = table(tmp_path / "out", "links")
    assert [link["url"] for link in links] == [f"tg://user?id={alice}"]


def test_nothing_personal_is_published_outside_free_text(tmp_path, chat):
    convert([chat], tmp_path / "out", privacy=Privacy(key=KEY))
    private = [ALICE, BOB, CAROL, "Anna Petrova", "Secret Sam", "carol_reads"]
    free_text = {"text", "label", "reply_to_excerpt"}
    for name in ("posts", "mentions", "links", "post_sources", "hashtags", "rejects"):
        for row in table(tmp_path / "out", name):
            for column, value in row.items():
                if isinstance(value, str) and column not in free_text:
                    assert value != "Bob" and not any(term in value for term in private), (name, column, value)
    texts = " ".join(p["text"] for p in table(tmp_path / "out", "posts"))
    assert not re.search(r"\d{9}", texts)  # no user id anywhere, free text included


def test_the_same_key_gives_the_same_pseudonyms_another_key_others(tmp_path, chat):
    convert([chat], tmp_path / "a", privacy=Privacy(key=KEY))
    convert([chat], tmp_path / "b", privacy=Privacy(key=KEY))
    convert([chat], tmp_path / "c", privacy=Privacy(key=b"another key"))
    assert (tmp_path / "a" / "posts.parquet").read_bytes() == (tmp_path / "b" / "posts.parquet").read_bytes()
    ids = {p["author_id"] for p in table(tmp_path / "a", "posts")}
    assert len(ids) == 3 and ids.isdisjoint({p["author_id"] for p in table(tmp_path / "c", "posts")})


def test_without_a_key_a_conversion_meeting_persons_stops_saying_how(tmp_path, chat, monkeypatch):
    monkeypatch.delenv("CORPUS_TOOLS_PSEUDONYM_KEY")
    result = invoke("convert", chat, "--out", tmp_path / "out")
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert "holds private persons (user accounts) and no pseudonym key is set: set CORPUS_TOOLS_PSEUDONYM_KEY" \
        in result.output and not (tmp_path / "out" / "posts.parquet").exists()
    channel = tmp_path / "channel.json"
    channel.write_text(json.dumps({"name": "News", "type": "public_channel", "id": 7, "messages": [
        {"id": 1, "type": "message", "date_unixtime": "1743674401", "from": "News", "from_id": "channel7",
         "text": "no person here"}]}))
    assert invoke("convert", channel, "--out", tmp_path / "news").exit_code == 0  # no person: no key needed
    throwaway = invoke("convert", chat, "--out", tmp_path / "t", "--throwaway-key")
    assert throwaway.exit_code == 0, throwaway.output
    manifest = json.loads((tmp_path / "t" / "manifest.json").read_text())
    assert manifest["options"]["privacy"]["key"] == "throwaway"


def test_the_key_is_never_written(tmp_path, chat):
    secret = "a secret that must stay secret"
    key_file = tmp_path / "k"
    key_file.write_text(secret)
    assert invoke("convert", chat, "--out", tmp_path / "out", "--key-file", key_file).exit_code == 0
    for path in (tmp_path / "out").iterdir():
        assert secret.encode() not in path.read_bytes()


def test_policy_keep_and_drop_and_text_redaction(tmp_path, chat):
    privacy = Privacy(key=KEY, policy={"posts.author": "keep", "mentions.username": "drop"}, redact_text=True)
    result = convert([chat], tmp_path / "out", privacy=privacy)
    posts = {p["message_id"]: p for p in table(tmp_path / "out", "posts")}
    assert posts["1"]["author"] == "Anna Petrova" and posts["1"]["author_id"] == pseudonym(KEY, "user", ALICE)
    masked = "•" * len("+7 912 345-67-89"), "•" * len("anna@example.org")  # lengths stay: offsets stay true
    assert posts["1"]["text"] == f"Hello Bob, call me: {masked[0]} or {masked[1]}"
    assert [m["username"] for m in table(tmp_path / "out", "mentions")] == [None, None]
    stats = result.steps["pseudonymise"]
    assert stats["redacted_phones"] == 1 and stats["redacted_emails"] == 1 and stats["posts.author.keep"] == 5
    assert result.manifest()["options"]["privacy"]["policy"] == {"mentions.username": "drop", "posts.author": "keep"}


def test_rejects_keep_no_person(tmp_path):
    broken = message(6, ALICE, "Anna Petrova", ["text ", {"type": "mention_name", "text": "Bob", "user_id": int(BOB)}])
    broken["date_unixtime"] = "soon"
    convert([group(tmp_path, [message(1, ALICE, "Anna Petrova", "hi"), broken])], tmp_path / "out",
            privacy=Privacy(key=KEY))
    (reject,) = table(tmp_path / "out", "rejects")
    assert not any(term in reject["raw"] for term in (ALICE, BOB, "Anna Petrova", '"Bob"')), reject["raw"]
    assert pseudonym(KEY, "user", ALICE) in reject["raw"] and HIDDEN in reject["raw"]


def test_personal_chats_of_a_full_account_export_are_left_out_unless_listed(tmp_path):
    account = {"personal_information": {"user_id": 999999999, "first_name": "Exporter", "phone_number": "+1 555 0100"},
               "contacts": {"list": [{"first_name": "Friend", "phone_number": "+1 555 0199"}]},
               "chats": {"list": [
                   {"name": "Reading club", "type": "private_group", "id": 4242,
                    "messages": [message(1, ALICE, "Anna Petrova", "in the group")]},
                   {"name": "Anna Petrova", "type": "personal_chat", "id": int(ALICE),
                    "messages": [message(1, ALICE, "Anna Petrova", "a private word")]}]}}
    path = tmp_path / "result.json"
    path.write_text(json.dumps(account))
    left_out = convert([path], tmp_path / "out", privacy=Privacy(key=KEY))
    assert [p["text"] for p in table(tmp_path / "out", "posts")] == ["in the group"]
    assert left_out.inputs[0].facts["record_usage"]["excluded"] == 1
    assert left_out.inputs[0].facts["export"] == "full-account"
    dump = b"".join(p.read_bytes() for p in (tmp_path / "out").iterdir())
    assert b"Exporter" not in dump and b"555" not in dump and b"Friend" not in dump
    listed = convert([path], tmp_path / "listed", privacy=Privacy(key=KEY), include_chats=["Anna Petrova"])
    posts = table(tmp_path / "listed", "posts")
    alice = pseudonym(KEY, "user", ALICE)
    assert [(p["channel"], p["channel_id"]) for p in posts] == [("Reading club", "4242"), (alice, alice)]
    assert posts[1]["post_id"] == f"{alice}/1" and listed.manifest()["options"]["include_chats"] == 1


def test_telethon_groups_pseudonymise_their_senders(tmp_path):
    line = {"_": "Message", "id": 1, "peer_id": {"_": "PeerChat", "chat_id": 77}, "date": "2025-04-03T10:00:00+00:00",
            "from_id": {"_": "PeerUser", "user_id": int(ALICE)}, "message": "hi",
            "fwd_from": {"_": "MessageFwdHeader", "from_name": "Secret Sam", "date": "2025-04-01T00:00:00+00:00"}}
    (tmp_path / "d.jsonl").write_text(json.dumps(line) + "\n")
    convert([tmp_path / "d.jsonl"], tmp_path / "out", privacy=Privacy(key=KEY))
    (post,) = table(tmp_path / "out", "posts")
    assert post["author_id"] == pseudonym(KEY, "user", ALICE) and post["forwarded_from"] == HIDDEN


@pytest.mark.skipif(not (SAMPLES / "telegram_desktop" / "old-format-2022.result.json").exists(),
                    reason="samples are absent")
def test_the_private_group_sample_publishes_no_person(tmp_path):
    sample = SAMPLES / "telegram_desktop" / "old-format-2022.result.json"
    people = json.loads(sample.read_text())
    names = {m["from"] for m in people["messages"] if m.get("from")}
    ids = {m["from_id"] for m in people["messages"] if m.get("from_id")}
    convert([sample], tmp_path / "out", privacy=Privacy(key=KEY), tz="Europe/Moscow")
    for name in ("posts", "mentions", "links", "post_sources", "rejects"):
        for row in table(tmp_path / "out", name):
            for column, value in row.items():
                if isinstance(value, str) and column != "text":
                    assert not any(n in value for n in names) and not any(i in value for i in ids), (column, value)
    digits = {i.removeprefix("user") for i in ids}
    assert not any(d in p["text"] for p in table(tmp_path / "out", "posts") for d in digits)
    assert len({p["author_id"] for p in table(tmp_path / "out", "posts")}) == len(ids)


@pytest.mark.parametrize("format", ["telegram-json", "telethon-jsonl"])
def test_a_synthetic_group_chat_publishes_no_person_and_a_planted_leak_fails(tmp_path, format):
    """synth's group chats: many persons who mention, link, forward and reply to each other."""
    made = synth(tmp_path / "chat", posts=800, format=format, chat="group", channels=2, seed=5)
    people = made.truth["persons"]["people"]
    ids = {str(person["user_id"]) for person in people}
    handles = {person["username"] for person in people if person["username"]}
    names = {person["name"] for person in people}
    result = convert([made.path], tmp_path / "out", privacy=Privacy(key=KEY))
    for name in ("posts", "mentions", "links", "post_sources", "rejects"):
        for row in table(tmp_path / "out", name):
            for column, value in row.items():
                if isinstance(value, str) and column not in {"text", "label", "reply_to_excerpt"}:
                    assert value not in names and not any(term in value for term in ids | handles), (column, value)
    posts = table(tmp_path / "out", "posts")
    assert not any(user_id in p["text"] for p in posts for user_id in ids)  # no user id, free text included
    senders = {s for chat in made.truth["persons"]["chats"] for s in chat["senders"]}
    assert len({p["author_id"] for p in posts if p["author_id"]}) == len(senders)  # one pseudonym a person
    clean = validate(tmp_path / "out", private_terms=result.private_terms).results
    assert {r.status for r in clean if r.spec.family == "privacy"} == {"passed"}
    leaked = pq.read_table(tmp_path / "out" / "posts.parquet")
    author = leaked.schema.get_field_index("author")
    column = [people[0]["name"]] + leaked.column("author").to_pylist()[1:]  # one real name slipped in
    pq.write_table(leaked.set_column(author, leaked.schema.field(author), [column]), tmp_path / "out" / "posts.parquet")
    checks = validate(tmp_path / "out", private_terms=result.private_terms).results
    failing = {r.spec.id for r in checks if r.status == "failed"}
    assert "posts.author.no_private_names" in failing


def test_a_bad_policy_or_both_keys_are_usage_errors(tmp_path):
    with pytest.raises(UsageError, match="not both"):
        Privacy.given(key_file=tmp_path / "k", throwaway=True)
