"""package.facts: what the descriptor and the data card state about the bundled corpus's tables -
row counts, posts per day (days without posts included), date sources, hashtags, channels."""

from datetime import date

from corpus_tools.package.facts import read_facts
from tests.package.conftest import DESCRIPTOR, TABLES


def test_facts_of_the_bundled_corpus():
    facts = read_facts(TABLES, period=(date(2025, 4, 3), date(2025, 4, 5)))
    assert facts.rows == {"posts": 20, "countries": 15, "hashtags": 19, "links": 6, "mentions": 0, "poll_options": 0,
                          "polls": 0, "post_sources": 20, "reactions": 0, "rejects": 0}
    assert facts.days == [(date(2025, 4, 3), 4), (date(2025, 4, 4), 15), (date(2025, 4, 5), 1)]
    assert facts.date_sources == {"inferred_from_order": 10, "inferred_from_text": 10}
    assert facts.hashtags[:2] == [("RussiaAfrica", 4), ("Think4Yourself", 2)] and len(facts.hashtags) == 10
    assert facts.channels == DESCRIPTOR["channelCoverage"]


def test_the_period_shows_days_without_posts():
    facts = read_facts({"posts": TABLES["posts"]}, period=(date(2025, 4, 1), date(2025, 4, 6)))
    assert [d.isoformat() for d, _ in facts.days][:3] == ["2025-04-01", "2025-04-02", "2025-04-03"]
    assert facts.days[0][1] == 0 and len(facts.days) == 6
