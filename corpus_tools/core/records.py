"""The record types that flow through the pipeline: readers yield them, steps refine them, writers store them.

One ``Post`` type serves every source format, so every later stage (normalisation, dating, tables,
validation) is written once. A reader fills what its format has and leaves the rest at the defaults.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

Row = dict[str, Any]  # one row of a table: column name -> value


@dataclass
class Link:
    """A link in a post: ``url`` is None when the source kept only its label ('Read in full')."""

    url: str | None
    label: str | None = None
    offset: int | None = None  # code-point offset in the final text; located by the entities step


@dataclass
class Mention:
    """A mention: '@username', or a name the source links to a user id (mention by name)."""

    offset: int
    shown_as: str
    username: str | None = None
    user_id: str | None = None


@dataclass
class PollOption:
    """One option of a poll: its text (None when the source gives only results), votes and percent."""

    text: str | None
    votes: int | None = None
    percent: int | None = None


@dataclass
class Poll:
    """A poll: its question, whether it was closed, the total of voters and its options in order."""

    question: str
    options: list[PollOption] = field(default_factory=list)
    closed: bool | None = None
    total_voters: int | None = None
    total_voters_approximate: bool = False


@dataclass(kw_only=True)
class Post:
    """One post as it moves through the pipeline. Its fields are the columns of
    ``schemas/posts.schema.json``, in order, each of the declared type and nullable as declared (a test
    holds them to it), then the entities that feed the side tables."""

    post_id: str | None = None  # required in the table: convert's ids step names every post
    channel: str
    channel_id: str | None = None
    message_id: str | None = None
    text: str
    published_at: datetime | None = None
    date_precision: str | None = None
    date_source: str | None = None
    published_local: str | None = None
    edited_at: datetime | None = None
    last_seen_at: datetime | None = None  # filled by convert's merge, from the inputs' collection times
    edited_local: str | None = None
    is_edited: bool | None = None
    author: str | None = None
    author_id: str | None = None
    forwarded_from: str | None = None
    forwarded_from_id: str | None = None
    reply_to_author: str | None = None
    reply_to_excerpt: str | None = None
    reply_to_message_id: str | None = None
    reply_to_chat_id: str | None = None
    reply_to_post_id: str | None = None
    topic_id: str | None = None
    topic_title: str | None = None
    has_media: bool = False
    media_type: str | None = None
    views: int | None = None
    views_approximate: bool = False
    forwards: int | None = None
    is_truncated: bool = False
    source_file: str
    source_line_start: int | None = None
    source_line_end: int | None = None
    # Side-table entities. None means "not extracted yet": the entities step fills them from the
    # text; a reader whose format carries entities (Telegram JSON) fills them itself.
    hashtags: list[tuple[int, str]] | None = None
    mentions: list[Mention] | None = None
    countries: list[tuple[int, str]] | None = None
    links: list[Link] | None = None
    # (reaction, count), or (reaction, count, True) for a count the source rounded ('2.49K')
    reactions: list[tuple[str, int] | tuple[str, int, bool]] = field(default_factory=list)
    poll: Poll | None = None  # the polls and poll_options tables
    # The author is a person the source names but gives no id of (a group member in an HTML export):
    # the privacy step pseudonymises the name itself, since there is no id to key on.
    author_unidentified: bool = False


@dataclass
class Reject:
    """An input record that could not become a post, kept with the reason (the rejects table)."""

    source_file: str
    location: str
    reason: str
    raw: str


Record = Post | Reject


def counted(records: Iterable[Record], counts: Counter) -> Iterator[Record]:
    """Pass ``records`` on, counting them in ``counts`` as 'posts' and 'rejects'."""
    for record in records:
        counts["posts" if isinstance(record, Post) else "rejects"] += 1
        yield record


@dataclass
class LineUsage:
    """How every line of a text input was used; the counts add up to the file's line count."""

    categories = (
        "post_text",
        "merged_duplicate",
        "interface_string",
        "forward_header",
        "reply_quote",
        "blank",
        "rejected",
    )
    counts: Counter = field(default_factory=Counter)

    def add(self, category: str, n: int = 1) -> None:
        if category not in self.categories:
            raise ValueError(f"unknown line category {category!r}")
        self.counts[category] += n

    def as_dict(self) -> dict[str, int]:
        return {c: self.counts.get(c, 0) for c in self.categories}

    @property
    def total(self) -> int:
        return sum(self.counts.values())
