"""Masking the persons' user ids in free text, once every input has been read.

Pseudonymisation replaces the persons' ids in the columns made for them, as each post passes. Free
text is kept as written, but a user id written out in it ("Your user ID: 123456789", a pasted
``tg://user?id=`` link) is still the person's id. It may come before the person is met, so this runs
on the written tables, once all their ids are known. Each occurrence of a known user id, as a whole
number, in a free-text column (``"personal": "text"`` or ``"raw"`` in the schemas) is masked, digit
by digit, with ``•``: lengths stay, so entity offsets stay true.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from ..core.batches import batches
from ..core.schema import TableSchema
from .parquet import ROW_GROUP_SIZE, RowGroupWriter
from .steps.privacy import MASK, USER_ID

MIN_DIGITS = 5  # shorter numbers are too common to be taken for anyone's id


def user_ids(terms: set[str]) -> list[str]:
    """The bare user ids among the terms pseudonymisation met ('user123' and '123' give '123').

    >>> user_ids({"user123456", "987654", "Olga", "12"})
    ['123456', '987654']
    """
    found = {USER_ID.fullmatch(t).group(1) if USER_ID.fullmatch(t) else t for t in terms}
    return sorted(t for t in found if t.isdigit() and len(t) >= MIN_DIGITS)


def mask_user_ids(out_dir: Path, schemas: dict[str, TableSchema], ids: list[str]) -> int:
    """Mask ``ids`` in the free-text columns of the tables in ``out_dir``; return how many were."""
    if not ids:
        return 0
    regexes, masked = mask_patterns(ids), 0
    for name, schema in schemas.items():
        columns = free_text_columns(schema)
        path = out_dir / f"{name}.parquet"
        if columns and path.exists() and _holds(path, columns, regexes):
            masked += _rewrite(path, schema, columns, regexes)
    return masked


def mask_patterns(ids: list[str]) -> list[tuple[str, str]]:
    """(regex, mask) pairs masking ``ids``: one pattern per length, so that each mask is as long as what
    it masks."""
    patterns: dict[int, list[str]] = {}
    for user in ids:
        patterns.setdefault(len(user), []).append(user)
    return [(rf"\b(?:{'|'.join(group)})\b", MASK * size) for size, group in sorted(patterns.items())]


def free_text_columns(schema: TableSchema) -> list[str]:
    """The columns of ``schema`` that hold free text (``"personal": "text"`` or ``"raw"``)."""
    return [c for c, kind in schema.personal.items() if kind in ("text", "raw")]


def mask_batch(batch: pa.RecordBatch, columns: list[str], regexes: list[tuple[str, str]]) -> tuple[pa.RecordBatch, int]:
    """``batch`` with the ids masked in ``columns``, and how many were."""
    masked = 0
    for column in columns:
        index = batch.schema.get_field_index(column)
        values = batch.column(index)
        for regex, mask in regexes:
            masked += pc.sum(pc.count_substring_regex(values, regex)).as_py() or 0
            values = pc.replace_substring_regex(values, regex, mask)
        batch = batch.set_column(index, batch.schema.field(index), values)
    return batch, masked


def _holds(path: Path, columns: list[str], regexes: list[tuple[str, str]]) -> bool:
    for batch in batches(path, batch_size=ROW_GROUP_SIZE, columns=columns):
        for column in batch.columns:
            if any(pc.any(pc.match_substring_regex(column, regex)).as_py() for regex, _ in regexes):
                return True
    return False


def _rewrite(path: Path, schema: TableSchema, columns: list[str], regexes: list[tuple[str, str]]) -> int:
    temp, masked = path.with_name(f".{path.name}.mask"), 0
    writer = RowGroupWriter(temp, schema.arrow)
    try:
        for batch in batches(path, batch_size=ROW_GROUP_SIZE):
            batch, count = mask_batch(batch, columns, regexes)
            masked += count
            writer.add(pa.RecordBatch.from_arrays(batch.columns, schema=schema.arrow))
    finally:
        writer.close()
    temp.replace(path)
    return masked
