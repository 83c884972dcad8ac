"""Facts about a version's data that its descriptor and data card state: row counts, the channels
covered, posts per day, publication-date sources and the most frequent hashtags. Read from the
Parquet tables (only the columns needed), so they always describe the files published with them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

TOP_HASHTAGS = 10


@dataclass
class Facts:
    rows: dict[str, int]
    days: list[tuple[date, int]] = field(default_factory=list)
    undated: int = 0
    date_sources: dict[str, int] = field(default_factory=dict)
    hashtags: list[tuple[str, int]] = field(default_factory=list)
    channels: list[dict[str, Any]] = field(default_factory=list)


def _day_range(dated: Counter, period: tuple[date, date] | None) -> list[tuple[date, int]]:
    ends = list(dated) + (list(period) if period else [])
    if not ends:
        return []
    first, last = min(ends), max(ends)
    return [(first + timedelta(d), dated.get(first + timedelta(d), 0)) for d in range((last - first).days + 1)]


def channel_coverage(posts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per channel: its posts and the first and last day they were published (null when undated).

    >>> channel_coverage([{"channel": "c", "published_at": None}])
    [{'name': 'c', 'posts': 1, 'firstDay': None, 'lastDay': None}]
    """
    by_channel: dict[str, list[date]] = {}
    counts: Counter = Counter()
    for post in posts:
        counts[post["channel"]] += 1
        if post["published_at"] is not None:
            by_channel.setdefault(post["channel"], []).append(post["published_at"].date())
    return [{"name": name, "posts": counts[name],
             "firstDay": min(by_channel[name]).isoformat() if name in by_channel else None,
             "lastDay": max(by_channel[name]).isoformat() if name in by_channel else None}
            for name in sorted(counts)]


def read_facts(tables: dict[str, Path], *, period: tuple[date, date] | None = None, top: int = TOP_HASHTAGS) -> Facts:
    """The facts of the tables at ``tables`` (name -> Parquet file); ``period`` is the collection
    window, whose days are shown even when no post was published on them.

    Example: ``read_facts({"posts": Path("data/posts.parquet")}).rows["posts"]``
    """
    facts = Facts(rows={name: pq.ParquetFile(path).metadata.num_rows for name, path in tables.items()})
    if "posts" in tables:
        columns = ["channel", "published_at"] + (["date_source"] if "date_source" in pq.read_schema(tables["posts"]).names else [])
        posts = pq.read_table(tables["posts"], columns=columns).to_pylist()
        dated = Counter(p["published_at"].date() for p in posts if p["published_at"] is not None)
        facts.days = _day_range(dated, period)
        facts.undated = sum(1 for p in posts if p["published_at"] is None)
        facts.date_sources = dict(sorted(Counter(p.get("date_source") or "undated" for p in posts).items()))
        facts.channels = channel_coverage(posts)
    if "hashtags" in tables:
        tags = Counter(pq.read_table(tables["hashtags"], columns=["hashtag"]).column("hashtag").to_pylist())
        facts.hashtags = sorted(tags.items(), key=lambda item: (-item[1], item[0]))[:top]
    return facts
