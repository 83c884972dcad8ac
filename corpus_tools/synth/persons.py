"""The persons of synthetic group chats (``--chat group``): who is in each chat, and the account's own
data a full-account export carries.

Each chat has a pool of about sqrt(posts) persons (at least ``MIN_POOL``), drawn once per corpus from
the seed: the exporting account's owner (in every chat), some persons of earlier chats (the same
people meet in several groups of one account), and new ones. A person has a stable 9-10 digit user
id, a display name made of first and last names of one of the vocabulary's languages, maybe a
username; a few are bots (username ending in 'bot'), and in every chat one person has the same name
as another (distinct persons with the same name exist, as they do). Everything is small (a pool of
a million-post chat is a thousand persons), so a worker gets the whole cast with its job.

A full-account Telegram Desktop export also has the owner's ``personal_information``, their
``contacts`` and one-to-one chats (``personal_chat``) with a few persons: none of them is a post of
a group, which is why the truth file lists them apart.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from . import vocab
from .draw import between, pick
from .messages import PERIOD_END, PERIOD_START, Channel, Person
from .text import Part, TextMaker

MIN_POOL = 4
GROUP_TYPES = ("private_group", "private_supergroup")  # Telegram Desktop's types, by chat index
PEERS = ("PeerChat", "PeerChannel")  # Telethon's peer of each: a basic group, a supergroup (megagroup)
USER_LINK = "tg://user?id="
_USER_IDS = ((100_000_000, 1_100_000_000), (2_400_000_000, 8_000_000_000))  # clear of the chats' ids
_NAME_LANGS = ("en", "en", "ru", "ru", "zh", "ja", "eu")


@dataclass(frozen=True, slots=True)
class PersonalMessage:
    id: int
    date: int
    sender: Person
    parts: tuple[Part, ...]


@dataclass(frozen=True, slots=True)
class PersonalChat:
    """A one-to-one chat of the account's owner with ``person``; ``first`` when it comes before the
    groups in the export's chat list (else after them)."""

    person: Person
    first: bool
    messages: tuple[PersonalMessage, ...]


@dataclass(frozen=True)
class Cast:
    """Everyone in a group corpus: ``people`` (the owner first), each chat's ``members`` in order of
    how much they write, and what only a full-account export has (``account``)."""

    people: tuple[Person, ...]
    members: tuple[tuple[Person, ...], ...]
    account: bool = False
    bio: str = ""
    contacts: tuple[tuple[Person, int], ...] = ()  # (person, date added)
    personal_chats: tuple[PersonalChat, ...] = ()

    @property
    def owner(self) -> Person:
        return self.people[0]


def chat_type(channel: Channel) -> str:
    return GROUP_TYPES[channel.index % 2]


def chat_peer(channel: Channel) -> str:
    return PEERS[channel.index % 2]


def pool_size(posts: int) -> int:
    """How many persons a chat of ``posts`` posts has.

    >>> pool_size(10), pool_size(10_000)
    (4, 100)
    """
    return max(MIN_POOL, round(math.sqrt(posts)))


def plan_cast(plan: list[Channel], *, seed: int, account: bool) -> Cast:
    """The persons of every chat of ``plan``; with ``account``, the owner's data and personal chats of
    a full-account export too."""
    rng = random.Random(f"corpus-tools synth persons {seed}")
    namer = _Namer(rng)
    sizes = [pool_size(c.posts) for c in plan]
    shared = [0] + [max(1, (size - 1) // 5) for size in sizes[1:]]
    fresh = [size - 1 - k for size, k in zip(sizes, shared, strict=True)]
    ids = iter(_user_ids(rng, 1 + sum(fresh)))
    owner = namer.person(next(ids), username=True)
    people, members, humans = [owner], [], []
    for k in range(len(plan)):
        bots = max(1, fresh[k] // 12) if fresh[k] >= 3 else 0
        own = [namer.person(next(ids)) for _ in range(fresh[k] - bots)]
        if len(own) >= 2:  # a namesake: another person of the same name
            own[1] = namer.namesake(own[1], of=own[0])
        met = rng.sample(humans, min(shared[k], len(humans)))
        robots = [namer.bot(next(ids)) for _ in range(bots)]
        members.append((*own[:1], owner, *met, *own[1:], *robots))
        people += own + robots
        humans += own
    if not account:
        return Cast(tuple(people), tuple(members))
    contacts = tuple((p, between(rng, PERIOD_START - 400 * 86400, PERIOD_START)) for p in humans[:6])
    partners = [members[0][0]] if len(plan) == 2 else [members[0][0], members[-1][0]]
    chats = tuple(_personal_chat(rng, owner, p, first=i == 0) for i, p in enumerate(partners))
    return Cast(tuple(people), tuple(members), True, pick(rng, vocab.BIOS), contacts, chats)


def phone_number(rng: random.Random) -> str:
    """A phone number as people write them, in one of several countries' styles (mostly the ranges
    set aside for fiction where a country has one).

    >>> phone_number(random.Random(3))[:1]
    '+'
    """
    digits = "".join(str(b % 10) for b in rng.randbytes(10))
    style = int(rng.random() * 5)
    if style == 0:
        return f"+7 9{digits[:2]} {digits[2:5]}-{digits[5:7]}-{digits[7:9]}"
    if style == 1:
        return f"+44 7700 900{digits[:3]}"
    if style == 2:
        return f"+1 (202) 555-01{digits[:2]}"
    if style == 3:
        return f"+33 6 {digits[:2]} {digits[2:4]} {digits[4:6]} {digits[6:8]}"
    return f"+61 491 570 {digits[:3]}"


def email(rng: random.Random, person: Person) -> str:
    return f"{person.handle}{between(rng, 1, 99) if rng.random() < 0.4 else ''}@{pick(rng, vocab.EMAIL_HOSTS)}"


def _user_ids(rng: random.Random, count: int) -> list[int]:
    """``count`` distinct 9-10 digit user ids, none in the range of the chats' ids."""
    (low1, high1), (low2, high2) = _USER_IDS
    drawn = rng.sample(range(high1 - low1 + high2 - low2), count)
    return [low1 + n if n < high1 - low1 else low2 + n - (high1 - low1) for n in drawn]


class _Namer:
    """Persons with names from the vocabulary and usernames no one else has."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.taken: set[str] = set()

    def person(self, user_id: int, *, username: bool = False) -> Person:
        rng = self.rng
        lang = pick(rng, _NAME_LANGS)
        first, first_latin = pick(rng, vocab.FIRST_NAMES[lang])
        last, last_latin = pick(rng, vocab.LAST_NAMES[lang]) if rng.random() < 0.85 else ("", "")
        handle = f"{first_latin}.{last_latin}" if last_latin else first_latin
        return self._made(user_id, first, last, handle, username=username or rng.random() < 0.65)

    def namesake(self, person: Person, *, of: Person) -> Person:
        return self._made(person.user_id, of.first_name, of.last_name, of.handle, username=person.username is not None)

    def bot(self, user_id: int) -> Person:
        name, stem = pick(self.rng, vocab.BOTS)
        return Person(user_id, name, "", self._unique(stem, "_bot"), True, stem, phone_number(self.rng))

    def _made(self, user_id: int, first: str, last: str, handle: str, *, username: bool) -> Person:
        name = self._unique(handle.replace(".", "_"), "") if username else None
        return Person(user_id, first, last, name, False, handle, phone_number(self.rng))

    def _unique(self, stem: str, suffix: str) -> str:
        """``stem + suffix``, or with a number before the suffix when taken (or too short: a username
        has 5-32 characters)."""
        name = stem + suffix
        while name in self.taken or len(name) < 5:
            name = f"{stem}{between(self.rng, 1, 999)}{suffix}"
        self.taken.add(name)
        return name


def _personal_chat(rng: random.Random, owner: Person, person: Person, *, first: bool) -> PersonalChat:
    """A few messages between the owner and ``person``, one of them giving a phone number."""
    maker, count = TextMaker(rng), between(rng, 4, 12)
    dates = sorted(between(rng, PERIOD_START, PERIOD_END) for _ in range(count))
    messages, message_id = [], between(rng, 10, 500)
    for n, date in enumerate(dates):
        message_id += between(rng, 1, 4)
        sender = owner if rng.random() < 0.5 else person
        text = maker.sentences(pick(rng, ("en", "ru", "eu")), between(rng, 4, 20))
        parts: tuple[Part, ...] = (text + " ", ("phone", sender.phone, None)) if n == 1 else (text,)
        messages.append(PersonalMessage(message_id, date, sender, parts))
    return PersonalChat(person, first, tuple(messages))


def personal_information(cast: Cast) -> dict[str, object]:
    """The account owner's ``personal_information`` as a full-account export writes it."""
    owner = cast.owner
    return {"user_id": owner.user_id, "first_name": owner.first_name, "last_name": owner.last_name,
            "phone_number": owner.phone, "username": f"@{owner.username}", "bio": cast.bio}
