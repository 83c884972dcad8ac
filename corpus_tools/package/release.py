"""Turning checked tables into a published version: everything between 'the tables are in
staging and pass the checks' and 'datapackage.json is written'.

``prepare_release`` works inside the staging folder, so a refusal leaves the previous version
untouched: it writes the CSV twins, reads the facts, assembles the descriptor, compares it with
the previous version and refuses a bump smaller than the change needs (``semver``), then writes
the data card and its figure and prepares croissant.json and the CHANGELOG entry.
The caller (``build``) stages the descriptor and those root files beside the tables and publishes
them all at once (``core.publish``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..core.progress import stage as progress_stage
from ..core.schema import TableSchema
from . import card
from .croissant import croissant, croissant_bytes
from .descriptor import PackageFiles, created_timestamp, package_descriptor, table_resource
from .exports import CSV_EXTENSION, csv_resource, write_csv
from .facts import read_facts
from .figure import overview_png
from .versioning import changelog
from .versioning.diff import PackageDiff, diff_packages
from .versioning.semver import Level, Version, check_version

CROISSANT = "croissant.json"


@dataclass
class Release:
    """A version ready to publish: its descriptor, how it differs from the previous version, the
    files it added to staging, and the files to write beside the descriptor before it."""

    descriptor: dict[str, Any]
    descriptor_path: Path
    diff: PackageDiff | None
    staged: list[str] = field(default_factory=list)
    root_files: dict[Path, bytes] = field(default_factory=dict)

    @property
    def level(self) -> Level:
        return self.diff.level if self.diff else Level.NONE


def _in(prefix: str, name: str) -> str:
    return name if prefix in ("", ".") else f"{prefix}/{name}"


def _resources(stage: Path, schemas: dict[str, TableSchema], prefix: str) -> list[dict[str, Any]]:
    """The Parquet resources, then their CSV twins (written here into ``stage``)."""
    parquet, text = [], []
    for name, schema in schemas.items():
        write_csv(stage / f"{name}.parquet", stage / f"{name}{CSV_EXTENSION}", schema)
        parquet.append(table_resource(name, stage / f"{name}.parquet", _in(prefix, f"{name}.parquet"), schema))
        text.append(csv_resource(name, stage / f"{name}{CSV_EXTENSION}", _in(prefix, f"{name}{CSV_EXTENSION}"), schema))
    return parquet + text


def _changelog(release: Release, previous: PackageFiles | None, *, rows: dict[str, int]) -> None:
    """Add this version's entry: for a new version, or a version forcibly rebuilt with changes;
    an unchanged rebuild keeps the file as it is."""
    descriptor = release.descriptor
    old_version = previous.descriptor.get("version") if previous else None
    if previous is not None and old_version == descriptor["version"] and release.level is Level.NONE:
        return
    bumped = Version.parse(descriptor["version"]).bump_from(Version.parse(old_version)) if old_version else None
    forced = release.level if bumped is not None and bumped < release.level else None
    path = release.descriptor_path.parent / changelog.FILE
    text = path.read_text(encoding="utf-8") if path.is_file() else None
    entry = changelog.entry(version=descriptor["version"], created=descriptor["created"], diff=release.diff,
                            tables=rows, forced_over=forced)
    updated = changelog.add_entry(text, name=descriptor["name"], version=descriptor["version"], new_entry=entry)
    release.root_files[path] = updated.encode("utf-8")


@progress_stage("Packaging")
def prepare_release(stage: Path, *, schemas: dict[str, TableSchema], metadata: dict[str, Any], version: str,
                    sources: list[dict[str, Any]], data_prefix: str, descriptor_path: Path,
                    previous: PackageFiles | None, period: tuple[date, date] | None = None,
                    force: bool = False, validation: dict[str, Any] | None = None) -> Release:
    """Prepare version ``version`` of the tables in ``stage``; raise UsageError when it bumps
    ``previous`` less than the change needs (unless ``force``).

    Example: see ``corpus_tools.package.build.build``, its only caller.
    """
    resources = _resources(stage, schemas, data_prefix)
    moved = {r["path"]: stage / Path(r["path"]).name for r in resources}
    facts = read_facts({name: moved[_in(data_prefix, f"{name}.parquet")] for name in schemas}, period=period)
    descriptor = package_descriptor(
        metadata=metadata, version=version, sources=sources, resources=resources,
        created=created_timestamp(previous.descriptor if previous else None, version),
        temporal_coverage=f"{period[0]}/{period[1]}" if period else None, channel_coverage=facts.channels,
        validation=validation)
    diff = diff_packages(previous, PackageFiles(descriptor, descriptor_path.parent, moved)) if previous else None
    old = Version.parse(previous.descriptor.get("version", "")) if previous else None
    check_version(previous=old, new=Version.parse(version), needed=diff.level if diff else Level.NONE, force=force)
    release = Release(descriptor, descriptor_path, diff, staged=[Path(r["path"]).name for r in resources
                                                                 if r["format"] != "parquet"])
    (stage / card.FILE).write_text(card.render_card(descriptor, facts, validation=validation), encoding="utf-8")
    (stage / card.FIGURE).write_bytes(overview_png(days=facts.days, hashtags=facts.hashtags, undated=facts.undated))
    release.staged += [card.FILE, card.FIGURE]
    document = croissant(descriptor, cite_as=card.citation(descriptor))
    release.root_files[descriptor_path.parent / CROISSANT] = croissant_bytes(document)
    _changelog(release, previous, rows=facts.rows)
    return release
