"""Extracting entities from post text for the side tables: hashtags, mentions, links, countries.

Each entity is recorded at its code-point offset in the canonical text, so a row points back to
the exact place it came from. Readers whose format carries entities (Telegram JSON) fill them
themselves; this step fills only what is still missing (None).
"""

from __future__ import annotations

import re
from functools import cache

from .pipeline import Step
from .records import Link, Post

# Telegram hashtags: letters, digits and underscores after '#', not inside a word ('C#', 'a#b').
HASHTAG = re.compile(r"(?<![\w#])#(\w*[^\W\d]\w*)")
# Telegram usernames: 5-32 characters, starting with a letter, not inside an e-mail address.
MENTION = re.compile(r"(?<![\w@.])@([A-Za-z][A-Za-z0-9_]{4,31})\b")
URL = re.compile(r"\b(?:https?://|t\.me/|www\.)[^\s<>\"'«»“”]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?)]}…"
# A flag is two regional indicator symbols (U+1F1E6..U+1F1FF) spelling an ISO 3166-1 code.
FLAG = re.compile("[\U0001F1E6-\U0001F1FF]{2}")


def hashtags(text: str) -> list[tuple[int, str]]:
    """Hashtags without their '#', at their offsets.

    >>> hashtags("#RussiaAfrica and C# #Victory80")
    [(0, 'RussiaAfrica'), (21, 'Victory80')]
    """
    return [(m.start(), m.group(1)) for m in HASHTAG.finditer(text)]


def mentions(text: str) -> list[tuple[int, str]]:
    """Mentioned usernames without their '@', at their offsets.

    >>> mentions("ask @MFARussia, not mail@example.org")
    [(4, 'MFARussia')]
    """
    return [(m.start(), m.group(1)) for m in MENTION.finditer(text)]


def urls(text: str) -> list[tuple[int, str]]:
    """URLs at their offsets, without the punctuation that ends the sentence around them.

    >>> urls("see https://mid.ru/en/foreign_policy/news/1. Then t.me/MFARussia)")
    [(4, 'https://mid.ru/en/foreign_policy/news/1'), (50, 't.me/MFARussia')]
    """
    return [(m.start(), m.group(0).rstrip(_URL_TRAILING)) for m in URL.finditer(text)]


# Flags Unicode defines for codes ISO 3166-1 reserves exceptionally rather than assigns.
_RESERVED_FLAGS = {"EU": "European Union", "UN": "United Nations"}


@cache
def country_name(code: str) -> str | None:
    """ISO 3166-1 short name for an alpha-2 code, or None when no country has it.

    >>> country_name("NE"), country_name("QQ")
    ('Niger', None)
    """
    import pycountry  # its database loads on first use; most commands never need it

    country = pycountry.countries.get(alpha_2=code)
    return country.name if country else _RESERVED_FLAGS.get(code)


def flags(text: str) -> list[tuple[int, str]]:
    """Country codes spelled by flag emoji, in order; pairs that spell no country are skipped.
    Pairs are read left to right, so the run '🇷🇺🇳🇪' is RU then NE, never the middle pair 'UN'.

    >>> flags("🇷🇺🇳🇪 On April 3 🇶🇶")
    [(0, 'RU'), (2, 'NE')]
    """
    found = []
    for m in FLAG.finditer(text):
        code = "".join(chr(ord(c) - 0x1F1E6 + ord("A")) for c in m.group(0))
        if country_name(code):
            found.append((m.start(), code))
    return found


def locate_labels(text: str, links: list[Link]) -> None:
    """Give each label-only link the offset of its label, searching forward in text order."""
    position = 0
    for link in links:
        if link.offset is None and link.label:
            found = text.find(link.label, position)
            if found >= 0:
                link.offset, position = found, found + len(link.label)


class ExtractEntities(Step):
    """Fill the post's hashtags, mentions, countries and links from its text where still None."""

    name = "extract_entities"

    def process(self, post: Post) -> Post:
        text = post.text
        if post.hashtags is None:
            post.hashtags = hashtags(text)
        if post.mentions is None:
            post.mentions = mentions(text)
        if post.countries is None:
            post.countries = flags(text)
        links = post.links if post.links is not None else []
        locate_labels(text, links)
        if not any(link.url for link in links):
            links.extend(Link(url=url, offset=offset) for offset, url in urls(text))
        post.links = sorted(links, key=lambda link: (link.offset is None, link.offset or 0))
        for kind in ("hashtags", "mentions", "countries", "links"):
            self.stats[kind] += len(getattr(post, kind))
        return post
