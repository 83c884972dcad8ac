"""The shape every pipeline step shares: consume an iterator of records, yield records.

Readers produce ``Post`` and ``Reject`` records; steps refine posts and pass rejects through
untouched, so a step only writes ``process(post)``. Each step counts what it did in ``stats``
(saved in the convert manifest), so a researcher can see how many posts each rule touched.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from .errors import DataError
from .records import Post, Reject

Record = Post | Reject


class Step:
    """A pipeline step. Subclasses set ``name`` and implement ``process``."""

    name = "step"

    def __init__(self) -> None:
        self.stats: Counter[str] = Counter()

    def process(self, post: Post) -> Post:
        raise NotImplementedError

    def __call__(self, records: Iterable[Record]) -> Iterator[Record]:
        for record in records:
            if isinstance(record, Post):
                self.stats["posts"] += 1
                yield self.process(record)
            else:
                yield record


def chain(records: Iterable[Record], steps: Iterable[Step]) -> Iterator[Record]:
    """Run ``records`` through ``steps`` in order, lazily."""
    stream: Iterator[Record] = iter(records)
    for step in steps:
        stream = step(stream)
    return stream


class LimitRejects(Step):
    """Fail the run once more than ``limit`` records have been rejected (``--max-rejects``): past a
    point, rejects mean the input is not what the user thinks it is."""

    name = "limit_rejects"

    def __init__(self, limit: int | None) -> None:
        super().__init__()
        self.limit = limit

    def __call__(self, records: Iterable[Record]) -> Iterator[Record]:
        for record in records:
            if isinstance(record, Reject):
                self.stats["rejects"] += 1
                if self.limit is not None and self.stats["rejects"] > self.limit:
                    raise DataError(
                        f"more than {self.limit} records rejected (--max-rejects); the latest: "
                        f"{record.source_file} {record.location}: {record.reason}"
                    )
            yield record
