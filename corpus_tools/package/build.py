"""build and package: convert the dataset's inputs (as dataset.toml says), check the tables, and
publish them as a version of the data package, all or nothing.

Both commands are one pipeline. ``build`` (the main job, ``make build``) publishes the version
dataset.toml names; ``package`` publishes the version given with ``--version`` or ``--bump`` and
records it in dataset.toml. Either way the new version is compared with the previous one (the
descriptor already published, or ``--previous``) and refused when its number bumps less than the
change needs (``package.semver``), so rebuilding an unchanged version reproduces it byte for byte
and changing the data without a new version number fails.

Before a version is published its tables must pass the checks and the validation suites (no
failure at error severity, unless ``allow_invalid``, which the descriptor then records). What is
validated is the package as it will be published: the tables in their final order, hashed, and
described by the staged descriptor, so the file-hash checks run too and the published validation
is what ``corpus-tools validate datapackage.json`` says of the published files. The validation
reports are published with the package into the reports folder: ``validation.json``,
``validation.junit.xml`` and ``validation.html`` (the report users open, offline), deterministic and
committed with the data, and ``data-docs/``, GX's HTML, which carries run times and is not
committed. A build refused for failing validation still writes its reports there, since they say why.

The package folder is written by one process at a time (its lock), and a version is published all
at once (``core.publish``): everything is staged first, and only when the tables pass the checks and
the version is accepted is the whole set switched into place, the descriptor last, through a journal
that the next command completes if the switch was interrupted. A crash at any instant, a failed
check or a refused version leaves the previous package as it was, or the new one, whole.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..convert.run import ConvertResult, convert_into
from ..convert.steps.privacy import Privacy
from ..core.engine import Engine
from ..core.memory import trim
from ..core.publish import FolderLock, Publication, recover
from ..core.schema import load_schemas
from ..errors import DataError, UsageError, option_error
from ..validate.source import check_tables
from .archive import write_archive
from .card import GENERATED
from .config import DatasetConfig, with_version, write_version
from .descriptor import PackageFiles, descriptor_bytes
from .ordering import SOURCE_ORDER, sort_key
from .privacy import persons, privacy_record
from .release import draft_release, prepare_release
from .versioning.diff import PackageDiff
from .versioning.semver import Level, Version

if TYPE_CHECKING:
    from ..validate.results import ValidationResult

REPORT, JUNIT, HTML, DATA_DOCS = "validation.json", "validation.junit.xml", "validation.html", "data-docs"


class ValidationFailed(DataError):
    """A build refused for failing validation; ``validation`` is the result its reports hold, so the
    command line can print the same summary ``validate`` prints."""

    def __init__(self, message: str, *, validation: ValidationResult, options: list[str]) -> None:
        super().__init__(message, options=options)
        self.validation = validation


@dataclass
class BuildResult:
    convert: ConvertResult
    descriptor_path: Path
    descriptor: dict[str, Any]
    validation: ValidationResult
    reports_dir: Path
    diff: PackageDiff | None = None  # against the previous version; None for a first release
    archive: Path | None = None
    published: list[str] = field(default_factory=list)  # what the publication wrote, relative to the package folder
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage: convert, checks, validate, package


def _previous(explicit: Path | None, published: Path) -> PackageFiles | None:
    """The version to compare with: ``--previous``, else the published descriptor, else none."""
    if explicit is not None:
        return PackageFiles.load(explicit)
    return PackageFiles.load(published) if published.is_file() else None


def _sources(config: DatasetConfig, converted: ConvertResult) -> list[dict[str, Any]]:
    """The descriptor's sources: each input with the sha256 and size convert read it with (hashing
    a multi-gigabyte input once is enough). An input inside the package folder is given by its path
    there; one outside it only by its file name and hash, never by where this machine keeps it."""
    read = {summary.path: summary for summary in converted.inputs}
    sources = []
    for entry in config.inputs:
        summary = read.get(entry.path)
        if summary is None:  # the same file as another input: convert read it once
            continue
        source: dict[str, Any] = {"title": entry.title}
        if config.inside(entry.path):
            source["path"] = config.relative(entry.path)
        else:
            source["name"] = summary.source_file
        sources.append({**source, "hash": f"sha256:{summary.sha256}", "bytes": summary.bytes})
    return sources


def _validate(config: DatasetConfig, staged_descriptor: Path, reports: Path, *, allow_invalid: bool,
              private_terms: set[str], engine: Engine) -> tuple[ValidationResult, dict[str, Any]]:
    """Run the suites on the staged package (the descriptor, and the files it describes), writing the
    reports into ``reports`` (staged too). Returns the result and the descriptor's ``validation``
    property, which the data card shows too."""
    from ..validate.base import SKIPPED
    from ..validate.run import validate

    result = validate(staged_descriptor, label=config.relative(config.descriptor_path), report=reports / REPORT,
                      junit=reports / JUNIT, html=reports / HTML, docs=reports / DATA_DOCS, config=config.validation_file,
                      overrides=config.validation, private_terms=private_terms, engine=engine)
    errors = [r.spec.id for r in result.results if r.fails_at("error")]
    record = {"passed": not errors, "allowInvalid": allow_invalid, "checks": len(result.results),
              "report": config.relative(config.reports_dir / REPORT), "html": config.relative(config.reports_dir / HTML),
              "failed": errors, "warnings": [r.spec.id for r in result.results if r.failed and not r.fails_at("error")],
              "skipped": [r.spec.id for r in result.results if r.status == SKIPPED]}
    if config.validation or config.validation_file:  # this dataset's own thresholds and severities
        record["config"] = {**({"file": config.relative(config.validation_file)} if config.validation_file else {}),
                            **config.validation}
    return result, record


def _privacy(privacy: Privacy, schemas: dict, result: ConvertResult, staged: Path) -> dict[str, Any]:
    """The descriptor's ``privacy`` property (see ``package.privacy``)."""
    excluded = sum(s.facts.get("record_usage", {}).get("excluded", 0) for s in result.inputs)
    tables = {name: staged / f"{name}.parquet" for name in schemas}
    return privacy_record(privacy, schemas, steps=result.steps, persons=persons(tables, schemas), excluded=excluded,
                          input_terms=len(result.private_terms))


def _report_files(config: DatasetConfig, reports: Path) -> list[str]:
    """The staged reports, as paths relative to the package folder."""
    folder = config.relative(config.reports_dir)
    return [f"{folder}/{name}" for name in (REPORT, JUNIT, HTML, DATA_DOCS) if (reports / name).exists()]


def _check_card(config: DatasetConfig) -> None:
    """Refuse to replace a README.md that is not a data card written by corpus-tools (a project's own
    front page): the card then needs a place of its own, ``[output] card``."""
    card = config.publishing.card
    # The whole file is searched: the Hub's front matter before the card grows with the tables.
    if card.is_file() and GENERATED not in card.read_text(encoding="utf-8", errors="replace"):
        raise UsageError(f"{card}: exists and is not a data card written by corpus-tools; set [output] card in "
                         f"{config.path} to another path (such as \"data/README.md\") or move the file")


def build(config_path: Path = Path("dataset.toml"), *, version: str | None = None, previous: Path | None = None,
          force: bool = False, allow_invalid: bool = False, record_version: bool = False, engine: str | None = None,
          spark_master: str | None = None) -> BuildResult:
    """Convert, check, validate and publish the dataset ``config_path`` describes, as ``version``
    (default: dataset.toml's), compared with ``previous`` (default: the published descriptor).

    ``allow_invalid`` publishes a package that fails validation at error severity; the descriptor's
    ``validation`` property says so. ``record_version`` writes ``version`` into dataset.toml in the same
    publication (``package`` does), so the config and the package never disagree. ``engine`` (local or
    spark) and ``spark_master`` choose where it runs, over dataset.toml's ``[engine]`` (``core.engine``);
    both engines publish the same package.

    Example: ``build(Path("dataset.toml")).descriptor["version"]`` -> ``'1.0.0'``
    """
    config = DatasetConfig.load(config_path)
    chosen = Engine.choose(engine, spark_master, config.engine_table)
    root = config.descriptor_path.parent
    with FolderLock(root):
        recover(root, folders=("", config.relative(config.data_dir), config.relative(config.reports_dir)))
        with Publication(root) as publication:
            return _build(config, publication, version=version or config.package["version"], previous=previous,
                          force=force, allow_invalid=allow_invalid, record_version=record_version, engine=chosen)


def _build(config: DatasetConfig, publication: Publication, *, version: str, previous: Path | None, force: bool,
           allow_invalid: bool, record_version: bool, engine: Engine) -> BuildResult:
    clock = _Stopwatch()
    prior = _previous(previous, config.descriptor_path)
    _check_card(config)
    schemas = load_schemas()
    data_prefix = config.relative(config.data_dir)
    staged, reports = publication.stage(data_prefix), publication.stage(config.relative(config.reports_dir))
    staged.mkdir(exist_ok=True)
    reports.mkdir(exist_ok=True)
    privacy = config.privacy()  # once: a throwaway key is made here
    result = convert_into([i.path for i in config.inputs], staged, format=config.format, channel=config.channel,
                          period=config.period, tz=config.tz, columns=config.columns, max_rejects=config.max_rejects,
                          collected=[i.collected for i in config.inputs], privacy=privacy,
                          include_chats=config.include_chats, posts_order=SOURCE_ORDER["posts"],
                          key_orders={name: sort_key(schemas[name]) for name in schemas if name not in SOURCE_ORDER},
                          engine=engine)
    clock.lap("convert")
    draft = draft_release(staged, schemas=schemas, metadata=config.package, version=version,
                          sources=_sources(config, result), data_prefix=data_prefix, previous=prior,
                          period=(config.period.start, config.period.end) if config.period else None,
                          privacy=_privacy(privacy, schemas, result, staged))
    staged_descriptor = publication.stage(config.relative(config.descriptor_path))
    staged_descriptor.write_bytes(descriptor_bytes(draft.descriptor))  # what validation reads, hashes included
    clock.lap("package")
    try:  # the CSV twins are written meanwhile (release.draft_release)
        validation, record = _validate(config, staged_descriptor, reports, allow_invalid=allow_invalid,
                                       private_terms=result.private_terms, engine=engine)
    finally:
        draft.finish()
    if record["failed"] and not allow_invalid:
        publication.publish(_report_files(config, reports))  # a refused build still says why
        raise ValidationFailed(f"validation failed at error severity: {', '.join(record['failed'])} (see "
                               f"{config.reports_dir / HTML}; {{allow_invalid}} publishes anyway)",
                               validation=validation, options=["allow_invalid"])
    _release_memory()
    clock.lap("validate")
    check_tables(staged, schemas, engine=engine)  # what no published table may have, even with allow_invalid
    clock.lap("checks")
    release = prepare_release(draft, validation=record, descriptor_path=config.descriptor_path, previous=prior,
                              publishing=config.publishing, force=force)
    root_files = dict(release.root_files)
    if record_version and config.path.parent.resolve() == config.descriptor_path.parent.resolve():
        root_files[config.path] = with_version(config.path, release.descriptor["version"])
    for path, data in root_files.items():
        publication.stage(config.relative(path)).write_bytes(data)
    staged_descriptor.write_bytes(descriptor_bytes(release.descriptor))
    published = ([f"{data_prefix}/{name}" for name in result.files + release.staged] + _report_files(config, reports)
                 + [config.relative(p) for p in root_files] + [config.relative(config.descriptor_path)])
    publication.publish(published)
    if record_version and config.path not in root_files:
        write_version(config.path, release.descriptor["version"])
    clock.lap("package")
    result.out_dir = config.data_dir
    return BuildResult(convert=result, descriptor_path=config.descriptor_path, descriptor=release.descriptor,
                       validation=validation, reports_dir=config.reports_dir, diff=release.diff,
                       published=[p for p in published if DATA_DOCS not in Path(p).parts], timings=clock.laps)


def _release_memory() -> None:
    """Hand the memory validation freed back to the system before packaging starts.

    Arrow's allocator (mimalloc) keeps freed pages for reuse; at a million posts that was a third of
    the build's resident set, which packaging, adding its own, pushed past the 2 GB the benchmark
    holds a build to (benchmarks/). The C library's arenas keep theirs too (``core.memory``).
    """
    import gc

    import pyarrow as pa

    gc.collect()  # GX's results and frames sit in reference cycles
    pa.default_memory_pool().release_unused()
    trim()


class _Stopwatch:
    """Seconds per stage of a build, for the summary line and the benchmark."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        """Add the seconds since the last lap to ``stage``'s (packaging comes before and after validation)."""
        now = time.perf_counter()
        self.laps[stage] = round(self.laps.get(stage, 0.0) + now - self._last, 3)
        self._last = now


def package(directory: Path, *, version: str | None = None, bump: str | None = None, previous: Path | None = None,
            force: bool = False, archive: bool = False, allow_invalid: bool = False, engine: str | None = None,
            spark_master: str | None = None) -> BuildResult:
    """Publish a new version of the dataset in ``directory`` (which holds dataset.toml): ``version``
    given, or the previous version bumped by ``bump`` (major, minor or patch); ``archive`` also
    writes ``dist/NAME-VERSION.zip``; ``engine`` and ``spark_master`` as for ``build``.

    Example: ``package(Path("."), bump="minor").descriptor["version"]`` -> ``'1.1.0'``
    """
    if (version is None) == (bump is None):
        raise UsageError("give either {version} X.Y.Z or {bump} major|minor|patch", options=["version", "bump"])
    config_path = directory / "dataset.toml"
    config = DatasetConfig.load(config_path)
    if bump is not None:
        if bump not in ("major", "minor", "patch"):
            raise option_error("bump", repr(bump), "expected major, minor or patch")
        prior = _previous(previous, config.descriptor_path)
        if prior is None:
            raise UsageError("no previous version to bump: give {version} for the first release", options=["version"])
        version = str(Version.parse(prior.descriptor.get("version", "")).bump(Level[bump.upper()]))
    result = build(config_path, version=str(Version.parse(version)), previous=previous, force=force,
                   allow_invalid=allow_invalid, record_version=True, engine=engine, spark_master=spark_master)
    if archive:
        files = PackageFiles.load(result.descriptor_path)
        name = f"{result.descriptor['name']}-{result.descriptor['version']}.zip"
        result.archive = write_archive(files, files.root / "dist" / name, published=result.published,
                                       inputs=config.archive_inputs)
    return result
