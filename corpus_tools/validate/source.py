"""What is validated: a data package (``datapackage.json``) or a folder of tables, and the file checks.

Either way the result is one Parquet file per declared table plus the declared temporal coverage: the
package's ``temporalCoverage``, or for a folder written by ``convert`` the ``period`` in its
``manifest.json``. Input that cannot be validated at all (no such path, a descriptor that is not JSON,
a missing or unreadable table file) raises ``InputError`` (exit 2). The file checks run before
anything else reads a table:

- ``TABLE.file.hash``: the file's bytes match the descriptor's hash (and ``bytes``). frictionless-py
  skips hashes of Parquet resources, so they are checked here; a folder declares none (skipped).
- ``TABLE.file.schema``: the Parquet schema has the declared columns, in order, with the declared Arrow
  types. Nullability is not compared: many writers (DuckDB, polars, Spark) store every column as
  optional, and whether a required column holds a null is what ``TABLE.COLUMN.not_null`` checks. A table
  failing this check is not read further; its other checks are reported as skipped.

>>> Coverage.parse("2025-04-03/2025-04-05").end.isoformat()
'2025-04-06T00:00:00+00:00'
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..core.schema import TableSchema
from ..errors import InputError
from .base import FAILED, PASSED, SKIPPED, CheckResult, Spec

MANIFEST = "manifest.json"
_ALGORITHMS = {"md5", "sha1", "sha256", "sha512"}


@dataclass(frozen=True)
class Coverage:
    """A declared temporal coverage: ``start`` inclusive, ``end`` exclusive, either open (None)."""

    text: str
    start: datetime | None
    end: datetime | None

    @classmethod
    def parse(cls, text: str) -> Coverage:
        """Read an ISO 8601 interval of dates or datetimes, 'START/END', either end '..' when open.
        A date as the end includes that whole day."""
        try:
            start, end = text.split("/")
            return cls(text, _moment(start, end=False), _moment(end, end=True))
        except ValueError:
            raise InputError(f"temporal coverage {text!r} is not an ISO 8601 interval START/END") from None


def _moment(value: str, *, end: bool) -> datetime | None:
    if value in ("", ".."):
        return None
    if len(value) == 10:
        day = date.fromisoformat(value) + timedelta(days=1 if end else 0)
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    moment = datetime.fromisoformat(value)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


@dataclass(frozen=True)
class TableFile:
    name: str
    path: Path
    schema: TableSchema
    hash: str | None = None  # as the descriptor writes it: 'sha256:HEX'
    bytes: int | None = None


@dataclass(frozen=True)
class Dataset:
    """The tables to validate. ``label`` names the dataset in reports (never a temporary path)."""

    label: str
    tables: dict[str, TableFile]
    coverage: Coverage | None


def _load_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read the {what} ({error})") from None
    except json.JSONDecodeError as error:
        raise InputError(f"{path}: the {what} is not JSON ({error})") from None


def _from_descriptor(path: Path, schemas: dict[str, TableSchema]) -> tuple[dict[str, TableFile], str | None]:
    descriptor = _load_json(path, "data package descriptor")
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise InputError(f"{path}: not a data package descriptor (no list of resources)")
    resources = {r.get("name"): r for r in descriptor["resources"] if isinstance(r, dict)}
    tables = {}
    for name, schema in schemas.items():
        resource = resources.get(name)
        if resource is None or not isinstance(resource.get("path"), str):
            raise InputError(f"{path}: no resource {name!r} with a path (every declared table is needed)")
        tables[name] = TableFile(name, path.parent / resource["path"], schema, resource.get("hash"),
                                 resource.get("bytes"))
    coverage = descriptor.get("temporalCoverage")
    return tables, coverage if isinstance(coverage, str) else None


def _from_folder(folder: Path, schemas: dict[str, TableSchema]) -> tuple[dict[str, TableFile], str | None]:
    tables = {name: TableFile(name, folder / f"{name}.parquet", schema) for name, schema in schemas.items()}
    manifest = folder / MANIFEST
    period = None
    if manifest.is_file():
        options = _load_json(manifest, "convert manifest")
        period = (options.get("options") or {}).get("period") if isinstance(options, dict) else None
    return tables, period


def open_dataset(path: Path, schemas: dict[str, TableSchema], *, label: str | None = None) -> Dataset:
    """The tables at ``path``: a datapackage.json, or a folder holding TABLE.parquet files (or a
    datapackage.json). Raises InputError when a table file is missing or unreadable."""
    if path.is_dir() and not (path / "posts.parquet").is_file() and (path / "datapackage.json").is_file():
        path = path / "datapackage.json"
    if path.is_dir():
        tables, coverage = _from_folder(path, schemas)
    elif path.is_file():
        tables, coverage = _from_descriptor(path, schemas)
    else:
        raise InputError(f"{path}: no such file or folder (validate reads a datapackage.json or a folder of tables)")
    for table in tables.values():
        if not table.path.is_file():
            raise InputError(f"{table.path}: missing (the {table.name} table)")
        try:
            pq.read_metadata(table.path)
        except (OSError, pa.ArrowException) as error:
            raise InputError(f"{table.path}: not a readable Parquet file ({error})") from None
    return Dataset(label or str(path), tables, Coverage.parse(coverage) if coverage else None)


def file_specs(schemas: dict[str, TableSchema]) -> list[Spec]:
    specs = []
    for name in schemas:
        specs.append(Spec(f"{name}.file.hash", name, "file", "file", {},
                          "the file's bytes match the hash (and size) the descriptor declares"))
        specs.append(Spec(f"{name}.file.schema", name, "file", "file", {},
                          "the Parquet schema has the declared columns, in order, with the declared types"))
    return specs


def _digest(path: Path, algorithm: str) -> str:
    digest = hashlib.new(algorithm)
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_hash(spec: Spec, table: TableFile) -> CheckResult:
    if table.hash is None:
        return CheckResult(spec, SKIPPED, "no hash declared")
    algorithm, _, expected = table.hash.rpartition(":")
    algorithm = algorithm or "md5"  # Data Package: a hash without a prefix is MD5
    if algorithm not in _ALGORITHMS:
        return CheckResult(spec, FAILED, f"{table.name}: unknown hash algorithm {algorithm!r}")
    actual = _digest(table.path, algorithm)
    size = table.path.stat().st_size
    if actual != expected.lower():
        return CheckResult(spec, FAILED, f"{table.path.name}: {algorithm} is {actual}, the descriptor says {expected}")
    if table.bytes is not None and table.bytes != size:
        return CheckResult(spec, FAILED, f"{table.path.name}: {size} bytes, the descriptor says {table.bytes}")
    return CheckResult(spec, PASSED, f"{algorithm} matches")


def check_schema(spec: Spec, table: TableFile) -> CheckResult:
    actual = pq.read_schema(table.path)
    declared = table.schema.arrow
    if actual.names == declared.names and actual.types == declared.types:
        return CheckResult(spec, PASSED, "columns and types as declared")
    found = ", ".join(f"{n}: {t}" for n, t in zip(actual.names, actual.types))
    differing = [f.name for f in declared if f.name not in actual.names
                 or actual.field(f.name).type != f.type] or ["column order"]
    return CheckResult(spec, FAILED, f"{table.path.name}: differs from the declared schema in {', '.join(differing)} "
                                     f"(found {found})")
