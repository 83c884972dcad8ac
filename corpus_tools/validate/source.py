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

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..core.datapackage import load_descriptor, read_json, resource_path
from ..core.engine import Engine, sized_session
from ..core.files import MANIFEST, hash_problem
from ..core.progress import stage
from ..core.schema import TableSchema, schema_differences
from ..errors import DataError, InputError
from .base import FAILED, PASSED, SKIPPED, CheckResult, Spec

Repeated = Callable[[Path, list[str]], int]  # (a table's file, a unique key) -> the rows that repeat one


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
    """The tables to validate. ``label`` names the dataset in reports (never a temporary path);
    ``about`` is what a descriptor says of it for a reader of the reports: its title, version and
    figure (Data Package v2's ``image``, when it is a file inside the package)."""

    label: str
    tables: dict[str, TableFile]
    coverage: Coverage | None
    kept_personal: tuple[str, ...] = ()  # personal fields ('TABLE.FIELD') the dataset's policy keeps
    no_private_terms: bool = False  # its descriptor says the inputs held no private person's id or name
    about: About | None = None


@dataclass(frozen=True)
class About:
    title: str | None
    version: str | None
    image: Path | None


def _about(descriptor: dict, folder: Path) -> About:
    image = descriptor.get("image")
    try:
        found = resource_path(folder, {"name": "image", "path": image}) if isinstance(image, str) else None
    except InputError:  # an image elsewhere (a URL, outside the package) is not shown
        found = None
    text = {key: descriptor[key] if isinstance(descriptor.get(key), str) else None for key in ("title", "version")}
    return About(text["title"], text["version"], found if found and found.is_file() else None)


def _kept(policy: object) -> tuple[str, ...]:
    """The personal fields a recorded privacy policy keeps (``{"TABLE.FIELD": action}``)."""
    return tuple(sorted(f for f, a in policy.items() if a == "keep")) if isinstance(policy, dict) else ()


def _from_descriptor(path: Path, schemas: dict[str, TableSchema]
                     ) -> tuple[dict[str, TableFile], str | None, tuple[str, ...], About, bool]:
    descriptor, _ = load_descriptor(path)
    resources = {r["name"]: r for r in descriptor["resources"]}
    tables = {}
    for name, schema in schemas.items():
        resource = resources.get(name)
        if resource is None or "path" not in resource:
            raise InputError(f"{path}: no resource {name!r} with a path (every declared table is needed)")
        tables[name] = TableFile(name, resource_path(path.parent, resource), schema, resource.get("hash"),
                                 resource.get("bytes"))
    coverage = descriptor.get("temporalCoverage")
    privacy = descriptor.get("privacy") if isinstance(descriptor.get("privacy"), dict) else {}
    return (tables, coverage if isinstance(coverage, str) else None, _kept(privacy.get("policy")),
            _about(descriptor, path.parent), privacy.get("privateTermsInInputs") == 0)


def _from_folder(folder: Path, schemas: dict[str, TableSchema]) -> tuple[dict[str, TableFile], str | None, tuple]:
    tables = {name: TableFile(name, folder / f"{name}.parquet", schema) for name, schema in schemas.items()}
    manifest = folder / MANIFEST
    options = {}
    if manifest.is_file():
        found = read_json(manifest, what="convert manifest")
        options = (found.get("options") or {}) if isinstance(found, dict) else {}
    privacy = options.get("privacy") if isinstance(options.get("privacy"), dict) else {}
    return tables, options.get("period"), _kept(privacy.get("policy"))


def open_dataset(path: Path, schemas: dict[str, TableSchema], *, label: str | None = None) -> Dataset:
    """The tables at ``path``: a datapackage.json, or a folder holding TABLE.parquet files (or a
    datapackage.json). Raises InputError when a table file is missing or unreadable."""
    if path.is_dir() and not (path / "posts.parquet").is_file() and (path / "datapackage.json").is_file():
        path = path / "datapackage.json"
    about, no_terms = None, False
    if path.is_dir():
        tables, coverage, kept = _from_folder(path, schemas)
    elif path.is_file():
        tables, coverage, kept, about, no_terms = _from_descriptor(path, schemas)
    else:
        raise InputError(f"{path}: no such file or folder (validate reads a datapackage.json or a folder of tables)")
    for table in tables.values():
        if not table.path.is_file():
            raise InputError(f"{table.path}: missing (the {table.name} table)")
        try:
            pq.read_metadata(table.path)
        except (OSError, pa.ArrowException) as error:
            raise InputError(f"{table.path}: not a readable Parquet file ({error})") from None
    return Dataset(label or str(path), tables, Coverage.parse(coverage) if coverage else None, kept, no_terms, about)


def file_specs(schemas: dict[str, TableSchema]) -> list[Spec]:
    specs = []
    for name in schemas:
        specs.append(Spec(f"{name}.file.hash", name, "file", "file", {},
                          "the file's bytes match the hash (and size) the descriptor declares"))
        specs.append(Spec(f"{name}.file.schema", name, "file", "file", {},
                          "the Parquet schema has the declared columns, in order, with the declared types"))
    return specs


def check_hash(spec: Spec, table: TableFile) -> CheckResult:
    if table.hash is None:
        return CheckResult(spec, SKIPPED, "no hash declared")
    problem = hash_problem(table.path, table.hash, table.bytes)
    if problem:
        return CheckResult(spec, FAILED, f"{table.path.name}: {problem}")
    return CheckResult(spec, PASSED, f"{table.hash.rpartition(':')[0] or 'md5'} matches")


def schema_problem(path: Path, schema: TableSchema, *, nullability: bool = False) -> str | None:
    """How the Parquet file at ``path`` differs from the declared columns and types (and
    ``nullability``: see ``schema_differences``), or None."""
    actual = pq.read_schema(path)
    differing = schema_differences(actual, schema.arrow, nullability=nullability)
    if not differing:
        return None
    found = ", ".join(f"{n}: {t}" for n, t in zip(actual.names, actual.types))
    return f"{path.name}: differs from the declared schema in {', '.join(differing)} (found {found})"


def check_schema(spec: Spec, table: TableFile) -> CheckResult:
    problem = schema_problem(table.path, table.schema)
    return CheckResult(spec, FAILED, problem) if problem else CheckResult(spec, PASSED, "columns and types as declared")


def _duplicates(table: pa.Table, columns: list[str]) -> int:
    """How many rows repeat an earlier row's values in ``columns`` (nulls are not compared)."""
    if table.num_rows == 0:
        return 0
    if len(columns) == 1:
        column = table.column(columns[0]).drop_null()
        return len(column) - pc.count_distinct(column).as_py()
    grouped = table.select(columns).drop_null().group_by(columns).aggregate([])
    return table.select(columns).drop_null().num_rows - grouped.num_rows


def repeated_in_file(path: Path, key: list[str]) -> int:
    """How many rows of the Parquet file ``path`` repeat an earlier row's ``key`` (read whole: the key
    columns only)."""
    return _duplicates(pq.read_table(path, columns=key), key)


def table_problems(path: Path, schema: TableSchema, *, repeated: Repeated = repeated_in_file) -> list[str]:
    """What no table that ``build`` publishes may have, as messages naming the file: columns,
    types or nullability other than declared, or a repeated value of a unique key. (A required field
    is a non-nullable Arrow field, stored as a Parquet 'required' column that cannot hold a null, so
    the schema comparison covers the required fields.) Only the key columns are read, by
    ``repeated(path, key)``, which counts the rows that repeat an earlier row's key."""
    if not path.is_file():
        return [f"{path.name}: missing"]
    try:
        problem = schema_problem(path, schema, nullability=True)
    except (OSError, pa.ArrowException) as error:
        return [f"{path.name}: not a readable Parquet file ({error})"]
    if problem:
        return [problem]
    problems = []
    for key in schema.unique_keys:
        count = repeated(path, key)
        if count:
            problems.append(f"{path.name}: {count} duplicate value(s) in {'/'.join(key)}, which must be unique")
    return problems


@stage("Checking the tables")
def check_tables(directory: Path, schemas: dict[str, TableSchema], *, engine: Engine | None = None) -> None:
    """The checks ``build`` runs before it validates: raise DataError listing every problem of
    ``table_problems`` in the tables of ``directory``, or return when all conform. On the spark engine
    the keys are counted by Spark: reading them whole took the driver 680 MB at a million posts, most
    of it post_sources' three-column key."""
    repeated = repeated_in_file
    if engine is not None and engine.is_spark:
        from .spark.families import repeated_on_spark

        files = [directory / f"{name}.parquet" for name in schemas]
        repeated = repeated_on_spark(sized_session(engine, sum(f.stat().st_size for f in files if f.is_file())))
    problems = [p for name, schema in schemas.items()
                for p in table_problems(directory / f"{name}.parquet", schema, repeated=repeated)]
    if problems:
        raise DataError("check failed: " + "; ".join(problems))
