"""Stopping a run whose input is not what the user thinks it is: ``--max-rejects``."""

from __future__ import annotations

from ...core.records import Reject
from ...errors import DataError
from .base import Step


def too_many_rejects(limit: int, latest: Reject) -> DataError:
    """The error of a run that rejected more than ``limit`` records, naming the latest."""
    return DataError(f"more than {limit} records rejected ({{max_rejects}}); the latest: "
                     f"{latest.source_file} {latest.location}: {latest.reason}", options=["max_rejects"])


class LimitRejects(Step):
    """Fail the run once more than ``limit`` records have been rejected: past a point, rejects mean
    the input is not what the user thinks it is."""

    name = "limit_rejects"
    counts_posts = False

    def __init__(self, limit: int | None) -> None:
        super().__init__()
        self.limit = limit

    def reject(self, reject: Reject) -> None:
        self.stats["rejects"] += 1
        if self.limit is not None and self.stats["rejects"] > self.limit:
            raise too_many_rejects(self.limit, reject)
