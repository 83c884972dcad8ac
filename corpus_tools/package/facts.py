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

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..convert.parquet import ROW_GROUP_SIZE
from ..core.batches import batches

TOP_HASHTAGS = 10
MAX_BARS = 62  # periods a figure or a table of counts shows before it moves to a coarser unit


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


def calendar_bins(days: list[tuple[date, int]]) -> tuple[str, list[tuple[str, int]]]:
    """Posts per day, or, over a longer span, per week (labelled by its Monday, ISO weeks) or per
    month: the unit and each period's label and count. A figure of two years of days has 730 bars
    and unreadable labels (and takes matplotlib seconds to draw); a table of them buries the card.

    >>> calendar_bins([(date(2025, 4, 3), 4), (date(2025, 4, 4), 15)])
    ('day', [('2025-04-03', 4), ('2025-04-04', 15)])
    >>> calendar_bins([(date(2025, 1, 1) + timedelta(d), 1) for d in range(100)])[1][:2]
    [('2024-12-30', 5), ('2025-01-06', 7)]
    """
    if len(days) <= MAX_BARS:
        return "day", [(day.isoformat(), count) for day, count in days]
    weekly = len(days) <= MAX_BARS * 7
    unit = "week" if weekly else "month"
    counts: Counter = Counter()
    for day, count in days:
        start = day - timedelta(day.weekday()) if weekly else day.replace(day=1)
        counts[start.isoformat()[:10 if weekly else 7]] += count
    return unit, sorted(counts.items())


def channel_coverage(posts: pa.Table) -> list[dict[str, Any]]:
    """Per channel: its posts and the first and last day they were published (null when undated).

    >>> channel_coverage(pa.table({"channel": ["c"], "day": pa.array([None], pa.date32())}))
    [{'name': 'c', 'posts': 1, 'firstDay': None, 'lastDay': None}]
    """
    return _coverage([_channel_days(posts)])


def _channel_days(posts: pa.Table) -> pa.Table:
    """A batch's part of the coverage: per channel, its posts and first and last days."""
    return posts.group_by("channel").aggregate([([], "count_all"), ("day", "min"), ("day", "max")])


def _coverage(parts: list[pa.Table]) -> list[dict[str, Any]]:
    """The coverage of the batches whose ``_channel_days`` are ``parts``, channel by channel."""
    if not parts:
        return []
    grouped = pa.concat_tables(parts).group_by("channel").aggregate(
        [("count_all", "sum"), ("day_min", "min"), ("day_max", "max")])
    rows = sorted(grouped.to_pylist(), key=lambda row: row["channel"])
    return [{"name": row["channel"], "posts": row["count_all_sum"],
             "firstDay": row["day_min_min"].isoformat() if row["day_min_min"] else None,
             "lastDay": row["day_max_max"].isoformat() if row["day_max_max"] else None} for row in rows]


def _counts(values: pa.Array) -> Counter:
    """How often each value occurs (nulls left out), computed in Arrow: tables can be millions of rows."""
    return Counter({item["values"]: item["counts"] for item in pc.value_counts(values.drop_null()).to_pylist()})


def _batches(path: Path, columns: list[str]):
    """The columns of the Parquet file at ``path``, a row group's worth at a time: the facts of ten
    million posts, read whole, took gigabytes of the driver (benchmarks/NOTES.md)."""
    return batches(path, batch_size=ROW_GROUP_SIZE, columns=columns)


def read_facts(tables: dict[str, Path], *, period: tuple[date, date] | None = None, top: int = TOP_HASHTAGS) -> Facts:
    """The facts of the tables at ``tables`` (name -> Parquet file); ``period`` is the collection
    window, whose days are shown even when no post was published on them. Memory stays a batch's.

    Example: ``read_facts({"posts": Path("data/posts.parquet")}).rows["posts"]``
    """
    facts = Facts(rows={name: pq.ParquetFile(path).metadata.num_rows for name, path in tables.items()})
    if "posts" in tables:
        _add_post_facts(facts, tables["posts"], period)
    if "hashtags" in tables:
        tags: Counter = Counter()
        for batch in _batches(tables["hashtags"], ["hashtag"]):
            tags.update(_counts(batch.column(0)))
        facts.hashtags = sorted(tags.items(), key=lambda item: (-item[1], item[0]))[:top]
    return facts


def _add_post_facts(facts: Facts, path: Path, period: tuple[date, date] | None) -> None:
    """The posts' days, undated posts, date sources and channels, batch after batch, into ``facts``."""
    has_source = "date_source" in pq.read_schema(path).names
    days, sources, parts = Counter(), Counter(), []
    for batch in _batches(path, ["channel", "published_at"] + (["date_source"] if has_source else [])):
        day = pc.cast(batch.column("published_at"), pa.date32())  # UTC calendar days
        days.update(_counts(day))
        facts.undated += day.null_count
        source = batch.column("date_source") if has_source else pa.nulls(len(day), pa.string())
        sources.update(_counts(pc.fill_null(source, "undated")))
        parts.append(_channel_days(pa.table({"channel": batch.column("channel"), "day": day})))
    facts.days = _day_range(days, period)
    facts.date_sources = dict(sorted(sources.items()))
    facts.channels = _coverage(parts)
