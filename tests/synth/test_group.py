"""synth.group (``--chat group``): group chats read back by the real telegram-json and telethon-jsonl
readers give posts whose senders, mentions, person links and forwards are exactly the persons the
truth file's ``persons`` section names, and the phone numbers and e-mail addresses it counts."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from corpus_tools.core.records import Post
from corpus_tools.readers import reader_for
from corpus_tools.readers.base import ReaderOptions

CORPORA = ("single.json", "account.json", "groups.jsonl")
PHONE = re.compile(r"\+\d{1,2} [\d ()-]{7,}\d")
EMAIL = re.compile(r"[a-z][\w.]*@(?:example\.(?:org|com|net)|mail\.example)")
USER_LINK = "tg://user?id="


def group_posts(result) -> dict[str, list[Post]]:
    """chat id -> the posts of each group the truth names, as the format's reader reads them (a
    full-account export's personal chats and the messages the app could not export left out)."""
    groups = {str(chat["id"]): [] for chat in result.truth["persons"]["chats"]}
    for record in reader_for(result.format, ReaderOptions()).read(result.path, result.path.name):
        if isinstance(record, Post) and record.channel_id in groups and record.media_type != "unsupported":
            groups[record.channel_id].append(record)
    return groups


@pytest.fixture(scope="module")
def read(groups):
    return {name: group_posts(result) for name, result in groups.items()}


def people(result) -> dict[int, dict]:
    return {person["user_id"]: person for person in result.truth["persons"]["people"]}


@pytest.mark.parametrize("name", CORPORA)
def test_every_post_is_from_a_planted_sender(groups, read, name):
    result, posts = groups[name], read[name]
    persons, known = result.truth["persons"], people(groups[name])
    assert sum(map(len, posts.values())) == result.truth["counts"]["posts"]
    for chat in persons["chats"]:
        senders = {post.author_id for post in posts[str(chat["id"])]}
        assert senders == {f"user{user_id}" for user_id in chat["senders"]}
        assert set(chat["senders"]) <= set(chat["members"]) and persons["owner"] in chat["members"]
    every = [post for chat in posts.values() for post in chat]
    if result.format == "telegram-json":  # the display name beside the id
        assert all(post.author == known[int(post.author_id[4:])]["name"] for post in every)
    else:  # Telethon has the sender's id only, and no signature
        assert {post.author for post in every} == {None}
    assert sum(known[int(post.author_id[4:])]["bot"] for post in every) == persons["counts"]["posts_by_bots"] > 0


@pytest.mark.parametrize("name", CORPORA)
def test_mentions_and_person_links_are_exactly_the_planted_ones(groups, read, name):
    result, known = groups[name], people(groups[name])
    usernames = {person["username"]: user_id for user_id, person in known.items() if person["username"]}
    counts = Counter()
    for chat in result.truth["persons"]["chats"]:
        mentioned, linked = set(), set()
        for post in read[name][str(chat["id"])]:
            for mention in post.mentions:
                if mention.user_id is not None:  # by name: the name the person has, with their id
                    assert mention.shown_as == known[int(mention.user_id)]["name"]
                    mentioned.add(int(mention.user_id))
                    counts["mentions_by_name"] += 1
                elif mention.username in usernames:  # a person's username (the rest are channels')
                    mentioned.add(usernames[mention.username])
                    counts["username_mentions"] += 1
            for link in post.links:
                if link.url.startswith(USER_LINK):
                    user_id = int(link.url[len(USER_LINK):])
                    assert link.label == known[user_id]["first_name"]
                    linked.add(user_id)
                    counts["user_links"] += 1
        assert (mentioned, linked) == (set(chat["mentioned"]), set(chat["linked"]))
    planted = result.truth["persons"]["counts"]
    assert counts == {key: planted[key] for key in counts} and all(counts.values()), counts
    assert planted["mentions_by_name"] == result.truth["counts"]["entities"]["mention_name"]


@pytest.mark.parametrize("name", CORPORA)
def test_forwards_from_persons_show_them_as_planted(groups, read, name):
    result, known = groups[name], people(groups[name])
    shown = hidden = 0
    for chat in result.truth["persons"]["chats"]:
        posts = read[name][str(chat["id"])]
        from_persons = [post for post in posts if (post.forwarded_from_id or "").startswith("user")]
        assert {int(post.forwarded_from_id[4:]) for post in from_persons} == set(chat["forwarded_from"])
        if result.format == "telegram-json":
            assert all(post.forwarded_from == known[int(post.forwarded_from_id[4:])]["name"] for post in from_persons)
        anonymous = [post for post in posts if post.forwarded_from and not post.forwarded_from_id]
        assert {post.forwarded_from for post in anonymous} == {known[i]["name"] for i in chat["hidden_forwarded_from"]}
        shown, hidden = shown + len(from_persons), hidden + len(anonymous)
    counts = result.truth["persons"]["counts"]
    assert (shown, hidden) == (counts["forwards_from_persons"], counts["forwards_from_hidden_persons"])
    assert shown and hidden


@pytest.mark.parametrize("name", CORPORA)
def test_replies_are_between_members_posts(groups, read, name):
    result = groups[name]
    for chat, channel in zip(result.truth["persons"]["chats"], result.truth["channels"], strict=True):
        posts = {post.message_id: post for post in read[name][str(chat["id"])]}
        replies = sorted([int(post.message_id), int(post.reply_to_message_id)] for post in posts.values()
                         if post.reply_to_message_id)
        assert replies == sorted(channel["replies"])
        assert all(posts[str(target)].author_id for _, target in replies)
    assert 0.12 < result.truth["counts"]["replies"] / result.truth["counts"]["posts"] < 0.25


@pytest.mark.parametrize("name", CORPORA)
def test_phone_numbers_and_emails_are_in_the_text_as_counted(groups, read, name):
    result = groups[name]
    texts = [post.text for chat in read[name].values() for post in chat]
    phones = [found for text in texts for found in PHONE.findall(text)]
    emails = [found for text in texts for found in EMAIL.findall(text)]
    counts = result.truth["persons"]["counts"]
    assert (len(phones), len(emails)) == (counts["phone_numbers"], counts["emails"]) and phones and emails
    assert {phone[:3] for phone in phones} >= {"+7 ", "+44", "+1 "}


@pytest.mark.parametrize("name", CORPORA)
def test_who_appears_in_a_chat_is_every_role_together(groups, name):
    for chat in groups[name].truth["persons"]["chats"]:
        roles = ("senders", "mentioned", "linked", "forwarded_from", "hidden_forwarded_from", "service_actors")
        assert chat["appear"] == sorted(set().union(*(chat[role] for role in roles)))
        assert set(chat["appear"]) <= set(chat["members"])
