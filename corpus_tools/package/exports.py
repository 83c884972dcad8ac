"""Gzip CSV copies of the Parquet tables: R's frictionless package (and readr, and spreadsheets)
read only delimited text, so every table also ships as ``NAME.csv.gz``, a second resource.

Null versus empty string. ``posts.text`` is required and may be empty (a media-only post), while
many nullable string columns hold null. A CSV cell is only text, so the two need different
spellings: a null is written as ``\\N`` (the null marker of PostgreSQL's and MySQL's text
exports) and declared as the CSV schema's only ``missingValues``; an empty string is an empty
cell. ``""`` cannot be the marker (empty texts would read back as null) and neither can ``NA``
(it is Namibia's country code). Any reader that honours the declared ``missingValues`` - frictionless
in Python and R, readr with ``na = "\\N"``, pandas with ``na_values``, DuckDB with ``nullstr`` - reads
back exactly what the Parquet file holds, once it undoes the escape below.

Escaped cells. A text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a
formula to a spreadsheet (``=HYPERLINK(...)`` runs when a researcher opens the file: OWASP's "CSV
injection"); one that starts with a backslash could be the null marker ``\\N`` itself. So in the
CSV twins every such string, and every string that starts with an apostrophe, is written with one
apostrophe in front: ``=1+1`` as ``'=1+1``, ``\\N`` as ``'\\N``, ``'quoted`` as ``''quoted``.
Spreadsheets show the apostrophe's text as text; to get the exact value back, drop one leading
apostrophe from every string cell that has one (``ESCAPE``; the descriptor and the data card say
so). The Parquet files keep every text exactly as it is.

Cells: strings always quoted (so an empty string is ``""``, never mistaken for anything else),
integers in decimal, booleans ``true``/``false``, datetimes RFC 3339 in UTC with microseconds
(``2025-04-03T00:00:00.000000Z``), the precision the Parquet files keep. Written by Arrow's C++ CSV
writer, batch by batch, and compressed on every core at once: each batch is its own gzip member (a
gzip file may hold several, one after another, and every gzip reader reads them as one stream), made
in a thread (Arrow and ISA-L release the GIL), written in order. The bytes are reproducible: rows in
Parquet order, CRLF line ends (RFC 4180), mtime 0 and no file name in any gzip header.

Compression is ISA-L's igzip (the ``isal`` package), level 2, not the standard library's zlib: on the
posts CSV it is several times faster than zlib for files a few percent larger, and the CSV export was
the larger part of packaging a million posts (the measurements: benchmarks/RESULTS.md). The output is
ordinary gzip.
"""

from __future__ import annotations

import copy
import os
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from isal import igzip

from ..core.batches import batches
from ..core.files import sha256_file
from ..core.schema import TableSchema

NULL_MARKER = "\\N"
ESCAPE = "'"  # put before a string cell that a spreadsheet would run, or read as the null marker
_ESCAPED = r"^[=+\-@\t\r\\']"  # the cells that get it: see the module docstring
CSV_SUFFIX = "-csv"
CSV_EXTENSION = ".csv.gz"
BATCH_ROWS = 16_384  # about 20 MB of posts as CSV: a unit of work per core


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


GZIP_LEVEL = 2  # igzip's levels are 0-3; on the posts CSV 3 was markedly slower for files barely smaller
DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"  # Arrow's %S carries the microseconds: 00.000000


def escape_cells(column: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """A string column as the CSV twins write it: an apostrophe before every value that starts with a
    formula character, a backslash or an apostrophe (see the module docstring).

    >>> escape_cells(pa.array(["=1+1", "\\\\N", "'q", "plain", None, "- item"])).to_pylist()
    ["'=1+1", "'\\\\N", "''q", 'plain', None, "'- item"]
    """
    escaped = pc.match_substring_regex(column, _ESCAPED)
    if not pc.any(escaped).as_py():  # most columns and batches: no copy of the column at all
        return column
    return pc.if_else(escaped, pc.binary_join_element_wise(ESCAPE, column, ""), column)


def _cells(table: pa.Table, schema: TableSchema) -> pa.Table:
    """The batch as the CSV writes it: datetimes formatted, strings escaped."""
    for index, f in enumerate(schema.fields):
        column = table.column(index)
        if f["type"] == "datetime":
            table = table.set_column(index, f["name"], pc.strftime(column, format=DATETIME_FORMAT))
        elif f["type"] == "string":
            table = table.set_column(index, f["name"], escape_cells(column))
    return table


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


def _member(table: pa.Table, schema: TableSchema, header: bool) -> bytes:
    """One batch as CSV (its cells formatted here, in the worker thread: Arrow's kernels release the
    GIL, so the batches are formatted on every core too), gzip-compressed into a member of its own."""
    table = _cells(table, schema)
    sink = pa.BufferOutputStream()
    options = pacsv.WriteOptions(include_header=header, null_string=NULL_MARKER, eol="\r\n", quoting_header="none")
    pacsv.write_csv(table, sink, write_options=options)
    return igzip.compress(sink.getvalue().to_pybytes(), compresslevel=GZIP_LEVEL, mtime=0)


def write_csv(parquet: Path, out: Path, schema: TableSchema) -> None:
    """Write the Parquet table ``parquet`` as gzip CSV to ``out``, streaming in batches, compressing
    up to one batch per core at a time (memory stays a few batches).

    Example: ``write_csv(Path("data/posts.parquet"), Path("data/posts.csv.gz"), load_schemas()["posts"])``
    """
    workers = os.cpu_count() or 1
    pending: deque[Future[bytes]] = deque()
    with out.open("wb") as raw, ThreadPoolExecutor(max_workers=workers) as pool:
        rows = batches(parquet, batch_size=BATCH_ROWS, columns=schema.field_names)
        for number, batch in enumerate(rows):
            pending.append(pool.submit(_member, pa.Table.from_batches([batch]), schema, number == 0))
            while len(pending) > workers:
                raw.write(pending.popleft().result())
        while pending:
            raw.write(pending.popleft().result())
        if raw.tell() == 0:  # an empty table: the header alone
            raw.write(igzip.compress((",".join(schema.field_names) + "\r\n").encode(), compresslevel=GZIP_LEVEL, mtime=0))


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
        "description": f"{table} as gzip CSV: nulls written as {NULL_MARKER}, and a string that starts with "
                       f"= + - @ \\ {ESCAPE} (or a tab or carriage return) written with one {ESCAPE} in front, so no "
                       f"spreadsheet runs it and no text reads as null; drop one leading {ESCAPE} from a string cell "
                       "to get the exact value (the Parquet resource has it as is).",
        "schema": csv_schema(schema),
    }
