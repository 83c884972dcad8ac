"""Great Expectations (GX Core 1.x) on Spark DataFrames: the same suites as the local engine
(``suites.suite_dict`` of the same specs), run through GX's Spark data source
(``context.data_sources.add_spark``, a dataframe asset, a whole-dataframe batch definition) in this
process, on the session the validation runs on; the results come back in the local engine's shape, so
that ``gx_run.check_result`` makes the same ``CheckResult``s of them.

A Spark DataFrame has no row positions, so each frame carries its rows' positions in the Parquet file
as ``row``, and GX names failing rows by it (``unexpected_index_column_names``). The examples are the
first failing rows, as pandas gives them: a frame is sorted by ``row`` and cached, so that GX's
``filter(...).limit(n)`` takes them in row order; the uniqueness expectations, whose condition GX
computes over a window (rows regrouped by value), have their first failing rows looked up here.
"""

from __future__ import annotations

import functools
import operator
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..base import Spec
from ..gx_chunks import UNIQUE
from ..gx_run import _replace
from ..gx_worker import context, plain, run_suite
from ..suites import suite_dict

ROW = "row"


class SparkGX:
    """A GX context for Spark frames; with ``docs``, the Data Docs site it builds goes there (replacing
    what was there, all at once) when the block ends without an error, as ``GXProcess`` does."""

    def __init__(self, docs: Path | None) -> None:
        self.docs, self._building = docs, None
        if docs is not None:
            docs.parent.mkdir(parents=True, exist_ok=True)
            self._building = Path(tempfile.mkdtemp(prefix=f".{docs.name}-", dir=docs.parent))
            self._building.chmod(0o755)
        self.context = context(self._building)
        self._used = False

    def __enter__(self) -> SparkGX:
        return self

    def __exit__(self, kind, error, trace) -> None:
        if kind is None and self._building is not None and self._used:
            _replace(self._building, self.docs)
        if self._building is not None:
            shutil.rmtree(self._building, ignore_errors=True)

    def validate(self, table: str, specs: list[Spec], frame: Any, *, parameters: dict[str, Any],
                 examples: int) -> dict[str, dict[str, Any]]:
        """GX's result of every expectation of ``specs`` on ``frame`` (a Spark DataFrame with ``row``),
        by id, as the local engine's GX worker gives it (failing rows as positions).

        As locally, without Data Docs a first run asks only whether each check passes and how many
        rows fail (BASIC results, with no failing rows listed: on Spark each list is a job of its own,
        most of the first run's time), and the checks that fail are run again for SUMMARY's results."""
        self._used = True
        if self.docs is not None:
            return self._run(table, specs, frame, parameters=parameters, examples=examples, result_format="SUMMARY")
        found = self._run(table, specs, frame, parameters=parameters, examples=0, result_format="BASIC")
        failing = [s for s in specs if not found[s.id]["success"] and "element_count" in (found[s.id]["result"] or {})]
        if failing:
            found.update(self._run(table, failing, frame, parameters=parameters, examples=examples,
                                   result_format="SUMMARY", part=" (failing rows)"))
        return found

    def _run(self, table: str, specs: list[Spec], frame: Any, *, parameters: dict[str, Any], examples: int,
             result_format: str, part: str = "") -> dict[str, dict[str, Any]]:
        """One checkpoint run of ``specs`` on ``frame``: GX's results, by id, in the local engine's shape.
        ``part`` names a second run on one table (each run needs a name, and a suite name, of its own)."""
        suite = suite_dict(table, specs)
        source = self.context.data_sources.add_spark("corpus_tools", persist=False)  # the caller caches
        try:
            found = run_suite(self.context, source, table=table, suite={**suite, "name": suite["name"] + part},
                              dataframe=frame, parameters=parameters, examples=examples, docs=self.docs is not None,
                              result_format=result_format, name=table + part, index_columns=(ROW,))
        finally:
            self.context.data_sources.delete(source.name)
        by_id = {spec.id: spec for spec in specs}
        results = {}
        for check_id, result in found.items():
            result.result = _positions(by_id[check_id], _aware(result.result))
            results[check_id] = plain(result.to_json_dict())
            if by_id[check_id].expectation in UNIQUE and examples and not results[check_id]["success"] and \
                    "element_count" in (results[check_id]["result"] or {}):
                _first_duplicates(by_id[check_id], frame, results[check_id]["result"], examples)
        return results


def _aware(value: Any) -> Any:
    """``value`` with Spark's timestamps (naive, in this process's time zone) as aware UTC datetimes,
    as the local engine's pandas frames give them."""
    if isinstance(value, dict):
        return {k: _aware(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_aware(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_aware(v) for v in value)
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.astimezone(UTC)
    return value


def _value(spec: Spec, row: dict[str, Any]) -> Any:
    """A failing row's value as GX on pandas lists it: the column's, a pair's as a list, several
    columns' as a mapping."""
    kwargs = spec.kwargs
    if "column_list" in kwargs:
        return {c: row[c] for c in kwargs["column_list"]}
    if "column_A" in kwargs:  # pandas gives a pair's values as numpy's: timestamps as naive UTC text
        return [_numpy_text(row[kwargs["column_A"]]), _numpy_text(row[kwargs["column_B"]])]
    return row.get(kwargs.get("column"))


def _numpy_text(value: Any) -> Any:
    """A timestamp as ``numpy.datetime_as_string`` writes a microsecond one (as GX on pandas lists it)."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f") if isinstance(value, datetime) else value


def _positions(spec: Spec, result: dict[str, Any] | None) -> dict[str, Any] | None:
    """GX's ``result`` with its failing rows as positions, in row order, each with its value."""
    index = (result or {}).get("partial_unexpected_index_list")
    if index and isinstance(index[0], dict):
        ordered = sorted(index, key=lambda row: row[ROW])
        result["partial_unexpected_index_list"] = [row[ROW] for row in ordered]
        result["partial_unexpected_list"] = [_value(spec, row) for row in ordered]
    return result


def _first_duplicates(spec: Spec, frame: Any, result: dict[str, Any], examples: int) -> None:
    """Put the first ``examples`` rows that break a uniqueness expectation, in row order, in ``result``."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    columns = spec.kwargs.get("column_list") or [spec.kwargs["column"]]
    ignored = spec.kwargs.get("ignore_row_if", "all_values_are_missing" if len(columns) > 1 else "any_value_is_missing")
    missing = [F.col(c).isNull() for c in columns]
    if ignored == "any_value_is_missing":
        frame = frame.where(~functools.reduce(operator.or_, missing))
    elif ignored == "all_values_are_missing":
        frame = frame.where(~functools.reduce(operator.and_, missing))
    counted = frame.withColumn("__copies", F.count(F.lit(1)).over(Window.partitionBy(*columns)))
    rows = [row.asDict() for row in counted.where(F.col("__copies") > 1).orderBy(ROW).limit(examples)
            .select(ROW, *columns).collect()]
    result["partial_unexpected_index_list"] = [row[ROW] for row in rows]
    result["partial_unexpected_list"] = [plain(_value(spec, _aware(row))) for row in rows]

