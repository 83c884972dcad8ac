"""A long table's row-wise expectations run by GX on slices of rows, their results merged into the
ones GX gives on the whole table: so that the GX process holds one slice's frame at a time, not the
table's (at ten million posts the whole frame, as pandas, took GX's process past 8 GB).

An expectation that judges each row on its own (not null, in a set, between, matching, A greater
than B) fails on the whole table exactly where it fails on the slices: its counts are the slices'
sums, its failing rows the slices' failing rows in order (positions shifted by the slice's first
row), the first ``examples`` of them kept, and it passes when every slice passes. Merged here
as GX formats them (``_format_map_output``): the percentages from the summed counts, the
counts of the examples' values from the merged examples. Uniqueness (rows are compared across
slices), the table's row count and any expectation with ``mostly`` (a share of the whole) are not
merged. The row count runs on the whole table, in a frame of the columns it reads. A uniqueness
expectation runs on the rows whose key another row has too (``repeats``), the only rows it can
fail, with a row whose key is unique (so that no run is of no rows); its counts of rows and
missing values are then the table's, the failing rows' positions the table's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .base import Spec

# Rows of a slice: GX's pandas frame of a million rows of ids, dates and flags is a few hundred MB,
# and a run of the suite costs a few tenths of a second whatever its size, small beside a million rows.
CHUNK_ROWS = 1 << 20
UNIQUE = ("ExpectColumnValuesToBeUnique", "ExpectCompoundColumnsToBeUnique")


def row_wise(spec: Spec) -> bool:
    """Does the expectation judge each row (a column map expectation), not the table as a whole?"""
    return spec.expectation.startswith(("ExpectColumnValues", "ExpectColumnPairValues", "ExpectCompoundColumns",
                                        "ExpectMulticolumn"))


def mergeable(spec: Spec) -> bool:
    """Is the expectation's result on the whole table the merge of its results on slices of it?"""
    return row_wise(spec) and spec.expectation not in UNIQUE and "mostly" not in spec.kwargs


def unique_key(spec: Spec) -> bool:
    """Is the expectation a uniqueness one that ``repeats`` can run on the rows that repeat?"""
    return spec.expectation in UNIQUE and "mostly" not in spec.kwargs


@dataclass(frozen=True)
class Repeats:
    """The rows a uniqueness expectation is run on (their positions in the table, in order), the
    table's rows, and the rows GX counts as missing for it."""

    positions: np.ndarray
    rows: int
    missing: int

    def result(self, found: dict[str, Any]) -> dict[str, Any]:
        """GX's result on the whole table, from its result (plain data) on these rows."""
        result = dict(found.get("result") or {})
        if "element_count" not in result:
            return found
        result["element_count"] = self.rows
        if "missing_count" in result:
            result["missing_count"] = self.missing
        if "partial_unexpected_index_list" in result:
            result["partial_unexpected_index_list"] = [int(self.positions[row])
                                                       for row in result["partial_unexpected_index_list"]]
        return {**found, "result": {**result, **_percentages(result)}}


def repeats(frame: pa.Table, spec: Spec) -> Repeats:
    """The rows of ``frame`` whose key (the expectation's columns; a null counts as a value) another
    row has too, and the first row whose key no other has (if any); the rows GX would leave out."""
    columns = spec.kwargs.get("column_list") or [spec.kwargs["column"]]
    key = None
    for name in columns:
        encoded = pc.dictionary_encode(frame[name].combine_chunks(), null_encoding="encode")
        codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        # Two columns' codes as one, renumbered before the next: the numbers never pass rows squared.
        key = codes if key is None else np.unique(key * (int(codes.max(initial=0)) + 1) + codes, return_inverse=True)[1]
    _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    repeated = counts[inverse] > 1
    single = np.flatnonzero(~repeated)[:1]
    repeated[single] = True
    return Repeats(np.flatnonzero(repeated), frame.num_rows, _missing(frame, spec, columns))


def _missing(frame: pa.Table, spec: Spec, columns: list[str]) -> int:
    """The rows GX leaves out of a uniqueness expectation: a null value; for a compound key, as its
    ``ignore_row_if`` says (GX's default: all the key's values missing)."""
    if "column" in spec.kwargs:
        return frame[spec.kwargs["column"]].null_count
    ignored = spec.kwargs.get("ignore_row_if", "all_values_are_missing")
    if ignored == "never":
        return 0
    nulls = [pc.is_null(frame[name]) for name in columns]
    combine = pc.or_ if ignored == "any_value_is_missing" else pc.and_
    mask = nulls[0]
    for other in nulls[1:]:
        mask = combine(mask, other)
    return pc.sum(mask).as_py() or 0


def slices(frame: pa.Table, rows: int) -> list[tuple[int, pa.Table]]:
    """``frame`` in slices of ``rows`` rows: (the slice's first row, the slice, sharing the frame's buffers)."""
    return [(start, frame.slice(start, rows)) for start in range(0, frame.num_rows, rows)]


def compact(frame: pa.Table) -> pa.Table:
    """A copy of ``frame`` that holds only its own rows: a slice pickled whole carries every buffer it
    shares with the table it was cut from, which would send the whole table once per slice. (Arrow's
    IPC writer truncates a slice's buffers to its rows.)"""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, frame.schema) as writer:
        writer.write_table(frame)
    return pa.ipc.open_stream(sink.getvalue()).read_all()


def merge(parts: list[tuple[int, dict[str, Any]]], examples: int) -> dict[str, Any]:
    """One expectation's GX result on the whole table, from its results on consecutive slices
    (each with the slice's first row), as plain data."""
    failed = [result for _, result in parts if (result.get("exception_info") or {}).get("raised_exception")]
    if failed:
        return failed[0]
    merged = {**parts[0][1], "success": all(result["success"] for _, result in parts)}
    merged["result"] = _merged_result([(start, result["result"] or {}) for start, result in parts], examples)
    return merged


def _merged_result(parts: list[tuple[int, dict[str, Any]]], examples: int) -> dict[str, Any]:
    # A slice that passed, or failed once the examples were found, has BASIC's result: no failing
    # rows' positions, nor their values' counts. It adds no example: it has none, or comes after them.
    merged = dict(parts[0][1])
    for count in ("element_count", "unexpected_count", "missing_count"):
        if count in merged:
            merged[count] = sum(part[count] for _, part in parts)
    for key, shift in (("partial_unexpected_list", False), ("partial_unexpected_index_list", True)):
        if any(key in part for _, part in parts):
            merged[key] = [start + v if shift else v for start, part in parts for v in part.get(key, [])][:examples]
    if any("partial_unexpected_counts" in part for _, part in parts):
        merged["partial_unexpected_counts"] = _value_counts(merged["partial_unexpected_list"], examples)
    merged.update(_percentages(merged))
    return merged


def _percentages(result: dict[str, Any]) -> dict[str, Any]:
    """GX's percentages of a map expectation's result, from its counts (as ``_format_map_output``)."""
    elements, unexpected, missing = result["element_count"], result["unexpected_count"], result.get("missing_count")
    total = unexpected / elements * 100 if elements > 0 else None
    if missing is None:
        return {"unexpected_percent": total}
    nonmissing = elements - missing
    share = unexpected / nonmissing * 100 if elements > 0 and nonmissing > 0 else None
    found = {"unexpected_percent": share, "missing_percent": missing / elements * 100 if elements > 0 else None,
             "unexpected_percent_total": total, "unexpected_percent_nonmissing": share}
    return {key: value for key, value in found.items() if key in result}


def _value_counts(values: list[Any], examples: int) -> list[dict[str, Any]]:
    """GX's ``partial_unexpected_counts``: the examples' most common values, most common first."""
    # A pair's or a row's values as a tuple, as GX counts them (its dicts by their values).
    hashable = [tuple(v.values()) if isinstance(v, dict) else tuple(v) if isinstance(v, list) else v for v in values]
    try:
        common = sorted(Counter(hashable).most_common(examples), key=lambda item: (-item[1], item[0]))
    except TypeError:
        return [{"error": "partial_exception_counts requires a hashable type"}]
    return [{"value": list(v) if isinstance(v, tuple) else v, "count": n} for v, n in common]
