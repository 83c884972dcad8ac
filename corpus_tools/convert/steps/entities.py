"""Extracting entities from post text for the side tables: hashtags, mentions, links, countries.

Each entity is recorded at its code-point offset in the canonical text, so a row points back to
the exact place it came from. Readers whose format marks entities (Telegram JSON, Telethon) fill
them themselves, and those are authoritative; this step fills only what is still None, from the
text: for links, URLs and the labels of links whose URL a flat-text scrape lost.
"""

from __future__ import annotations

import re
from functools import cache

from ...core.records import Link, Mention, Post
from ...core.telegram import ELLIPSIS, LOST_LINK_LABELS
from .base import Step

# Telegram hashtags: letters, digits and underscores after '#', not inside a word ('C#', 'a#b').
HASHTAG = re.compile(r"(?<![\w#])#(\w*[^\W\d]\w*)")
# Telegram usernames: 5-32 characters, starting with a letter, not inside an e-mail address.
MENTION = re.compile(r"(?<![\w@.])@([A-Za-z][A-Za-z0-9_]{4,31})\b")
URL = re.compile(r"\b(?:https?://|t\.me/|www\.)[^\s<>\"'«»“”]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?)]}" + ELLIPSIS
# A flag is two regional indicator symbols (U+1F1E6..U+1F1FF) spelling an ISO 3166-1 code.
FLAG = re.compile("[\U0001F1E6-\U0001F1FF]{2}")
REGIONAL_INDICATOR = re.compile("[\U0001F1E6-\U0001F1FF]")


def hashtags(text: str) -> list[tuple[int, str]]:
    """Hashtags without their '#', at their offsets.

    >>> hashtags("#RussiaAfrica and C# #Victory80")
    [(0, 'RussiaAfrica'), (21, 'Victory80')]
    """
    return [(m.start(), m.group(1)) for m in HASHTAG.finditer(text)]


def mentions(text: str) -> list[Mention]:
    """@username mentions at their offsets.

    >>> mentions("ask @MFARussia, not mail@example.org")
    [Mention(offset=4, shown_as='@MFARussia', username='MFARussia', user_id=None)]
    """
    return [Mention(m.start(), m.group(0), username=m.group(1)) for m in MENTION.finditer(text)]


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
    found: list[tuple[int, str]] = []
    if text.isascii() or not REGIONAL_INDICATOR.search(text):  # fast exits: a one-character search is
        return found  # five times cheaper than the two-character pattern, and most posts have no flag
    for m in FLAG.finditer(text):
        code = "".join(chr(ord(c) - 0x1F1E6 + ord("A")) for c in m.group(0))
        if country_name(code):
            found.append((m.start(), code))
    return found


def lost_links(text: str) -> list[Link]:
    r"""Lines that are only a link label whose URL was lost ('📎Read in full'), as url-less links.

    >>> [(link.offset, link.label) for link in lost_links("Head\n📎Read in full\nRead in full, please")]
    [(6, 'Read in full')]
    """
    found, position = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        start = next((i for i, c in enumerate(stripped) if c.isalnum()), len(stripped))
        if stripped[start:] in LOST_LINK_LABELS:
            found.append(Link(url=None, label=stripped[start:], offset=position + line.index(stripped) + start))
        position += len(line) + 1
    return found


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
        if post.links is None:
            found = lost_links(text) + [Link(url=url, offset=offset) for offset, url in urls(text)]
            post.links = sorted(found, key=lambda link: link.offset or 0)
        for kind in ("hashtags", "mentions", "countries", "links"):
            self.stats[kind] += len(getattr(post, kind))
        return post
