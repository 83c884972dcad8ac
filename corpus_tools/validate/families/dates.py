"""Dates: publication times that are possible, inside the declared coverage, and in channel order.

- ``posts.published_at.not_future``: no post is published after the validation runs.
- ``posts.published_at.in_coverage``: every date falls inside the declared temporal coverage
  (``temporalCoverage``, or a converted folder's period; a date as the end means that whole day).
  Without a declared coverage the check is reported as skipped, not passed.
- ``posts.edited_at.not_before_published``: an edit comes at or after publication.
- ``posts.published_at.channel_order``: within a channel, dates do not decrease as message ids rise
  (source order, i.e. row order, for a channel whose posts lack numeric message ids). Each post is
  compared with the latest dated post before it, given as the computed column
  ``published_at__previous``; the check fails for the post whose date goes back.
- That ``published_at`` is UTC is the file check: its type is ``timestamp[us, tz=UTC]``.

The bounds of the first two are GX suite parameters (``$PARAMETER``: now, coverage_start,
coverage_end), so the saved suites stay the same from run to run. The shares of posts by
``date_source`` (inferred or missing dates included) are reported as statistics.

>>> previous_in_order(np.array([0, 0, 0, 1]), np.array([1, 2, 3, 1]), np.array([True, False, True, True])).tolist()
[-1, 0, 0, -1]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..base import Family, Spec, Store

PARAMETERS = ("now", "coverage_start", "coverage_end")


def previous_in_order(group: np.ndarray, order_key: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """For each row, the latest earlier row (by ``order_key``, then row) of its group that is ``valid``, or -1."""
    if group.size == 0:
        return np.zeros(0, np.int64)
    rows = np.arange(group.size)
    order = np.lexsort((rows, order_key, group))
    marks = np.where(valid[order], np.arange(order.size), -1)
    last = np.maximum.accumulate(marks)
    previous = np.concatenate(([-1], last[:-1]))
    starts = np.searchsorted(group[order], group[order], side="left")  # first position of each row's group
    previous[previous < starts] = -1
    result = np.full(group.size, -1, np.int64)
    result[order] = np.where(previous >= 0, order[np.maximum(previous, 0)], -1)
    return result


def _order_key(store: Store, channels: np.ndarray) -> np.ndarray:
    """Message ids where a channel numbers every post, else the row (source) order."""
    message_id = store.column("posts", "message_id")
    numeric = pc.fill_null(pc.utf8_is_digit(message_id), False).to_numpy(zero_copy_only=False)
    numbers = np.zeros(numeric.size, np.int64)
    if numeric.any():
        numbers[numeric] = pc.cast(message_id.filter(pa.array(numeric)), pa.int64()).to_numpy()
    unnumbered = np.bincount(channels[~numeric], minlength=channels.max() + 1 if channels.size else 0)
    by_id = unnumbered[channels] == 0 if channels.size else numeric
    return np.where(by_id, numbers, np.arange(numeric.size))


class Dates(Family):
    name = "dates"

    def __init__(self, schemas, config) -> None:
        super().__init__(schemas, config)
        self._stats: dict = {}

    def specs(self) -> list[Spec]:
        return [
            self.spec("posts.published_at.not_future", "posts", "ExpectColumnValuesToBeBetween",
                      {"column": "published_at", "max_value": {"$PARAMETER": "now"}},
                      "no post is published after the validation runs"),
            self.spec("posts.published_at.in_coverage", "posts", "ExpectColumnValuesToBeBetween",
                      {"column": "published_at", "min_value": {"$PARAMETER": "coverage_start"},
                       "max_value": {"$PARAMETER": "coverage_end"}, "strict_max": True},
                      "every post is published inside the declared temporal coverage"),
            self.spec("posts.edited_at.not_before_published", "posts", "ExpectColumnPairValuesAToBeGreaterThanB",
                      {"column_A": "edited_at", "column_B": "published_at", "or_equal": True,
                       "ignore_row_if": "either_value_is_missing"}, "no post is edited before it is published"),
            self.spec("posts.published_at.channel_order", "posts", "ExpectColumnPairValuesAToBeGreaterThanB",
                      {"column_A": "published_at", "column_B": "published_at__previous", "or_equal": True,
                       "ignore_row_if": "either_value_is_missing"},
                      "within a channel, dates do not decrease as message ids (or source order) rise"),
        ]

    def columns(self, store: Store) -> dict[str, dict[str, pa.Array]]:
        published = store.column("posts", "published_at")
        channels = np.asarray(pc.dictionary_encode(pc.fill_null(store.column("posts", "channel"), "")).indices,
                              np.int64)
        previous = previous_in_order(channels, _order_key(store, channels), published.is_valid().to_numpy(
            zero_copy_only=False))
        self._stats = _date_statistics(store)
        taken = published.take(pa.array(np.maximum(previous, 0)))
        return {"posts": {"published_at__previous": pc.if_else(pa.array(previous >= 0), taken,
                                                               pa.scalar(None, published.type))}}

    def statistics(self) -> dict:
        return {"dates": self._stats}


def _date_statistics(store: Store) -> dict:
    return date_statistics(Counter(store.column("posts", "date_source").to_pylist()))


def date_statistics(sources: Mapping[str | None, int]) -> dict:
    """From the posts' count by date source (both engines call this): how many posts have each, and
    the share whose date is inferred or missing."""
    total = sum(sources.values())
    inferred = sum(n for s, n in sources.items() if s != "platform")
    counts = {("missing" if s is None else s): n for s, n in sorted(sources.items(), key=lambda i: str(i[0]))}
    return {"date_source": counts, "inferred_or_missing_share": round(inferred / total, 6) if total else 0.0}
