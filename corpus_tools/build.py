"""build: the main job. Convert the dataset's inputs (as dataset.toml says), check and validate the
tables, and publish them with their descriptor, all or nothing.

Everything is written to a staging folder first; only when the tables pass the checks and the
validation suites (no failure at error severity, unless ``allow_invalid``) are they renamed into the
data folder, and ``datapackage.json`` is written last, so a crash or a failed check leaves the previous
package as it was. The validation reports go to the reports folder either way (they say why a build
was refused): ``validation.json`` and ``validation.junit.xml``, deterministic and committed with the
data, and ``data-docs/``, GX's HTML, which carries run times and is not committed.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .checks import check_tables
from .convert import ConvertResult, convert_into, sha256_file
from .dating import Period
from .errors import DataError, InputError, UsageError
from .output import Staging, write_atomic
from .package.descriptor import created_timestamp, package_descriptor, table_resource
from .schema import load_schemas

if TYPE_CHECKING:
    from .validate.run import ValidationResult

REPORT, JUNIT, DATA_DOCS = "validation.json", "validation.junit.xml", "data-docs"


@dataclass
class DatasetConfig:
    """dataset.toml, read and checked; paths resolved against the file's folder."""

    root: Path
    package: dict[str, Any]
    inputs: list[dict[str, Any]]
    format: str
    channel: str | None
    period: Period | None
    data_dir: Path
    descriptor_path: Path
    reports_dir: Path

    @classmethod
    def load(cls, path: Path) -> DatasetConfig:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UsageError(f"{path}: no such file (build reads the dataset's config from it)") from None
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise UsageError(f"{path}: unreadable dataset config ({error})") from None
        root = path.resolve().parent
        package = raw.get("package", {})
        missing = [k for k in ("name", "title", "description", "version", "licenses") if k not in package]
        if missing:
            raise UsageError(f"{path}: [package] lacks {', '.join(missing)}")
        inputs = raw.get("inputs", [])
        if not inputs or any("path" not in i for i in inputs):
            raise UsageError(f"{path}: needs at least one [[inputs]] entry, each with a path")
        options = raw.get("convert", {})
        output = raw.get("output", {})
        return cls(
            root=root,
            package=package,
            inputs=[{**i, "path": root / i["path"]} for i in inputs],
            format=options.get("format", "auto"),
            channel=options.get("channel"),
            period=Period.parse(options["period"]) if options.get("period") else None,
            data_dir=root / output.get("data", "data"),
            descriptor_path=root / output.get("descriptor", "datapackage.json"),
            reports_dir=root / output.get("reports", "reports"),
        )

    def relative(self, path: Path) -> str:
        """A path as the descriptor writes it: relative to the descriptor's folder, POSIX style."""
        return path.resolve().relative_to(self.descriptor_path.parent.resolve()).as_posix()


@dataclass
class BuildResult:
    convert: ConvertResult
    descriptor_path: Path
    descriptor: dict[str, Any]
    validation: ValidationResult
    reports_dir: Path


def _previous_descriptor(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _sources(config: DatasetConfig) -> list[dict[str, Any]]:
    sources = []
    for entry in config.inputs:
        path: Path = entry["path"]
        if not path.is_file():
            raise InputError(f"{path}: no such file (listed in [[inputs]] of the dataset config)")
        source = {"title": entry.get("title", path.name), "path": config.relative(path)}
        source.update({"hash": f"sha256:{sha256_file(path)}", "bytes": path.stat().st_size})
        sources.append(source)
    return sources


def _validate(config: DatasetConfig, staged: Path, *, allow_invalid: bool) -> tuple[ValidationResult, dict[str, Any]]:
    """Run the suites on the staged tables; write the reports; refuse (DataError) an invalid package
    unless ``allow_invalid``. Returns the result and the descriptor's ``validation`` property."""
    from .validate.run import validate

    reports = config.reports_dir
    reports.mkdir(parents=True, exist_ok=True)
    result = validate(staged, label=config.relative(config.descriptor_path), report=reports / REPORT,
                      junit=reports / JUNIT, docs=reports / DATA_DOCS)
    errors = [r.spec.id for r in result.results if r.fails_at("error")]
    if errors and not allow_invalid:
        raise DataError(f"validation failed at error severity: {', '.join(errors)} (see {reports / REPORT}; "
                        "--allow-invalid publishes anyway)")
    record = {"passed": not errors, "allowInvalid": allow_invalid, "report": config.relative(reports / REPORT),
              "failed": errors, "warnings": [r.spec.id for r in result.results if r.failed and not r.fails_at("error")]}
    return result, record


def build(config_path: Path = Path("dataset.toml"), *, allow_invalid: bool = False) -> BuildResult:
    """Convert, check, validate and publish the dataset ``config_path`` describes.

    ``allow_invalid`` publishes a package that fails validation at error severity; the descriptor's
    ``validation`` property says so.

    Example: ``build(Path("dataset.toml")).descriptor["version"]`` -> ``'1.0.0'``
    """
    config = DatasetConfig.load(config_path)
    sources = _sources(config)
    schemas = load_schemas()
    with Staging(config.data_dir) as stage:
        result = convert_into([i["path"] for i in config.inputs], stage.path, format=config.format,
                              channel=config.channel, period=config.period)
        check_tables(stage.path, schemas)
        validation, record = _validate(config, stage.path, allow_invalid=allow_invalid)
        resources = [
            table_resource(name, stage.path / f"{name}.parquet",
                           config.relative(config.data_dir / f"{name}.parquet"), schema)
            for name, schema in schemas.items()
        ]
        previous = _previous_descriptor(config.descriptor_path)
        descriptor = package_descriptor(
            metadata=config.package,
            created=created_timestamp(previous, config.package["version"]),
            sources=sources,
            resources=resources,
            temporal_coverage=str(config.period) if config.period else None,
            validation=record,
        )
        stage.publish(result.files)
    text = json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n"
    write_atomic(config.descriptor_path, text.encode("utf-8"))
    result.out_dir = config.data_dir
    return BuildResult(convert=result, descriptor_path=config.descriptor_path, descriptor=descriptor,
                       validation=validation, reports_dir=config.reports_dir)
