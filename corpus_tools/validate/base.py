"""The shapes every family of checks shares: ``Spec`` (a check before it runs), ``CheckResult`` (what it
found), ``Family`` (a module's checks and the columns it computes for them) and ``Store`` (the columns
read so far).

A ``Spec`` is plain data: the GX expectation it becomes (class name and keyword arguments, JSON-able),
its stable id, severity and a one-line description. Families return specs; ``suites`` turns them into
GX suites, so the saved suite JSON and the running suite come from the same values.

>>> spec = Spec(id="posts.post_id.unique", table="posts", family="duplicates",
...             expectation="ExpectColumnValuesToBeUnique", kwargs={"column": "post_id"},
...             description="no two posts share a post_id")
>>> spec.columns
('post_id',)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import pyarrow as pa
import pyarrow.parquet as pq

from ..core.schema import TableSchema

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"


@dataclass(frozen=True)
class Spec:
    """One expectation: ``kwargs`` name the (declared or computed) columns it reads."""

    id: str
    table: str
    family: str
    expectation: str  # a class of great_expectations.expectations, or "file" for the file checks
    kwargs: dict[str, Any]
    description: str
    severity: str = "error"
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns the expectation reads (row conditions included)."""
        names = [self.kwargs.get(k) for k in ("column", "column_A", "column_B")]
        names += self.kwargs.get("column_list", [])
        condition = self.kwargs.get("row_condition")
        if condition:
            names.append(condition["column"]["name"])
        return tuple(dict.fromkeys(n for n in names if n))


def spec_columns(specs: list[Spec]) -> list[str]:
    """The columns ``specs`` read, each once, in the order they first name them."""
    return list(dict.fromkeys(c for s in specs for c in s.columns))


def spec_frame(specs: list[Spec], column: Callable[[str], Any], rows: int) -> pa.Table:
    """The frame of the columns ``specs`` read, each ``column(name)``; of ``rows`` nulls in one column
    when they read none (a table-level expectation, as the row count, still needs the rows)."""
    names = spec_columns(specs)
    return pa.table([column(n) for n in names], names=names) if names else pa.table({"_": pa.nulls(rows)})


@dataclass
class CheckResult:
    """The outcome of one check. ``examples`` are failing rows: their key columns and offending value."""

    spec: Spec
    status: str
    message: str
    unexpected: int | None = None
    total: int | None = None
    observed: Any = None
    examples: list[dict[str, Any]] = field(default_factory=list)
    details: list[dict[str, Any]] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.status == FAILED

    def fails_at(self, fail_on: str) -> bool:
        """Whether this result fails the run: errors always do, warnings only with fail_on='warning'."""
        return self.failed and (self.spec.severity == "error" or fail_on == "warning")


class Store:
    """Columns of the table files, each read once when first asked for and kept: every check reads
    only the columns it needs. (The posts' text is never kept: see ``textscan``.)"""

    def __init__(self, paths: dict[str, Path], *, private_terms: set[str] | None = None) -> None:
        self.paths = paths
        self.private_terms = private_terms  # the persons' ids and names in the inputs, when a build knows them
        self._columns: dict[tuple[str, str], pa.Array] = {}

    def column(self, table: str, name: str) -> pa.Array:
        key = (table, name)
        if key not in self._columns:
            self._columns[key] = pq.read_table(self.paths[table], columns=[name]).column(0).combine_chunks()
        return self._columns[key]

    def has(self, table: str, name: str) -> bool:
        """Does the table's file hold the column? (A table of another schema is checked no further.)"""
        return name in pq.read_schema(self.paths[table]).names

    def rows(self, table: str) -> int:
        return pq.read_metadata(self.paths[table]).num_rows


class Family:
    """A family of checks. Subclasses set ``name`` and write ``specs``; those that need the posts'
    text set ``reads_text`` and write ``consume`` (called with every ``TextBatch``, in order); those
    whose expectations read computed columns write ``columns``."""

    name: ClassVar[str] = ""
    reads_text: ClassVar[bool] = False

    def __init__(self, schemas: dict[str, TableSchema], config: Any) -> None:
        self.schemas = schemas
        self.config = config

    def specs(self) -> list[Spec]:
        raise NotImplementedError

    def consume(self, batch: Any) -> None:
        """Take one batch of the posts' text (a ``textscan.TextBatch``)."""

    def columns(self, store: Store) -> dict[str, dict[str, pa.Array]]:
        """Computed columns, by table, each as long as its table."""
        return {}

    def statistics(self) -> dict[str, Any]:
        """Facts worth reporting that are not checks (shares, counts)."""
        return {}

    def spec(self, check_id: str, table: str, expectation: str, kwargs: dict[str, Any], description: str,
             **meta: Any) -> Spec:
        """A spec of this family, with the severity config gives ``check_id``."""
        return Spec(check_id, table, self.name, expectation, kwargs, description,
                    severity=self.config.severity_of(check_id), meta=meta)
