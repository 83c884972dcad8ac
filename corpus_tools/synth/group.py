"""What makes a synthetic chat a group (``--chat group``): persons write the posts, mention each other,
forward each other's messages and reply to each other.

``posts.ChannelStream`` makes the posts as for a channel and hands each to a ``GroupLayer``, which
draws from its own random stream (so a channel corpus never depends on this module) and adds:

- the sender, a member of the chat's pool (see ``persons``): early members write more;
- in an original post's body: mentions by name (``mention_name`` with the user id), mentions by
  username (``mention``; the part carries the user id, which only the truth file reads), links
  ``tg://user?id=ID`` (``text_link``), and sometimes a phone number (``phone``) or an e-mail
  address (``email``), as Telegram marks them;
- forwards from persons who show their account (name and user id) and from persons who hide it (only
  the name shows); the channel stream's forwards from hidden users become such persons;
- more replies than a channel has, between the members' messages.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from .draw import pick
from .messages import Forward, Person, Post, Ref
from .persons import USER_LINK, email, phone_number
from .text import BODY, Paragraph, Part, flat_prefix, post_text, splice

# Chances per original post with a body, in order: each is spliced into a body paragraph.
PLANTS = (("mention_name", 0.12), ("username", 0.08), ("user_link", 0.04), ("phone", 0.025), ("email", 0.02))
PERSON_FORWARD_SHARE = 0.04
HIDDEN_FORWARD_SHARE = 0.02
EXTRA_REPLY_SHARE = 0.14  # on top of the channel stream's replies
EXCERPT_CHARS = 72
ACTIVITY = 1.6  # the k-th member of n writes about as often as (k/n) ** (1/ACTIVITY) says: a few write most


class GroupLayer:
    """The persons of one segment of a group chat, drawn from ``rng``."""

    def __init__(self, members: tuple[Person, ...], rng: random.Random) -> None:
        self.members = members
        self.named = tuple(m for m in members if m.username)
        self.rng = rng

    def sender(self) -> Person:
        return self.members[int(len(self.members) * self.rng.random() ** ACTIVITY)]

    def other(self, than: Person, pool: tuple[Person, ...] | None = None) -> Person | None:
        """A member (of ``pool``) other than ``than``, or None when there is none."""
        pool = self.members if pool is None else pool
        if not pool:
            return None
        at = int(self.rng.random() * len(pool))
        if pool[at].user_id == than.user_id:  # one of the others, uniformly (members are distinct)
            at = (at + 1 + int(self.rng.random() * (len(pool) - 1))) % len(pool)
        return None if pool[at].user_id == than.user_id else pool[at]

    def decorate(self, post: Post, *, limit: int, reply_target: Callable[[random.Random], Post | None]) -> None:
        """Give ``post`` its sender; an original (not a planted copy) also its persons' entities, a
        forward from a person or a reply. Text stays within ``limit`` characters."""
        post.sender = self.sender()
        if post.copy_of is not None:
            return  # a copy repeats its source's text as it is
        self._entities(post, limit)
        forward, rng = post.forward, self.rng
        if forward is not None:
            if forward.channel_id is None and (hidden := self.other(post.sender)):
                post.forward = Forward(hidden.name, None, None, forward.date, hidden_user=hidden.user_id)
            return
        if post.reply is not None:
            return
        r = rng.random()
        date = post.date - 60 - int(rng.expovariate(1 / 86400))
        if r < PERSON_FORWARD_SHARE + HIDDEN_FORWARD_SHARE and (origin := self.other(post.sender)):
            if r < PERSON_FORWARD_SHARE:
                post.forward = Forward(origin.name, None, None, date, user_id=origin.user_id)
            else:
                post.forward = Forward(origin.name, None, None, date, hidden_user=origin.user_id)
        elif r < PERSON_FORWARD_SHARE + HIDDEN_FORWARD_SHARE + EXTRA_REPLY_SHARE and (target := reply_target(rng)):
            post.reply = Ref(target.id, target.index)
            post.excerpt = flat_prefix(target.paragraphs, EXCERPT_CHARS)

    def _entities(self, post: Post, limit: int) -> None:
        rng = self.rng
        body = [i for i, p in enumerate(post.paragraphs) if p.role == BODY]
        if not body:
            return
        paragraphs = post.paragraphs
        for kind, chance in PLANTS:
            if rng.random() >= chance or (entity := self._entity(kind, post.sender)) is None:
                continue
            at = pick(rng, body)
            edited: tuple[Paragraph, ...] = (*paragraphs[:at], splice(paragraphs[at], entity, lang=post.lang, rng=rng),
                                             *paragraphs[at + 1:])
            if len(post_text(edited, post.sep)) <= limit:
                paragraphs = edited
        post.paragraphs, post._text = paragraphs, None

    def _entity(self, kind: str, sender: Person) -> Part | None:
        rng = self.rng
        if kind == "phone":
            return ("phone", phone_number(rng), None)
        person = self.other(sender, self.named if kind == "username" else None)
        if person is None:
            return None
        if kind == "mention_name":
            return ("mention_name", person.name, str(person.user_id))
        if kind == "username":
            return ("mention", "@" + str(person.username), str(person.user_id))
        if kind == "user_link":
            return ("text_link", person.first_name, f"{USER_LINK}{person.user_id}")
        return ("email", email(rng, person), None)
