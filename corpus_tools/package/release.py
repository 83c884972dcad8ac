"""Turning checked tables into a published version: everything between 'the tables are in
staging and pass the checks' and 'datapackage.json is written'.

It works inside the staging folder, so a refusal leaves the previous version untouched, in two
steps with the validation between them (``build``), so that what is validated is what is published:

1. ``draft_release`` puts each table in its declared order (``ordering``), starts writing the CSV
   twins, reads the facts, draws the figure and assembles the descriptor, hashes included. ``build``
   stages that descriptor and validates the package it describes: the final files, file hashes
   included. The twins are written meanwhile, in a thread of their own (at a million posts they are
   seconds of work that validation, which reads only the Parquet tables and leaves a core idle for
   much of its run, does not wait for); ``Draft.finish`` waits for them and adds them to the
   descriptor, after the Parquet resources, as the published descriptor lists them.
2. ``prepare_release`` records the validation in the descriptor, compares it with the previous
   version and refuses a bump smaller than the change needs (``semver``), then renders the data card,
   croissant.json, the citation files, the Hub metadata and the CHANGELOG entry.

The caller (``build``) stages the descriptor and those root files beside the tables and publishes
them all at once (``core.publish``).
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..core.memory import trim
from ..core.progress import stage as progress_stage
from ..core.schema import TableSchema
from . import card, citation, hub
from .croissant import croissant, croissant_bytes
from .descriptor import PackageFiles, created_timestamp, package_descriptor, table_resource, with_validation
from .exports import CSV_EXTENSION, csv_resource, write_csv
from .facts import Facts, read_facts
from .figure import overview_png
from .ordering import order_table
from .publishing import Publishing
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
    """The Parquet resources, each table put in its order first."""
    parquet = []
    for name, schema in schemas.items():
        order_table(stage / f"{name}.parquet", schema)
        parquet.append(table_resource(name, stage / f"{name}.parquet", _in(prefix, f"{name}.parquet"), schema))
    return parquet


def _twins(stage: Path, schemas: dict[str, TableSchema], prefix: str) -> list[dict[str, Any]]:
    """The CSV twins of the (ordered) tables in ``stage``, written there; their resources."""
    text = []
    for name, schema in schemas.items():
        write_csv(stage / f"{name}.parquet", stage / f"{name}{CSV_EXTENSION}", schema)
        text.append(csv_resource(name, stage / f"{name}{CSV_EXTENSION}", _in(prefix, f"{name}{CSV_EXTENSION}"), schema))
    trim()  # the batches' pages, freed in this thread's arena, back to the system before validation's long run
    return text


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


@dataclass
class Draft:
    """A version's tables in their final form, described: what validation checks before it is published.
    Until ``finish``, the CSV twins are being written, and neither ``descriptor``, nor ``moved``, nor
    ``staged`` has them."""

    descriptor: dict[str, Any]
    facts: Facts
    moved: dict[str, Path]  # each resource's path -> its file in staging
    staged: list[str]  # the files it added to the staged data folder
    twins: Future[list[dict[str, Any]]] | None = None
    stage: Path | None = None

    def finish(self) -> None:
        """Wait for the CSV twins (raising what writing them raised) and add them. Call it before the
        staging folder is published or given up, whatever happened meanwhile."""
        if self.twins is None:
            return
        twins, self.twins = self.twins, None
        text = twins.result()
        self.descriptor["resources"] = self.descriptor["resources"] + text
        self.moved.update({r["path"]: self.stage / Path(r["path"]).name for r in text})
        self.staged[:0] = [Path(r["path"]).name for r in text]


@progress_stage("Packaging")
def draft_release(stage: Path, *, schemas: dict[str, TableSchema], metadata: dict[str, Any], version: str,
                  sources: list[dict[str, Any]], data_prefix: str, previous: PackageFiles | None,
                  period: tuple[date, date] | None = None,
                  privacy: dict[str, Any] | None = None) -> Draft:
    """Step 1 (see the module docstring) for the tables in ``stage``.

    Example: see ``corpus_tools.package.build.build``, its only caller.
    """
    resources = _resources(stage, schemas, data_prefix)
    writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="csv-twins")
    twins = writer.submit(_twins, stage, schemas, data_prefix)
    writer.shutdown(wait=False)  # the thread ends with its one task
    moved = {r["path"]: stage / Path(r["path"]).name for r in resources}
    facts = read_facts({name: moved[_in(data_prefix, f"{name}.parquet")] for name in schemas}, period=period)
    (stage / card.FIGURE).write_bytes(overview_png(days=facts.days, hashtags=facts.hashtags, undated=facts.undated))
    descriptor = package_descriptor(
        metadata=metadata, version=version, sources=sources, resources=resources,
        created=created_timestamp(previous.descriptor if previous else None, version),
        temporal_coverage=f"{period[0]}/{period[1]}" if period else None, channel_coverage=facts.channels,
        image=_in(data_prefix, card.FIGURE), privacy=privacy)
    return Draft(descriptor, facts, moved, [card.FIGURE], twins=twins, stage=stage)


def prepare_release(draft: Draft, *, validation: dict[str, Any] | None, descriptor_path: Path,
                    previous: PackageFiles | None, publishing: Publishing, force: bool = False) -> Release:
    """Step 2 (see the module docstring): raise UsageError when the version bumps ``previous`` less
    than the change needs (unless ``force``).

    Example: see ``corpus_tools.package.build.build``, its only caller.
    """
    draft.finish()
    descriptor = with_validation(draft.descriptor, validation)
    diff = diff_packages(previous, PackageFiles(descriptor, descriptor_path.parent, draft.moved)) if previous else None
    old = Version.parse(previous.descriptor.get("version", "")) if previous else None
    check_version(previous=old, new=Version.parse(descriptor["version"]), needed=diff.level if diff else Level.NONE,
                  force=force)
    release = Release(descriptor, descriptor_path, diff, staged=list(draft.staged))
    _published_words(release, draft.facts, publishing)
    _changelog(release, previous, rows=draft.facts.rows)
    return release


def _published_words(release: Release, facts: Facts, publishing: Publishing) -> None:
    """The files that describe the version beside the descriptor: the data card (with the Hub's YAML
    as its front matter when it is the package's README.md, else ``.huggingface.yaml``), croissant.json,
    CITATION.cff and .zenodo.json."""
    descriptor, root = release.descriptor, release.descriptor_path.parent
    metadata = hub.hub_metadata(descriptor, rows=facts.rows, languages=publishing.languages,
                                task_categories=publishing.task_categories)
    at_root = publishing.card.parent.resolve() == root.resolve() and publishing.card.name == card.FILE
    text = card.render_card(descriptor, facts, validation=descriptor.get("validation"),
                            card_folder=publishing.card.parent.resolve().relative_to(root.resolve()).as_posix())
    release.root_files[publishing.card] = ((hub.front_matter(metadata) if at_root else "") + text).encode("utf-8")
    if not at_root:
        release.root_files[root / hub.STANDALONE] = hub.standalone_bytes(metadata)
    document = croissant(descriptor, cite_as=card.citation(descriptor), publisher=publishing.publisher)
    release.root_files[root / CROISSANT] = croissant_bytes(document)
    release.root_files[root / citation.CFF_FILE] = citation.cff_bytes(citation.cff(descriptor, publishing))
    release.root_files[root / citation.ZENODO_FILE] = citation.zenodo_bytes(citation.zenodo(descriptor, publishing))
