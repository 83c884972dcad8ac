"""Gzip CSV copies of the Parquet tables: R's frictionless package (and readr, and spreadsheets)
read only delimited text, so every table also ships as ``NAME.csv.gz``, a second resource.

Null versus empty string. ``posts.text`` is required and may be empty (a media-only post), while
many nullable string columns hold null. A CSV cell is only text, so the two need different
spellings: a null is written as ``\\N`` (the null marker of PostgreSQL's and MySQL's text
exports) and declared as the CSV schema's only ``missingValues``; an empty string is an empty
cell. ``""`` cannot be the marker (empty texts would read back as null) and neither can ``NA``
(it is Namibia's country code). Any reader that honours the declared ``missingValues`` - frictionless
in Python and R, readr with ``na = "\\N"``, pandas with ``na_values``, DuckDB with ``nullstr`` - reads
back exactly what the Parquet file holds. A string value equal to the marker cannot be written
and fails the export.

Cells: integers in decimal, booleans ``true``/``false``, datetimes RFC 3339 in UTC with
microseconds (``2025-04-03T00:00:00.000000Z``), the precision the Parquet files keep. The bytes
are reproducible: rows in Parquet order, CRLF line ends (RFC 4180), gzip level 9 with mtime 0
and no file name in its header.
"""

from __future__ import annotations

import copy
import csv
import gzip
import io
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from ..convert import sha256_file
from ..errors import DataError
from ..schema import TableSchema

NULL_MARKER = "\\N"
CSV_SUFFIX = "-csv"
CSV_EXTENSION = ".csv.gz"
BATCH_ROWS = 65_536


def csv_name(table: str) -> str:
    """The CSV twin's resource name.

    >>> csv_name("posts")
    'posts-csv'
    """
    return f"{table}{CSV_SUFFIX}"


def twin_table(resource_name: str) -> str | None:
    """The table a CSV twin mirrors, or None for a resource that is no twin.

    >>> twin_table("posts-csv"), twin_table("posts")
    ('posts', None)
    """
    return resource_name.removesuffix(CSV_SUFFIX) if resource_name.endswith(CSV_SUFFIX) else None


def _string(value: str) -> str:
    if value == NULL_MARKER:
        raise DataError(f"the string {NULL_MARKER!r} cannot be written to CSV: it is the declared null marker")
    return value


def _datetime(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.%f") + "Z"


CELL: dict[str, Callable[[Any], str]] = {
    "string": _string,
    "integer": str,
    "number": repr,
    "boolean": lambda value: "true" if value else "false",
    "datetime": _datetime,
    "date": date.isoformat,
}


def csv_schema(schema: TableSchema) -> dict[str, Any]:
    """The CSV twin's Table Schema: the declared one, with the null marker as its missing value and
    foreign keys pointing at the other tables' CSV twins (so each format is a complete package)."""
    derived = copy.deepcopy(schema.descriptor)
    derived["missingValues"] = [NULL_MARKER]
    for key in derived.get("foreignKeys", []):
        reference = key["reference"]
        if reference.get("resource"):
            reference["resource"] = csv_name(reference["resource"])
    return derived


def write_csv(parquet: Path, out: Path, schema: TableSchema) -> None:
    """Write the Parquet table ``parquet`` as gzip CSV to ``out``, streaming in batches.

    Example: ``write_csv(Path("data/posts.parquet"), Path("data/posts.csv.gz"), load_schemas()["posts"])``
    """
    formats = [CELL[f["type"]] for f in schema.fields]
    with out.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as zipped:
        text = io.TextIOWrapper(zipped, encoding="utf-8", newline="")
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(schema.field_names)
        for batch in pq.ParquetFile(parquet).iter_batches(batch_size=BATCH_ROWS, columns=schema.field_names):
            columns = [column.to_pylist() for column in batch.columns]
            try:
                writer.writerows([NULL_MARKER if v is None else fmt(v) for v, fmt in zip(row, formats)]
                                 for row in zip(*columns))
            except DataError as error:
                raise DataError(f"{parquet.name}: {error}") from None
        text.flush()
        text.detach()


def csv_resource(table: str, path: Path, relative: str, schema: TableSchema) -> dict[str, Any]:
    """The resource of a table's CSV twin at ``path`` (``relative`` to the descriptor)."""
    return {
        "name": csv_name(table),
        "type": "table",
        "path": relative,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "hash": f"sha256:{sha256_file(path)}",
        "bytes": path.stat().st_size,
        "description": f"{table} as gzip CSV (nulls written as {NULL_MARKER}).",
        "schema": csv_schema(schema),
    }
