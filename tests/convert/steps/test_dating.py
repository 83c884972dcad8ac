from datetime import UTC, date, datetime

import pytest

from corpus_tools.convert.steps.dating import InferDates, Period, mentioned_dates
from corpus_tools.core.records import Post
from corpus_tools.errors import UsageError

PERIOD = Period.parse("2025-04-03/2025-04-05")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(Moscow, April 3, 2025)", [date(2025, 4, 3)]),
        ("On April 4, Lavrov met", [date(2025, 4, 4)]),
        ("on 4 April, at 00:36", [date(2025, 4, 4)]),
        ("the 5th of April", [date(2025, 4, 5)]),
        ("On April 4, 1949, NATO was founded", []),  # history, outside the period
        ("On March 24 and 26, 2025", []),  # before the period
        ("representatives may not be invited", []),  # the verb is not the month
        ("Yesterday, on April 2, I sent a letter", [date(2025, 4, 3)]),
        ("Today, on 4 April, at 18:49", [date(2025, 4, 4)]),
        ("Tomorrow, April 6, talks begin", [date(2025, 4, 5)]),
        ("On February 30 nothing happened", []),
    ],
)
def test_mentioned_dates(text, expected):
    assert mentioned_dates(text, PERIOD) == expected


def test_period_parsing():
    assert str(Period.parse("2025-04-03/2025-04-05")) == "2025-04-03/2025-04-05"
    with pytest.raises(UsageError, match="ends before it starts"):
        Period.parse("2025-04-05/2025-04-03")
    with pytest.raises(UsageError, match="expected START/END"):
        Period.parse("April")


def _posts(*texts, channel="chan"):
    return [Post(channel=channel, text=t, source_file="f") for t in texts]


def test_dates_are_inferred_marked_and_never_decrease():
    posts = list(InferDates(PERIOD)(_posts("no date yet", "On April 4, x", "On April 3, y", "nothing", "April 5 z")))
    assert [p.published_at for p in posts] == [None] + [
        datetime(2025, 4, d, tzinfo=UTC) for d in (4, 4, 4, 5)]
    assert [p.date_source for p in posts] == [None, "inferred_from_text", "inferred_from_order",
                                              "inferred_from_order", "inferred_from_text"]
    assert {p.date_precision for p in posts[1:]} == {"day"}


def test_nothing_is_inferred_without_a_period_or_over_platform_dates():
    (undated,) = InferDates(None)(_posts("On April 4, x"))
    assert undated.published_at is None and undated.date_source is None
    exact = datetime(2025, 4, 3, 12, 30, tzinfo=UTC)
    post = Post(channel="c", text="On April 5", source_file="f", published_at=exact,
                date_precision="second", date_source="platform")
    (kept,) = InferDates(PERIOD)([post])
    assert kept.published_at == exact and kept.date_source == "platform"


def test_channels_are_dated_independently():
    step = InferDates(PERIOD)
    a, b = step(_posts("On April 5", channel="a") + _posts("On April 3", channel="b"))
    assert (a.published_at.day, b.published_at.day) == (5, 3)
