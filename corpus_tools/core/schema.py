"""The declared schema: Frictionless Table Schemas in ``schemas/``, and what is derived from them.

``schemas/NAME.schema.json`` declares table NAME. It is the single source of truth: the Arrow schema
every Parquet file is written with, the descriptor's schemas and the checks all come from here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..errors import UsageError

# Table Schema types -> Arrow types. Timestamps are UTC with microseconds, the precision every
# Parquet reader (pandas, R arrow, DuckDB, polars) round-trips without loss.
ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "datetime": pa.timestamp("us", tz="UTC"),
    "date": pa.date32(),
}


def schema_dir() -> Path:
    """Where the schemas are: inside the installed package, or at the root of a source checkout."""
    package = Path(__file__).resolve().parent.parent  # corpus_tools/
    here = package
    for candidate in (package / "schemas", package.parent / "schemas"):
        if candidate.is_dir():
            return candidate
    raise UsageError(f"no schemas/ folder next to {here}")


@dataclass(frozen=True)
class TableSchema:
    """One declared table: its name and the Table Schema descriptor as written in ``schemas/``."""

    name: str
    descriptor: dict[str, Any]

    @property
    def fields(self) -> list[dict[str, Any]]:
        return self.descriptor["fields"]

    @property
    def field_names(self) -> list[str]:
        return [f["name"] for f in self.fields]

    @property
    def required(self) -> list[str]:
        return [f["name"] for f in self.fields if f.get("constraints", {}).get("required")]

    @property
    def unique(self) -> list[str]:
        return [f["name"] for f in self.fields if f.get("constraints", {}).get("unique")]

    def field(self, name: str) -> dict[str, Any]:
        """The declared field ``name`` (KeyError when the table has none)."""
        for f in self.fields:
            if f["name"] == name:
                return f
        raise KeyError(f"{self.name} declares no field {name!r}")

    @property
    def personal(self) -> dict[str, str]:
        """The fields that can hold a private person's identifier, and of which kind ('id', 'name',
        'link' or 'raw'), as the schema marks them (``"personal"``): what pseudonymisation and its
        check cover."""
        return {f["name"]: f["personal"] for f in self.fields if "personal" in f}

    @property
    def unique_keys(self) -> list[list[str]]:
        """Every set of columns whose values no two rows may share: each unique field, and the
        primary key (once, when it is not already a unique field)."""
        keys = [[c] for c in self.unique]
        return keys + ([self.primary_key] if self.primary_key and self.primary_key not in keys else [])

    @property
    def primary_key(self) -> list[str]:
        return key_fields(self.descriptor.get("primaryKey"))

    @property
    def foreign_keys(self) -> list[ForeignKey]:
        return foreign_keys(self.descriptor, self.name)

    @cached_property
    def arrow(self) -> pa.Schema:
        """The Arrow schema: declared columns in order, declared types, required -> not null.

        It carries pandas metadata naming each column's pandas dtype, so ``pandas.read_parquet``
        (and frictionless, which reads Parquet through pandas) gives the declared types: without it
        an integer column with nulls would come back as float64 with NaN for null. Each field carries
        its declared description (and title) as Arrow field metadata, so a Parquet file explains its
        columns to a reader that never sees the descriptor.
        """
        fields = [
            pa.field(f["name"], ARROW_TYPES[f["type"]], nullable=not f.get("constraints", {}).get("required"),
                     metadata=_field_metadata(f) or None)
            for f in self.fields
        ]
        return pa.schema(fields, metadata={"pandas": json.dumps(_pandas_metadata(self.fields))})


def _field_metadata(spec: dict[str, Any]) -> dict[str, str]:
    """A declared field's words, as Arrow field metadata (keys as the Table Schema names them).

    >>> _field_metadata({"name": "a", "type": "string", "title": "A", "description": "An a."})
    {'title': 'A', 'description': 'An a.'}
    """
    return {key: spec[key] for key in ("title", "description") if spec.get(key)}


def key_fields(value: str | list[str] | None) -> list[str]:
    """A key's fields as a list: Table Schema writes a one-field key as a string or a list.

    >>> key_fields("post_id"), key_fields(["post_id", "offset"]), key_fields(None)
    (['post_id'], ['post_id', 'offset'], [])
    """
    if not value:
        return []
    return [value] if isinstance(value, str) else list(value)


@dataclass(frozen=True)
class ForeignKey:
    """A foreign key, its field lists normalised: ``fields`` of this table refer to ``target_fields`` of
    ``resource`` (this table itself when the descriptor names none)."""

    fields: list[str]
    resource: str
    target_fields: list[str]


def foreign_keys(schema: dict[str, Any], table: str) -> list[ForeignKey]:
    """The foreign keys of a Table Schema descriptor (of ``table``), normalised.

    >>> foreign_keys({"foreignKeys": [{"fields": "post_id", "reference": {"resource": "posts", "fields": "post_id"}}]}, "t")
    [ForeignKey(fields=['post_id'], resource='posts', target_fields=['post_id'])]
    """
    return [ForeignKey(key_fields(key["fields"]), key["reference"].get("resource") or table,
                       key_fields(key["reference"]["fields"])) for key in schema.get("foreignKeys", [])]


def schema_differences(actual: pa.Schema, declared: pa.Schema, *, nullability: bool = False) -> list[str]:
    """The declared columns a Parquet schema gets wrong (missing, of another type, or with
    ``nullability`` of another nullability), or ['column order'] when only the order differs; [] when
    it has the declared columns, in order, as declared.

    Validation leaves nullability out: DuckDB, polars and Spark store every column as optional, and
    whether a required column holds a null is a check of its own. Files corpus-tools wrote itself are
    held to it: there a required column is a Parquet 'required' column, which cannot hold a null.

    >>> declared = pa.schema([pa.field("a", pa.string(), nullable=False), ("b", pa.int64())])
    >>> schema_differences(pa.schema([("a", pa.string()), ("b", pa.int32())]), declared)
    ['b']
    >>> schema_differences(pa.schema([("a", pa.string()), ("b", pa.int64())]), declared, nullability=True)
    ['a']
    """
    def differs(f: pa.Field) -> bool:
        if f.name not in actual.names:
            return True
        found = actual.field(f.name)
        return found.type != f.type or (nullability and found.nullable != f.nullable)

    wrong = [f.name for f in declared if differs(f)]
    return wrong or ([] if actual.names == declared.names else ["column order"])


# Table Schema type -> (pandas_type, numpy_type when required, numpy_type when nullable)
_PANDAS_TYPES = {
    "string": ("unicode", "object", "object"),
    "integer": ("int64", "int64", "Int64"),
    "number": ("float64", "float64", "float64"),
    "boolean": ("bool", "bool", "boolean"),
    "datetime": ("datetimetz", "datetime64[us]", "datetime64[us]"),
    "date": ("date", "object", "object"),
}


def _pandas_metadata(fields: list[dict[str, Any]]) -> dict[str, Any]:
    columns = []
    for f in fields:
        pandas_type, required_type, nullable_type = _PANDAS_TYPES[f["type"]]
        required = f.get("constraints", {}).get("required")
        columns.append({
            "name": f["name"],
            "field_name": f["name"],
            "pandas_type": pandas_type,
            "numpy_type": required_type if required else nullable_type,
            "metadata": {"timezone": "UTC"} if f["type"] == "datetime" else None,
        })
    return {"index_columns": [], "column_indexes": [], "columns": columns}


def _check(name: str, descriptor: dict[str, Any], path: Path) -> None:
    for f in descriptor.get("fields", []):
        if f.get("type") not in ARROW_TYPES:
            raise UsageError(f"{path}: field {f.get('name')!r} has type {f.get('type')!r}, not one of {sorted(ARROW_TYPES)}")
    if not descriptor.get("fields"):
        raise UsageError(f"{path}: declares no fields")


def load_schemas(directory: Path | None = None) -> dict[str, TableSchema]:
    """All declared tables, 'posts' first (the others refer to it), then by name."""
    directory = directory or schema_dir()
    schemas = {}
    for path in sorted(directory.glob("*.schema.json")):
        name = path.name.removesuffix(".schema.json")
        try:
            descriptor = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as error:
            raise UsageError(f"{path}: unreadable schema ({error})") from None
        _check(name, descriptor, path)
        schemas[name] = TableSchema(name, descriptor)
    if "posts" not in schemas:
        raise UsageError(f"{directory}: no posts.schema.json")
    return dict(sorted(schemas.items(), key=lambda item: (item[0] != "posts", item[0])))
