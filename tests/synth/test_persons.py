"""synth.persons: the pools of group chats - distinct stable user ids, names some persons share, a few
bots, persons met in several chats of one account - and what a full-account export adds."""

from __future__ import annotations

import math
import random
import re

import pytest

from corpus_tools.synth import plan_channels
from corpus_tools.synth.persons import phone_number, plan_cast, pool_size


@pytest.fixture(scope="module")
def cast():
    plan = plan_channels(20_000, 4, seed=5, title="G")
    return plan, plan_cast(plan, seed=5, account=True)


def test_every_person_has_a_distinct_user_id_of_9_or_10_digits(cast):
    plan, made = cast
    ids = [p.user_id for p in made.people]
    assert len(ids) == len(set(ids)) and all(9 <= len(str(i)) <= 10 for i in ids)
    assert not {c.id for c in plan} & set(ids)
    usernames = [p.username for p in made.people if p.username]
    assert len(usernames) == len(set(usernames)) and all(re.fullmatch(r"[a-z][a-z0-9_]{4,31}", u) for u in usernames)
    assert 0 < len(usernames) < len(ids)  # some persons have none


def test_pools_grow_with_the_chats_and_share_persons(cast):
    plan, made = cast
    assert [len(m) for m in made.members] == [pool_size(c.posts) for c in plan]
    assert pool_size(1) == 4 and pool_size(1_000_000) == 1000 == round(math.sqrt(1_000_000))
    assert all(made.owner in members for members in made.members)
    for k in range(1, len(plan)):
        earlier = {p.user_id for members in made.members[:k] for p in members}
        met = {p.user_id for p in made.members[k]} & earlier - {made.owner.user_id}
        assert met, k  # some persons of an earlier chat are in this one too
    assert len({p.user_id for members in made.members for p in members}) == len(made.people)


def test_some_distinct_persons_share_a_name_and_a_few_are_bots(cast):
    _, made = cast
    for members in made.members:
        names = [p.name for p in members]
        assert len(set(names)) < len(names)  # in every chat, two persons of one name
    bots = [p for p in made.people if p.bot]
    assert bots and all(p.username.endswith("bot") and not p.last_name for p in bots)
    assert len(bots) < len(made.people) / 8
    scripts = "".join(p.name for p in made.people)
    assert re.search("[А-я]", scripts) and re.search("[\u4e00-\u9fff]", scripts) and re.search("[A-Za-z]", scripts)


def test_a_full_account_has_contacts_and_personal_chats(cast):
    plan, made = cast
    assert made.account and made.bio and made.contacts
    assert all(not p.bot and p is not made.owner for p, _ in made.contacts)
    assert [chat.first for chat in made.personal_chats] == [True, False]
    for chat in made.personal_chats:
        assert chat.person is not made.owner and 4 <= len(chat.messages) <= 12
        assert {m.sender for m in chat.messages} <= {made.owner, chat.person}
        assert [m.id for m in chat.messages] == sorted({m.id for m in chat.messages})
    two = plan_cast(plan_channels(100, 2, seed=5, title="G"), seed=5, account=True)
    assert len(two.personal_chats) == 1
    alone = plan_cast(plan_channels(100, 2, seed=5, title="G"), seed=5, account=False)
    assert (alone.account, alone.contacts, alone.personal_chats) == (False, (), ())


def test_the_cast_depends_on_the_seed_alone(cast):
    plan, made = cast
    assert plan_cast(plan, seed=5, account=True) == made
    assert plan_cast(plan, seed=6, account=True).people != made.people


def test_phone_numbers_are_written_in_several_international_styles():
    rng = random.Random(1)
    numbers = [phone_number(rng) for _ in range(200)]
    assert all(re.fullmatch(r"\+\d{1,2} [\d ()-]{7,}\d", n) for n in numbers)
    assert {n.split()[0] for n in numbers} == {"+7", "+44", "+1", "+33", "+61"}
