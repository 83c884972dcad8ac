"""The difference between two versions of a package: metadata and schema changes (``schemadiff``)
plus, for every table whose file changed, the rows added, removed and changed (``datadiff``).
Its ``level`` is the version bump the difference needs; ``render`` is what ``corpus-tools diff``
prints and ``package`` writes into CHANGELOG.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...core.files import sha256_file
from ...core.publish import read_stable
from ...core.schema import foreign_keys, key_fields
from ..descriptor import PackageFiles
from ..exports import twin_table
from .datadiff import TableDiff, diff_table
from .schemadiff import Change, descriptor_changes
from .semver import Level

DEFAULT_LIMIT = 20


@dataclass
class PackageDiff:
    """Everything that differs between an old and a new version of one package."""

    old_version: str | None
    new_version: str | None
    changes: list[Change]
    tables: list[TableDiff]

    @property
    def level(self) -> Level:
        return max([c.level for c in self.changes] + [t.level for t in self.tables], default=Level.NONE)

    def render(self, *, limit: int | None = DEFAULT_LIMIT) -> str:
        """Markdown: the needed bump, then the metadata and schema changes, then the data changes.
        At most ``limit`` keys are listed per kind of row change (None: all)."""
        lines = [f"Compared with {self.old_version}: the change needs a **{self.level}** version.", ""]
        lines += ["Metadata and schema:", ""]
        lines += [f"- {change}" for change in self.changes] or ["- no changes"]
        lines += ["", "Data:", ""]
        lines += [line for table in self.tables for line in _table_lines(table, limit)] or ["- no changes"]
        return "\n".join(lines) + "\n"


def _key(row: tuple) -> str:
    return f"`{row[0]}`" if len(row) == 1 else "`(" + ", ".join(str(v) for v in row) + ")`"


def _listed(rows: list[Any], limit: int | None, show) -> list[str]:
    shown = rows if limit is None else rows[:limit]
    more = len(rows) - len(shown)
    return [show(row) for row in shown] + ([f"... and {more} more"] if more else [])


def _table_lines(table: TableDiff, limit: int | None) -> list[str]:
    if not table:
        return []
    counts = f"{len(table.added)} added, {len(table.removed)} removed, {len(table.changed)} changed"
    lines = [f"- {table.table}: {table.old_rows} -> {table.new_rows} rows; {counts} ({table.level})"]
    for label, rows in (("added", table.added), ("removed", table.removed)):
        if rows:
            lines.append(f"  - {label}: " + ", ".join(_listed(rows, limit, _key)))
    if table.changed:
        lines.append("  - changed:")
        lines += [f"    - {line}" for line in _listed(table.changed, limit, lambda c: f"{_key(c[0])}: {', '.join(c[1])}")]
    return lines


def referenced_tables(descriptor: dict[str, Any]) -> set[str]:
    """Tables some foreign key points at (a key without a resource points at its own table)."""
    return {key.resource for r in descriptor.get("resources", []) for key in foreign_keys(r.get("schema", {}), r["name"])}


def _unchanged_file(old: PackageFiles, new: PackageFiles, resource: str) -> bool:
    return old.resources[resource].get("hash") == new.resources[resource].get("hash")


def _old_file_usable(old: PackageFiles, resource: dict[str, Any]) -> bool:
    path = old.locate(resource["path"])
    return path.is_file() and resource.get("hash") == f"sha256:{sha256_file(path)}"


def _data(old: PackageFiles, new: PackageFiles) -> tuple[list[TableDiff], list[Change]]:
    referenced = referenced_tables(old.descriptor) | referenced_tables(new.descriptor)
    tables, changes = [], []
    common = [name for name in new.resources if name in old.resources and not _unchanged_file(old, new, name)]
    for name in (n for n in common if twin_table(n) is None):
        resource = old.resources[name]
        if not _old_file_usable(old, resource):
            changes.append(Change(Level.MAJOR, name, f"data changed, and the previous {resource['path']} is missing "
                                  "or altered, so its rows cannot be compared (assumed incompatible)"))
            continue
        key = key_fields(new.resources[name].get("schema", {}).get("primaryKey"))
        added = new.resources[name].get("schema", {}).get("addedRows", "minor")
        diff = diff_table(name, old.locate(resource["path"]), new.locate(new.resources[name]["path"]),
                          key=key, referenced=name in referenced, added_level=Level[str(added).upper()])
        tables.append(diff)
        if not diff:
            changes.append(Change(Level.PATCH, name, "file bytes changed, rows identical"))
    for name in (n for n in common if twin_table(n) is not None and twin_table(n) not in common):
        changes.append(Change(Level.PATCH, name, "file changed while its table did not"))
    return tables, changes


def diff_packages(old: PackageFiles, new: PackageFiles) -> PackageDiff:
    """Compare two versions of a package, each a descriptor and where its files are.

    Example: ``diff_packages(PackageFiles.load(Path("v1")), PackageFiles.load(Path("v2"))).level``
    """
    tables, file_changes = _data(old, new)
    return PackageDiff(old_version=old.descriptor.get("version"), new_version=new.descriptor.get("version"),
                       changes=descriptor_changes(old.descriptor, new.descriptor) + file_changes, tables=tables)


def compare(old: Path, new: Path) -> PackageDiff:
    """Compare two published versions, each given as its descriptor or the folder holding it.

    Example: ``print(compare(Path("v1.0.0/datapackage.json"), Path(".")).render())``
    """
    def folder(path: Path) -> Path:
        return path if path.is_dir() else path.parent

    return read_stable(folder(old), lambda: read_stable(
        folder(new), lambda: diff_packages(PackageFiles.load(old), PackageFiles.load(new))))
