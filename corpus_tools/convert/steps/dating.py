"""Dating posts that carry no timestamp, from the dates their text mentions.

A text dump has no publication times, but posts mention dates ("(Moscow, April 3, 2025)",
"On April 3", "on 4 April") and a channel posts in chronological order. A post reports what has
happened, so a date it mentions is a lower bound on when it was published; the latest mention inside
the collection period, carried forward through the channel's order, is the earliest day consistent
with the evidence. 'Today'/'yesterday'/'tomorrow' next to a date shift it to the day of posting.

Such a date is always marked: ``date_precision`` 'day', ``date_source`` 'inferred_from_text' (the
post's own text gave it) or 'inferred_from_order' (an earlier post did), and never poses as a
platform timestamp. Without a collection period nothing is inferred: a year-less "April 3" cannot
be placed, and dates outside the period (anniversaries, history) are not publication dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from ...core.records import Post
from ...errors import UsageError
from .base import Step

_MONTHS = {
    name: number
    for number, names in enumerate(
        [("January", "Jan"), ("February", "Feb"), ("March", "Mar"), ("April", "Apr"), ("May",),
         ("June", "Jun"), ("July", "Jul"), ("August", "Aug"), ("September", "Sep", "Sept"),
         ("October", "Oct"), ("November", "Nov"), ("December", "Dec")],
        start=1,
    )
    for name in names
}
# Month names are matched capitalised only, so the verb "may" is not a month.
_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>\d{4}))?"
_RELATIVE = r"(?:(?P<relative>[Tt]oday|[Yy]esterday|[Tt]omorrow),?\s+(?:on\s+)?)?"
_DATE_PATTERNS = [
    re.compile(_RELATIVE + r"\b" + _MONTH + r"\s+" + _DAY + r"\b" + _YEAR),
    re.compile(_RELATIVE + r"\b" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r"\b" + _YEAR),
]
_SHIFT = {"today": 0, "yesterday": 1, "tomorrow": -1}


@dataclass(frozen=True)
class Period:
    """The collection period of a corpus, both ends inclusive (ISO 8601 'START/END')."""

    start: date
    end: date

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read 'START/END'; a malformed or reversed period is a UsageError.

        >>> Period.parse("2025-04-03/2025-04-05").end
        datetime.date(2025, 4, 5)
        """
        try:
            start_text, end_text = text.split("/")
            period = cls(date.fromisoformat(start_text), date.fromisoformat(end_text))
        except ValueError:
            raise UsageError(f"period {text!r}: expected START/END as ISO dates, e.g. 2025-04-03/2025-04-05") from None
        if period.end < period.start:
            raise UsageError(f"period {text!r}: ends before it starts")
        return period

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return f"{self.start.isoformat()}/{self.end.isoformat()}"


def mentioned_dates(text: str, period: Period) -> list[date]:
    """Calendar dates the text mentions that fall inside ``period``, as days of posting.

    A year-less date takes the period's year that places it inside the period.

    >>> p = Period.parse("2025-04-03/2025-04-05")
    >>> mentioned_dates("On April 3, 1949 and on 4 April; yesterday, on April 2", p)
    [datetime.date(2025, 4, 4), datetime.date(2025, 4, 3)]
    """
    found = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            day = _resolve(match, period)
            if day is not None and day in period:
                found.append((match.start(), day))
    return [day for _, day in sorted(found)]


def _resolve(match: re.Match[str], period: Period) -> date | None:
    month, day = _MONTHS[match["month"]], int(match["day"])
    years = [int(match["year"])] if match["year"] else sorted({period.start.year, period.end.year})
    shift = _SHIFT[match["relative"].lower()] if match["relative"] else 0
    candidates = []
    for year in years:
        try:
            candidates.append(date(year, month, day) + timedelta(days=shift))
        except ValueError:  # "February 30"
            continue
    inside = [c for c in candidates if c in period]
    return inside[0] if inside else (candidates[0] if candidates else None)


class InferDates(Step):
    """Date posts without a timestamp from their text and the channel's order (see module doc)."""

    name = "infer_dates"

    def __init__(self, period: Period | None) -> None:
        super().__init__()
        self.period = period
        self._latest: dict[str, date] = {}  # per channel: the day the previous post was dated

    def process(self, post: Post) -> Post:
        if post.published_at is not None or self.period is None:
            return post
        own = max(mentioned_dates(post.text, self.period), default=None)
        carried = self._latest.get(post.channel)
        if own is not None and (carried is None or own >= carried):
            day, source = own, "inferred_from_text"
        elif carried is not None:
            day, source = carried, "inferred_from_order"
        else:
            self.stats["undated"] += 1
            return post
        self._latest[post.channel] = day
        post.published_at = datetime(day.year, day.month, day.day, tzinfo=UTC)
        post.date_precision = "day"
        post.date_source = source
        self.stats[source] += 1
        return post
