"""The dataset's config, ``dataset.toml``: what ``build`` converts, checks and describes.

Read and checked before any work is done; paths in it are relative to the file's folder.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..convert.steps.dating import Period
from ..core.files import write_atomic
from ..errors import UsageError
from .publishing import Publishing, read_publishing


@dataclass
class DatasetConfig:
    """dataset.toml, read and checked; paths resolved against the file's folder."""

    path: Path  # the config file itself
    root: Path
    package: dict[str, Any]
    inputs: list[dict[str, Any]]
    format: str
    channel: str | None
    period: Period | None
    data_dir: Path
    descriptor_path: Path
    reports_dir: Path
    publishing: Publishing  # the card's place, citation and Hub metadata (package.publishing reads them)

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
            path=path,
            root=root,
            package=package,
            inputs=[{**i, "path": root / i["path"]} for i in inputs],
            format=options.get("format", "auto"),
            channel=options.get("channel"),
            period=Period.parse(options["period"]) if options.get("period") else None,
            data_dir=root / output.get("data", "data"),
            descriptor_path=root / output.get("descriptor", "datapackage.json"),
            reports_dir=root / output.get("reports", "reports"),
            publishing=read_publishing(package, output, root=root, where=path),
        )

    def relative(self, path: Path) -> str:
        """A path as the descriptor writes it: relative to the descriptor's folder, POSIX style."""
        folder = self.descriptor_path.parent.resolve()
        try:
            return path.resolve().relative_to(folder).as_posix()
        except ValueError:
            raise UsageError(f"{self.path}: {path} is outside the package folder {folder} (the descriptor "
                             "can only name files inside it)") from None


def write_version(config_path: Path, version: str) -> None:
    """Set ``version`` in the [package] table of dataset.toml, changing nothing else in the file
    (comments and layout stay), so the next ``make build`` rebuilds the version just packaged."""
    write_atomic(config_path, with_version(config_path, version))


def with_version(config_path: Path, version: str) -> bytes:
    """dataset.toml's bytes with ``version`` in its [package] table (see ``write_version``)."""
    text = config_path.read_text(encoding="utf-8")
    section = re.search(r"^\[package\][ \t]*$(.*?)(?=^\[|\Z)", text, re.MULTILINE | re.DOTALL)
    line = re.compile(r'^(version[ \t]*=[ \t]*)"[^"\n]*"', re.MULTILINE)
    if section is None or not line.search(section.group(1)):
        raise UsageError(f"{config_path}: no version = \"...\" line in [package] to update; set it to {version} by hand")
    body = line.sub(lambda m: f'{m.group(1)}"{version}"', section.group(1), count=1)
    updated = text[:section.start(1)] + body + text[section.end(1):]
    before, after = tomllib.loads(text), tomllib.loads(updated)
    before["package"]["version"] = version
    if before != after:  # the edit touched something else: refuse rather than corrupt the config
        raise UsageError(f"{config_path}: could not update the version safely; set it to {version} by hand")
    return updated.encode("utf-8")
