"""The shape every pipeline step shares: records in, records out.

Readers produce ``Post`` and ``Reject`` records; steps refine posts (``process``) and may look at
rejects (``reject``), so a step writes only what it does. Each step counts what it did in ``stats``
(saved in the convert manifest), so a researcher can see how many posts each rule touched.

``chain`` runs every step on one record before reading the next: one loop rather than a generator
per step, which matters at millions of posts, and still streaming (one record in memory at a time).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from ...core.records import Post, Record, Reject


class Step:
    """A pipeline step. Subclasses set ``name`` and implement ``process`` (and ``reject`` if they
    care about rejected records)."""

    name = "step"
    counts_posts = True  # record how many posts passed through, in ``stats["posts"]``

    def __init__(self) -> None:
        self.stats: Counter[str] = Counter()

    def process(self, post: Post) -> Post:
        return post

    def reject(self, reject: Reject) -> None:
        """See a rejected record pass by (most steps have nothing to do with it)."""

    def __call__(self, records: Iterable[Record]) -> Iterator[Record]:
        """Run this step alone over a stream of records."""
        return chain(records, [self])


def chain(records: Iterable[Record], steps: list[Step]) -> Iterator[Record]:
    """Run ``records`` through ``steps`` in order, lazily, one record at a time."""
    counting = [step for step in steps if step.counts_posts]
    for record in records:
        if isinstance(record, Post):
            for step in counting:
                step.stats["posts"] += 1
            for step in steps:
                record = step.process(record)
        else:
            for step in steps:
                step.reject(record)
        yield record
