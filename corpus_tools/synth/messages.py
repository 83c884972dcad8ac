"""The messages of a synthetic channel or group, and how a chat is cut into segments.

A channel is made in segments of ``SEGMENT_POSTS`` posts, each from its own seeded stream (see
``posts.ChannelStream``), with its own range of message ids (a budget of ``ID_STRIDE`` ids a post:
unused ids are gaps, as deleted messages leave) and its own stretch of the period. Segments are
independent, so any number of processes can make them, and the corpus is the same bytes whatever
that number is.
"""

from __future__ import annotations

from dataclasses import dataclass

from .text import QUOTE, Paragraph, post_text

PERIOD_START = 1704067200  # 2024-01-01T00:00:00Z: the first channel is created then
PERIOD_END = 1767225600  # 2026-01-01T00:00:00Z: every date falls before it
SEGMENT_POSTS = 20_000
ID_STRIDE = 1.08  # message ids a segment may use per post: posts, service messages and gaps


@dataclass(frozen=True, slots=True)
class Channel:
    index: int
    id: int
    title: str
    posts: int


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of a channel's posts made by one stream: posts ``first_index`` onwards, message ids
    from ``first_id`` up to (not including) ``id_limit``, dates in ``[start, end)``."""

    channel: Channel
    number: int
    first_index: int
    posts: int
    first_id: int
    id_limit: int | None  # None: the last segment, unbounded
    start: int
    end: int


def segments(channel: Channel, size: int = SEGMENT_POSTS) -> list[Segment]:
    """The segments of ``channel``: fixed by its size alone, so the corpus never depends on how
    many processes make it.

    >>> [(s.first_index, s.posts, s.first_id, s.id_limit) for s in segments(Channel(0, 1, "C", 5), size=2)]
    [(0, 2, 2, 4), (2, 2, 4, 6), (4, 1, 6, None)]
    """
    start = PERIOD_START + channel.index * 3607  # channels created an hour apart
    per_post = (PERIOD_END - start) / (channel.posts + 1)
    count = -(-channel.posts // size)
    bounds = [2 + round(j * size * ID_STRIDE) for j in range(count + 1)]
    return [Segment(channel, j, j * size, min(size, channel.posts - j * size), bounds[j],
                    bounds[j + 1] if j + 1 < count else None, start + int(j * size * per_post),
                    start + int((j + 1) * size * per_post) if j + 1 < count else PERIOD_END)
            for j in range(count)]


@dataclass(frozen=True, slots=True)
class Person:
    """Someone who writes in a group chat (see ``persons``)."""

    user_id: int
    first_name: str
    last_name: str  # '' when the person gave none
    username: str | None  # without the '@'
    bot: bool
    handle: str  # the name in Latin letters, for e-mail addresses
    phone: str

    @property
    def name(self) -> str:
        """The display name, as Telegram shows it: first name, then last name."""
        return f"{self.first_name} {self.last_name}" if self.last_name else self.first_name


@dataclass(frozen=True, slots=True)
class Ref:
    """Another post of the channel: its message id and its 0-based position among the posts."""

    id: int
    index: int


@dataclass(frozen=True, slots=True)
class Forward:
    name: str
    channel_id: int | None  # None: forwarded from a person (user_id) or one who hides their account
    message_id: int | None
    date: int
    user_id: int | None = None  # forwarded from this person, who shows their account
    hidden_user: int | None = None  # forwarded from this person, who hides it: only the name shows


@dataclass(frozen=True, slots=True)
class Media:
    kind: str  # photo | video | document
    number: int  # for file names: the message id, unique in the channel
    width: int
    height: int
    size: int
    duration: int


@dataclass(slots=True)
class Post:
    id: int
    index: int
    date: int
    lang: str
    sep: str
    paragraphs: tuple[Paragraph, ...]  # empty for a media-only post
    media: Media | None = None
    forward: Forward | None = None
    reply: Ref | None = None
    excerpt: str | None = None  # the replied-to post's text start, as the web preview quotes it
    edit_date: int | None = None
    author: str | None = None
    sender: Person | None = None  # in a group: who wrote it
    views: int = 0
    forwards: int = 0
    reactions: tuple[tuple[str, int], ...] = ()
    copy_of: Ref | None = None
    copy_kind: str | None = None  # exact | near
    similarity: float | None = None  # Jaccard of a near copy with its source
    copied: bool = False  # has been a copy's source
    _text: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = post_text(self.paragraphs, self.sep)
        return self._text

    @property
    def has_quote(self) -> bool:
        return any(p.role == QUOTE for p in self.paragraphs)


@dataclass(frozen=True, slots=True)
class Service:
    id: int
    date: int
    action: str  # create_channel | create_group | pin_message | edit_group_photo
    title: str | None = None
    message_id: int | None = None
    actor: Person | None = None  # in a group: who did it
    members: tuple[Person, ...] = ()  # in a group's creation: who was in it


@dataclass(frozen=True, slots=True)
class Unsupported:
    """A message Telegram Desktop could not export: ``{id, type: unsupported}``; a gap elsewhere."""

    id: int
    date: int


Message = Post | Service | Unsupported
