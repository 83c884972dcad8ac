"""The checks ``build`` runs before it publishes: each table conforms to its declared schema.

For every declared table: the Parquet file's columns, order, types and nullability equal the
declared ones, and unique columns and the primary key hold no duplicate. Required columns need no
separate null count: a required field is a non-nullable Arrow field, which Parquet stores as a
'required' column that cannot hold a null, so the schema comparison covers it. Only the columns a
check needs are read. (The full validation suites live in
``validate/``; these are the minimum no published table may fail.)
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..core.schema import TableSchema
from ..errors import DataError


def _duplicates(table: pa.Table, columns: list[str]) -> int:
    """How many rows repeat an earlier row's values in ``columns`` (nulls are not compared)."""
    if table.num_rows == 0:
        return 0
    if len(columns) == 1:
        column = table.column(columns[0]).drop_null()
        return len(column) - pc.count_distinct(column).as_py()
    grouped = table.select(columns).drop_null().group_by(columns).aggregate([])
    return table.select(columns).drop_null().num_rows - grouped.num_rows


def table_problems(path: Path, schema: TableSchema) -> list[str]:
    """Everything wrong with one table file, as messages naming the file."""
    name = path.name
    if not path.is_file():
        return [f"{name}: missing"]
    try:
        actual = pq.read_schema(path)
    except (OSError, pa.ArrowException) as error:
        return [f"{name}: not a readable Parquet file ({error})"]
    if not actual.remove_metadata().equals(schema.arrow):
        found = ", ".join(f"{n}: {t}" for n, t in zip(actual.names, actual.types))
        return [f"{name}: columns ({found}) differ from the declared schema ({schema.arrow})"]
    problems = []
    keys = [[c] for c in schema.unique]
    if schema.primary_key and [schema.primary_key] not in keys:
        keys.append(schema.primary_key)
    for key in keys:
        repeated = _duplicates(pq.read_table(path, columns=key), key)
        if repeated:
            problems.append(f"{name}: {repeated} duplicate value(s) in {'/'.join(key)}, which must be unique")
    return problems


def check_tables(directory: Path, schemas: dict[str, TableSchema]) -> None:
    """Raise DataError listing every problem, or return when all tables conform."""
    problems = [p for name, schema in schemas.items() for p in table_problems(directory / f"{name}.parquet", schema)]
    if problems:
        raise DataError("check failed: " + "; ".join(problems))
