"""What changed between two descriptors - package metadata, resources, schemas - and the version
bump each change needs, after the Data Package Version recipe:

- major (incompatible): the package's name or id, licences; a resource removed, or its format,
  media type or encoding changed; a field added, removed, reordered, or its type or format
  changed; a constraint made stricter; the primary key, missing values or a foreign key changed;
- minor (backwards-compatible additions): a resource added; a constraint loosened or dropped; a
  foreign key dropped;
- patch: descriptive metadata (titles, descriptions, keywords, contributors, sources, coverage);
- none: a resource's path (the recipe: relocating data changes no version).

The CSV twins mirror their tables: only their arrival or removal is reported, not each schema
change twice. Hashes and sizes are left to the data diff.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..exports import twin_table
from .semver import Level

# Package properties whose change is structural; every other one is descriptive (patch).
MAJOR_PACKAGE_KEYS = ("name", "id", "licenses")
IGNORED_PACKAGE_KEYS = ("version", "created", "resources")
MAJOR_RESOURCE_KEYS = ("format", "mediatype", "encoding", "type")
IGNORED_RESOURCE_KEYS = ("name", "path", "hash", "bytes", "_bytes", "schema")
# Numeric bounds: +1 when raising the value makes the constraint stricter, -1 when lowering does.
BOUNDS = {"minimum": 1, "exclusiveMinimum": 1, "minLength": 1, "maximum": -1, "exclusiveMaximum": -1, "maxLength": -1}


@dataclass(frozen=True)
class Change:
    """One difference, where it is (``resource`` or ``resource.field``; '' for the package), and the
    bump it needs."""

    level: Level
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where + ': ' if self.where else ''}{self.what} ({self.level})"


def _constraint(name: str, old: Any, new: Any) -> Level:
    """The bump a change of one constraint needs: stricter -> major, looser -> minor."""
    if old == new:
        return Level.NONE
    if name == "required" or name == "unique":
        return Level.MAJOR if new else Level.MINOR
    if old is None or new is None:  # a constraint added is stricter, one dropped looser
        return Level.MAJOR if old is None else Level.MINOR
    if name in BOUNDS:
        return Level.MAJOR if (new - old) * BOUNDS[name] > 0 else Level.MINOR
    if name == "enum" and set(new) > set(old):
        return Level.MINOR
    return Level.MAJOR  # enum narrowed or replaced, pattern changed, anything unknown: assume incompatible


def _field(where: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes = []
    for key in ("type", "format", "missingValues"):
        if old.get(key) != new.get(key):
            changes.append(Change(Level.MAJOR, where, f"{key} {old.get(key)!r} -> {new.get(key)!r}"))
    old_c, new_c = old.get("constraints", {}), new.get("constraints", {})
    for name in sorted(old_c.keys() | new_c.keys()):
        level = _constraint(name, old_c.get(name), new_c.get(name))
        if level:
            changes.append(Change(level, where, f"constraint {name} {old_c.get(name)!r} -> {new_c.get(name)!r}"))
    for key in sorted((old.keys() | new.keys()) - {"name", "type", "format", "missingValues", "constraints"}):
        if old.get(key) != new.get(key):
            changes.append(Change(Level.PATCH, where, f"{key} changed"))
    return changes


def _fields(table: str, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Change]:
    old_names, new_names = [f["name"] for f in old], [f["name"] for f in new]
    changes = [Change(Level.MAJOR, table, f"field {n} added") for n in new_names if n not in old_names]
    changes += [Change(Level.MAJOR, table, f"field {n} removed") for n in old_names if n not in new_names]
    common = [n for n in old_names if n in new_names]
    if common != [n for n in new_names if n in old_names]:
        changes.append(Change(Level.MAJOR, table, "fields reordered"))
    old_by, new_by = {f["name"]: f for f in old}, {f["name"]: f for f in new}
    for name in common:
        changes += _field(f"{table}.{name}", old_by[name], new_by[name])
    return changes


def _foreign_keys(table: str, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Change]:
    changes = [Change(Level.MAJOR, table, f"foreign key {k['fields']} added") for k in new if k not in old]
    return changes + [Change(Level.MINOR, table, f"foreign key {k['fields']} dropped") for k in old if k not in new]


def schema_changes(table: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Differences between two Table Schemas of one resource."""
    changes = _fields(table, old.get("fields", []), new.get("fields", []))
    for key in ("primaryKey", "missingValues", "uniqueKeys"):
        if old.get(key) != new.get(key):
            level = Level.MINOR if key == "uniqueKeys" and not new.get(key) else Level.MAJOR
            changes.append(Change(level, table, f"{key} {old.get(key)!r} -> {new.get(key)!r}"))
    changes += _foreign_keys(table, old.get("foreignKeys", []), new.get("foreignKeys", []))
    for key in sorted((old.keys() | new.keys()) - {"fields", "primaryKey", "missingValues", "uniqueKeys", "foreignKeys"}):
        if old.get(key) != new.get(key):
            changes.append(Change(Level.PATCH, table, f"schema {key} changed"))
    return changes


def _properties(where: str, old: dict[str, Any], new: dict[str, Any], *, major: tuple[str, ...],
                ignored: tuple[str, ...]) -> list[Change]:
    changes = []
    for key in sorted((old.keys() | new.keys()) - set(ignored)):
        if old.get(key) != new.get(key):
            changes.append(Change(Level.MAJOR if key in major else Level.PATCH, where, f"{key} changed"))
    return changes


def resource_changes(name: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Differences between two versions of one resource, its schema included (not its data)."""
    changes = []
    if old.get("path") != new.get("path"):
        changes.append(Change(Level.NONE, name, f"moved from {old.get('path')} to {new.get('path')}"))
    changes += _properties(name, old, new, major=MAJOR_RESOURCE_KEYS, ignored=IGNORED_RESOURCE_KEYS)
    if twin_table(name) is None:
        changes += schema_changes(name, old.get("schema", {}), new.get("schema", {}))
    return changes


def descriptor_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every metadata and schema difference between two descriptors, package first."""
    changes = _properties("", old, new, major=MAJOR_PACKAGE_KEYS, ignored=IGNORED_PACKAGE_KEYS)
    old_res = {r["name"]: r for r in old.get("resources", [])}
    new_res = {r["name"]: r for r in new.get("resources", [])}
    changes += [Change(Level.MINOR, name, "resource added") for name in new_res if name not in old_res]
    changes += [Change(Level.MAJOR, name, "resource removed") for name in old_res if name not in new_res]
    for name in (n for n in new_res if n in old_res):
        changes += resource_changes(name, old_res[name], new_res[name])
    return changes
