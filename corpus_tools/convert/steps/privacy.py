"""Pseudonymisation: private persons in a dataset get pseudonyms, by default, before anything is written.

A research dataset of group chats would otherwise publish people who never agreed to be in it. A
private person is an account with a user id: the sender of a group message, a forward's origin, a
person mentioned by name, a ``tg://user?id=`` link, the other side of a personal chat. Readers give
such ids the ``user`` prefix (``user123456789``), which is how they are known here. Channels and
groups are organisations and stay named, and so is a channel post's signature, the channel's
public byline (``signatures``). Bots have user ids, and are pseudonymised like persons.

A person's pseudonym is ``person:`` and the first 12 characters (base32) of HMAC-SHA256 of their
user id under the dataset's key. It is made from a name only where the source gives no id at all
(a group's senders in an HTML export), since names collide and can be guessed. The same person gets the same pseudonym in every table and every release made with the
key, and nobody without the key can go back from a pseudonym to the person. Names shown with an
id (a sender's display name, a mention by name) become that person's pseudonym. A username (a
handle: ``@name``) gets a pseudonym of its own, unless it is the post's own channel's. A forward from an account that hides itself carries
a name but no id, so it cannot be pseudonymised: it becomes ``hidden person``.

Every personal field, as the schemas mark them (``"personal"``), has a policy: ``pseudonymise``
(the default), ``keep`` or ``drop`` (null). Free text (a post's text, a link's label) is kept as it
is. ``redact_text`` masks phone numbers and e-mail addresses in it, each character replaced by ``•``,
so that entity offsets stay true. The raw records of rejects are scrubbed of the persons' ids and
names.

Without a key, a conversion that meets a private person stops (exit 2) and says how to set one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...core.records import Mention, Post, Reject
from ...errors import UsageError
from .base import Step

ACTIONS = ("pseudonymise", "keep", "drop")
KEY_VARIABLE = "CORPUS_TOOLS_PSEUDONYM_KEY"
HIDDEN = "hidden person"
PSEUDONYM = re.compile(r"person:[a-z2-7]{12}")
USER_ID = re.compile(r"user(\d+)")
USER_LINK = re.compile(r"tg://user\?id=(\d+)")
# Phone numbers and e-mail addresses, for redact_text. A phone number is written with a + and its
# country code, or in groups of digits with separators ("912 345-67-89"): a bare run of digits is
# not taken for one (it is as often a count, a year or an id).
PHONE = re.compile(r"(?<![\w+])(?:\+\d{7,15}|(?:\+\d{1,3}[ \-.]?)?(?:\(\d{1,4}\)[ \-.]?)?\d{2,4}(?:[ \-.]\d{2,4}){2,4})(?!\w)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
MASK = "•"
KEY_HELP = ("set CORPUS_TOOLS_PSEUDONYM_KEY, or [privacy] key_file in dataset.toml (`corpus-tools init` "
            "creates one); for pseudonyms that change every run, [privacy] throwaway_key = true (convert: "
            "--throwaway-key)")
# Keys of raw Telegram records that name a person, scrubbed from rejects.
_NAME_KEYS = {"from", "actor", "forwarded_from", "saved_from", "author", "post_author", "from_name", "first_name",
              "last_name", "username", "phone_number", "members", "inviter", "contact_information"}


@dataclass(frozen=True)
class Privacy:
    """What to do with personal data: a policy per personal field ('TABLE.FIELD': action; the default
    is pseudonymise), the key, and the options described in the module docstring."""

    key: bytes | None = None
    throwaway: bool = False  # the key is random, made for this run only: pseudonyms change every run
    policy: dict[str, str] = field(default_factory=dict)
    signatures: str = "keep"
    redact_text: bool = False

    @classmethod
    def from_environment(cls, **options: Any) -> Privacy:
        """The default policy, with the key from CORPUS_TOOLS_PSEUDONYM_KEY when it is set."""
        key = os.environ.get(KEY_VARIABLE)
        return cls(key=key.encode("utf-8") if key else None, **options)

    @classmethod
    def given(cls, *, key_file: Path | None = None, throwaway: bool = False, **options: Any) -> Privacy:
        """The default policy with a key from ``key_file``, a throwaway key, or the environment."""
        if key_file is not None and throwaway:
            raise UsageError("give {key_file} or {throwaway_key}, not both", options=["key_file", "throwaway_key"])
        if throwaway:
            return cls(key=secrets.token_bytes(32), throwaway=True, **options)
        if key_file is not None:
            try:
                return cls(key=key_file.read_bytes().strip(), **options)
            except OSError as error:
                raise UsageError(f"{{key_file}} {key_file}: {error.strerror}", options=["key_file"]) from None
        return cls.from_environment(**options)

    def action(self, table: str, column: str) -> str:
        return self.policy.get(f"{table}.{column}", "pseudonymise")

    def record(self, *, used: bool) -> dict[str, Any]:
        """The policy as the manifest records it (never the key); ``used``: whether any person was met,
        so a key was needed (a run without persons reads the same with a key or without)."""
        key = ("throwaway" if self.throwaway else "dataset") if used else "not needed"
        return {"policy": dict(sorted(self.policy.items())), "key": key, "signatures": self.signatures,
                "redact_text": self.redact_text}


def pseudonym(key: bytes, kind: str, value: str) -> str:
    """The pseudonym of a user id (``kind`` 'user'), a username ('username'), or a name a source gives
    without any id ('name').

    >>> pseudonym(b"k", "user", "123"), pseudonym(b"k", "user", "123") == pseudonym(b"other", "user", "123")
    ('person:fhbfoy3ittgq', False)
    """
    digest = hmac.new(key, f"telegram-{kind}:{value}".encode(), hashlib.sha256).digest()
    return "person:" + base64.b32encode(digest).decode("ascii")[:12].lower()


def person(value: str | None) -> str | None:
    """The user id a field's value names ('user123' -> '123'), or None for anything else."""
    match = USER_ID.fullmatch(value) if value else None
    return match.group(1) if match else None


class Pseudonymise(Step):
    """Replace every identifier of a private person by their pseudonym, as ``privacy`` says."""

    name = "pseudonymise"

    def __init__(self, privacy: Privacy) -> None:
        super().__init__()
        self.privacy = privacy
        self.terms: set[str] = set()  # the persons' ids and names met: what must not be published

    def _pseudonym(self, kind: str, value: str, where: str) -> str:
        if self.privacy.key is None:
            raise UsageError(f"{where}: holds private persons (user accounts) and no pseudonym key is set: "
                             + KEY_HELP)
        return pseudonym(self.privacy.key, kind, value)

    def _apply(self, table: str, column: str, value: Any, replacement: str | None) -> Any:
        action = self.privacy.action(table, column)
        self.stats[f"{table}.{column}.{action}"] += 1
        return value if action == "keep" else replacement if action == "pseudonymise" else None

    def process(self, post: Post) -> Post:
        for id_field, name_field in (("channel_id", "channel"), ("author_id", "author"),
                                     ("forwarded_from_id", "forwarded_from"), ("reply_to_chat_id", None)):
            user = person(getattr(post, id_field))
            if user is None:
                continue
            alias = self._pseudonym("user", user, post.source_file)
            self.terms.add(getattr(post, id_field))
            setattr(post, id_field, self._apply("posts", id_field, getattr(post, id_field), alias))
            if name_field and getattr(post, name_field):
                self.terms.add(getattr(post, name_field))
                setattr(post, name_field, self._apply("posts", name_field, getattr(post, name_field), alias))
        self._unidentified(post)
        self._entities(post)
        if self.privacy.redact_text:
            post.text = self._redacted(post.text)
        return post

    def _unidentified(self, post: Post) -> None:
        """Names without an id: a sender the source names only (pseudonymised by the name: two persons
        of one name share a pseudonym), a forward from an account that hides itself, and a signature
        (kept as the channel's byline unless ``signatures`` says drop)."""
        if post.author_unidentified and post.author:
            self.terms.add(post.author)
            alias = self._pseudonym("name", post.author, post.source_file)
            post.author = self._apply("posts", "author", post.author, alias)
        if post.forwarded_from and post.forwarded_from_id is None and post.message_id is not None:
            self.terms.add(post.forwarded_from)
            post.forwarded_from = self._apply("posts", "forwarded_from", post.forwarded_from, HIDDEN)
        if post.author and post.author_id is not None and person(post.author_id) is None \
                and post.author != post.channel and self.privacy.signatures == "drop":
            post.author = None
            self.stats["signatures_dropped"] += 1

    def _entities(self, post: Post) -> None:
        for mention in post.mentions or []:
            if mention.username and not mention.user_id and mention.username.lower() == post.channel.lower():
                continue  # the channel's own handle: an organisation, named
            self._mention(mention, post.source_file)
        for link in post.links or []:
            match = USER_LINK.search(link.url or "")
            if match:
                self.terms.add(match.group(1))
                alias = self._pseudonym("user", match.group(1), post.source_file)
                link.url = self._apply("links", "url", link.url, USER_LINK.sub(f"tg://user?id={alias}", link.url))

    def _mention(self, mention: Mention, where: str) -> None:
        if mention.user_id:
            alias = self._pseudonym("user", mention.user_id, where)
            self.terms.update((mention.user_id, f"user{mention.user_id}", mention.shown_as))
            mention.user_id = self._apply("mentions", "user_id", mention.user_id, alias)
        elif mention.username:
            alias = self._pseudonym("username", mention.username.lower(), where)
            self.terms.update((mention.username, mention.shown_as))
            mention.username = self._apply("mentions", "username", mention.username, alias)
        else:
            return
        mention.shown_as = self._apply("mentions", "shown_as", mention.shown_as, alias)

    def _redacted(self, text: str) -> str:
        for kind, pattern in (("emails", EMAIL), ("phones", PHONE)):
            text, count = pattern.subn(lambda m: MASK * len(m.group(0)), text)
            self.stats[f"redacted_{kind}"] += count
        return text

    def reject(self, reject: Reject) -> None:
        action = self.privacy.action("rejects", "raw")
        if action == "keep":
            return
        reject.raw = "" if action == "drop" else self._scrubbed(reject.raw, reject.source_file)
        self.stats[f"rejects.raw.{action}"] += 1

    def _scrubbed(self, raw: str, where: str) -> str:
        """A reject's raw record without persons: in a JSON record, every value naming a person is
        replaced (by the pseudonym where an id gives one); elsewhere, every user id and every name
        met so far."""
        try:
            record = json.loads(raw)
        except ValueError:
            record = None
        if isinstance(record, dict):
            return json.dumps(self._scrub(record, where), ensure_ascii=False, sort_keys=True)
        text = USER_ID.sub(lambda m: self._pseudonym("user", m.group(1), where), raw)
        for term in sorted((t for t in self.terms if len(t) > 3), key=len, reverse=True):
            text = text.replace(term, HIDDEN)
        return text

    def _scrub(self, value: Any, where: str) -> Any:
        if isinstance(value, dict) and value.get("user_id") is not None:  # a mention by name: its text is the name
            user = str(value["user_id"])
            return {**{k: self._scrub(v, where) for k, v in value.items()}, "text": HIDDEN,
                    "user_id": self._pseudonym("user", user, where)}
        if isinstance(value, dict):
            return {k: HIDDEN if k in _NAME_KEYS and v else self._scrub(v, where) for k, v in value.items()}
        if isinstance(value, list):
            return [self._scrub(v, where) for v in value]
        if isinstance(value, str) and person(value):
            return self._pseudonym("user", person(value), where)
        return value
