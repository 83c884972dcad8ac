"""The truth file written beside a synthetic corpus: what was planted, so tests can assert it.

Counts cover what the file holds, as its format shows it; pairs name posts as the format can
(``id_kind``): by message id in the JSON formats, by 1-based position in a text dump, which has
no ids. Each segment of the corpus is tallied on its own (``Tally``, small and picklable, so a
worker process can return it) and the tallies are merged in order. Pairs are compact integer
arrays (16-24 bytes a pair): memory grows with the planted pairs only, never with the text.
"""

from __future__ import annotations

import json
import re
from array import array
from collections import Counter
from typing import Any

from .messages import PERIOD_END, PERIOD_START, Channel, Post, Service, Unsupported
from .persons import USER_LINK, Cast, chat_peer, chat_type, personal_information
from .text import QUOTE
from .writer import FormatWriter

TRUTH_VERSION = 1
SCRIPTS = {"en": "latin", "eu": "latin", "ru": "cyrillic", "zh": "cjk", "ja": "cjk"}
# In UTF-8, regional indicator symbols (two make a flag) start with F0 9F 87, and emoji outside the
# BMP with F0 9F: counted on bytes, far faster than a Unicode regex over every post.
_REGIONAL_INDICATOR = b"\xf0\x9f\x87"
_ASTRAL_EMOJI = b"\xf0\x9f"
_FLAGS = ("forwards", "replies", "edited", "signed", "with_reactions", "with_quotes", "with_emoji")
# What a group's persons did, as the truth's ``persons`` section counts it and lists who did it.
PERSON_COUNTS = ("posts_by_bots", "mentions_by_name", "username_mentions", "user_links", "forwards_from_persons",
                 "forwards_from_hidden_persons", "phone_numbers", "emails")
PERSON_ROLES = ("senders", "mentioned", "linked", "forwarded_from", "hidden_forwarded_from", "service_actors")
_PERSONAL_PARTS = frozenset({"mention_name", "mention", "text_link", "phone", "email"})


class Tally:
    """Counts and planted pairs of one segment of one channel."""

    def __init__(self, channel_index: int) -> None:
        self.channel_index = channel_index
        self.counts: Counter[str] = Counter()
        self.media: Counter[str] = Counter()
        self.entities: Counter[str] = Counter()
        self.languages: Counter[str] = Counter()
        self.max_chars = 0
        self.first_date: int | None = None
        self.last_date: int | None = None
        self.pairs = {"exact": array("q"), "near": array("q"), "replies": array("q")}  # a, b, a, b, ...
        self.similarity = array("d")
        self.people: dict[str, set[int]] = {role: set() for role in PERSON_ROLES}  # user ids (groups only)

    def add(self, message: Post | Service | Unsupported, writer: FormatWriter) -> None:
        if isinstance(message, Service):
            self.counts["service_messages"] += 1
            if message.actor is not None:
                self.people["service_actors"].update(p.user_id for p in (message.actor, *message.members))
        elif isinstance(message, Unsupported):
            self.counts["unsupported_messages"] += 1
        else:
            self._post(message, writer)

    def _post(self, post: Post, writer: FormatWriter) -> None:
        counts, key = self.counts, writer.key
        self.first_date = self.first_date or post.date
        self.last_date = post.date
        view = writer.view(post)
        counts["posts"] += 1
        counts["chars"] += len(view.text)
        self.max_chars = max(self.max_chars, len(view.text))
        if view.text:
            counts["posts_with_text"] += 1
            self.languages[post.lang] += 1
            data = view.text.encode()
            counts["flags"] += data.count(_REGIONAL_INDICATOR) // 2
            counts["with_emoji"] += _ASTRAL_EMOJI in data
        elif view.media:
            counts["media_only_posts"] += 1
        if view.media:
            self.media[view.media] += 1
        counts["forwards"] += post.forward is not None
        counts["replies"] += post.reply is not None
        counts["edited"] += post.edit_date is not None
        counts["signed"] += post.author is not None
        counts["with_reactions"] += bool(post.reactions)
        for paragraph in post.paragraphs:
            counts["with_quotes"] += paragraph.role == QUOTE
            for part in paragraph.parts:
                if not isinstance(part, str):
                    self.entities[part[0]] += 1
        if post.reply:
            self.pairs["replies"].extend((key(post), key(post.reply)))
        if post.copy_kind:
            self.pairs[post.copy_kind].extend((key(post), key(post.copy_of)))
            if post.copy_kind == "near":
                self.similarity.append(post.similarity)
        if post.sender is not None:
            self._persons(post)

    def _persons(self, post: Post) -> None:
        """A group post's persons: its sender, whom it mentions or links, whom it forwards."""
        counts, people = self.counts, self.people
        people["senders"].add(post.sender.user_id)
        counts["posts_by_bots"] += post.sender.bot
        if post.forward is not None and post.forward.user_id is not None:
            counts["forwards_from_persons"] += 1
            people["forwarded_from"].add(post.forward.user_id)
        elif post.forward is not None and post.forward.hidden_user is not None:
            counts["forwards_from_hidden_persons"] += 1
            people["hidden_forwarded_from"].add(post.forward.hidden_user)
        for paragraph in post.paragraphs:
            for part in paragraph.parts:
                if not isinstance(part, str) and part[0] in _PERSONAL_PARTS:
                    self._personal_part(*part)

    def _personal_part(self, kind: str, text: str, extra: str | None) -> None:
        counts, people = self.counts, self.people
        if kind in ("phone", "email"):
            counts["phone_numbers" if kind == "phone" else "emails"] += 1
        elif kind == "mention_name" or kind == "mention" and extra is not None:  # a person's username, not a channel's
            counts["mentions_by_name" if kind == "mention_name" else "username_mentions"] += 1
            people["mentioned"].add(int(str(extra)))
        elif kind == "text_link" and extra is not None and extra.startswith(USER_LINK):
            counts["user_links"] += 1
            people["linked"].add(int(extra[len(USER_LINK):]))


class Truth:
    """The tallies of a corpus merged, and the truth file made from them."""

    def __init__(self, writer: FormatWriter, plan: list[Channel], *, options: dict[str, Any],
                 cast: Cast | None = None) -> None:
        self.writer = writer
        self.plan = plan
        self.options = options
        self.cast = cast
        self.total = Tally(-1)
        self.channels = [Tally(channel.index) for channel in plan]

    def merge(self, tally: Tally) -> None:
        for target in (self.total, self.channels[tally.channel_index]):
            for name in ("counts", "media", "entities", "languages"):
                getattr(target, name).update(getattr(tally, name))
            target.max_chars = max(target.max_chars, tally.max_chars)
            target.first_date = target.first_date or tally.first_date
            target.last_date = tally.last_date or target.last_date
            for name, values in tally.pairs.items():
                target.pairs[name].extend(values)
            target.similarity.extend(tally.similarity)
            for role, ids in tally.people.items():
                target.people[role] |= ids

    def as_dict(self, *, file_name: str, size: int, sha256: str) -> dict[str, Any]:
        total = self.total
        counts = total.counts
        return {
            "truth_version": TRUTH_VERSION,
            "generator": "corpus-tools synth",
            "file": {"name": file_name, "bytes": size, "sha256": sha256},
            "format": self.writer.format_name,
            "options": self.options,
            "id_kind": self.writer.id_kind,
            "period": {"start": PERIOD_START, "end": PERIOD_END},
            **self.writer.facts(),
            "counts": {
                **{k: counts[k] for k in ("posts", "service_messages", "unsupported_messages", "posts_with_text",
                                          "media_only_posts", *_FLAGS, "flags")},
                "exact_duplicates": len(total.pairs["exact"]) // 2,
                "near_duplicates": len(total.pairs["near"]) // 2,
                "media": dict(sorted(total.media.items())),
                **({"entities": dict(sorted(total.entities.items()))} if self.writer.has_entities else {}),
                "languages": dict(sorted(total.languages.items())),
                "scripts": _scripts(total.languages),
            },
            "text_chars": {"mean": round(counts["chars"] / max(1, counts["posts_with_text"]), 1),
                           "max": total.max_chars, "total": counts["chars"]},
            "channels": [self._channel(channel, tally) for channel, tally in zip(self.plan, self.channels, strict=True)],
            **({"persons": self._persons()} if self.cast is not None else {}),
        }

    def _persons(self) -> dict[str, Any]:
        """Who is who in a group corpus, who appears in which chat, and what the export holds besides."""
        cast = self.cast
        assert cast is not None
        chats = []
        for channel, members, tally in zip(self.plan, cast.members, self.channels, strict=True):
            roles = {role: sorted(ids) for role, ids in tally.people.items()}
            chats.append({"id": channel.id, "type": chat_type(channel), "peer": chat_peer(channel),
                          "members": [p.user_id for p in members], **roles,
                          "appear": sorted(set().union(*tally.people.values()))})
        return {
            "people": [{"user_id": p.user_id, "name": p.name, "first_name": p.first_name, "last_name": p.last_name,
                        "username": p.username, "bot": p.bot} for p in cast.people],
            "owner": cast.owner.user_id,
            "personal_information": personal_information(cast) if cast.account else None,
            "contacts": [person.user_id for person, _ in cast.contacts],
            "personal_chats": [{"id": chat.person.user_id, "name": chat.person.name, "type": "personal_chat",
                                "list_index": 0 if chat.first else len(self.plan) + 1,
                                "messages": len(chat.messages)} for chat in cast.personal_chats],
            "chats": chats,
            "counts": {name: self.total.counts[name] for name in PERSON_COUNTS},
        }

    def _channel(self, channel: Channel, tally: Tally) -> dict[str, Any]:
        exact, near, replies = (_pairs(tally.pairs[k]) for k in ("exact", "near", "replies"))
        return {
            "id": channel.id, "title": channel.title, "posts": tally.counts["posts"],
            "first_date": tally.first_date, "last_date": tally.last_date,
            "exact_duplicates": exact,
            "near_duplicates": [[a, b, s] for (a, b), s in zip(near, tally.similarity, strict=True)],
            "replies": replies,
        }

    def dumps(self, **file_facts: Any) -> str:
        """The truth as indented JSON, each pair list, person and list of persons on one line (a
        million posts plant tens of thousands of pairs: one line each would bury the counts)."""
        data = self.as_dict(**file_facts)
        compact: dict[str, str] = {}

        def squeeze(holder: Any, key: Any, label: str, separators: tuple[str, str] = (",", ":")) -> None:
            marker = f"@@{label}@@"
            compact[json.dumps(marker)] = json.dumps(holder[key], ensure_ascii=False, separators=separators)
            holder[key] = marker

        for i, channel in enumerate(data["channels"]):
            for name in ("exact_duplicates", "near_duplicates", "replies"):
                squeeze(channel, name, f"{i}:{name}")
        persons = data.get("persons")
        if persons is not None:
            for i in range(len(persons["people"])):
                squeeze(persons["people"], i, f"person {i}", (", ", ": "))
            for i, chat in enumerate(persons["chats"]):
                for name in ("members", *PERSON_ROLES, "appear"):
                    squeeze(chat, name, f"chat {i}:{name}")
            squeeze(persons, "contacts", "contacts")
        text = json.dumps(data, ensure_ascii=False, indent=1)
        return re.sub(r'"@@[^@"]+@@"', lambda marker: compact[marker.group(0)], text) + "\n"


def _scripts(languages: Counter[str]) -> dict[str, int]:
    """Posts with text per script, from their languages (emoji and flags are counted apart)."""
    scripts: Counter[str] = Counter()
    for lang, n in languages.items():
        scripts[SCRIPTS[lang]] += n
    return dict(sorted(scripts.items()))


def _pairs(values: array) -> list[list[int]]:
    return [[values[i], values[i + 1]] for i in range(0, len(values), 2)]
