"""The dataset's config, ``dataset.toml``: what ``build`` converts, checks and describes.

Every key is read or refused (``SPEC``, checked by ``core.settings``) before any work is done: an
unknown key or section names the closest valid one, a bad value (a version, time zone, period, format,
an input that does not exist) says what it should be, exit 2. Paths are relative to the file's folder;
inputs may also be absolute, start with ``~`` or go through symbolic links: the package records them
by file name and sha256 only (``sources``), never by a path of this machine.
"""

from __future__ import annotations

import difflib
import os
import re
import secrets
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ..convert.steps.dating import Period
from ..convert.steps.privacy import ACTIONS, KEY_VARIABLE, Privacy
from ..core.engine import ENGINES
from ..core.files import write_atomic
from ..core.schema import load_schemas
from ..core.settings import Mapping, Table, Tables, Value, check_table, choice, text, texts, whole
from ..errors import CorpusToolsError, UsageError
from ..readers import FORMATS
from ..readers.timestamps import parse_zone
from ..validate.config import SPEC as VALIDATION_SPEC
from .publishing import Publishing, read_publishing
from .versioning.semver import Version

PLACEHOLDER = "TODO"  # what `corpus-tools init` writes where the researcher must fill something in


def filled(value: Any) -> str:
    """Text that is not still an ``init`` placeholder."""
    value = text(value)
    if value.lstrip().startswith(PLACEHOLDER):
        raise ValueError("still the placeholder `corpus-tools init` wrote; fill it in")
    return value


def _parsed(parse) -> Any:
    """A check from a parser that raises corpus-tools errors (their message becomes the reason)."""
    def check(value: Any) -> Any:
        try:
            return parse(text(value))
        except CorpusToolsError as error:
            raise ValueError(str(error).split(": ", 1)[-1]) from None

    return check


def _name(value: Any) -> str:
    value = filled(value)
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", value):
        raise ValueError("a package name is lower-case letters, digits, '.', '-' and '_' (Data Package v2)")
    return value


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("expected true or false")
    return value


def _personal_field(name: str) -> str:
    """A key of [privacy.fields]: a personal field the schemas mark (TABLE.FIELD), its free text aside."""
    fields = {f"{table}.{column}": kind for table, schema in load_schemas().items()
              for column, kind in schema.personal.items() if kind != "text"}
    if name not in fields:
        close = difflib.get_close_matches(name, sorted(fields), n=1)
        raise ValueError(f"not a personal field{f'; did you mean {close[0]!r}?' if close else ''} "
                         f"(they are {', '.join(sorted(fields))})")
    return name


def _moment(value: Any) -> datetime:
    """A collection time: a TOML datetime (UTC when it has no offset) or date (its start, UTC)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    raise ValueError("expected a TOML date or date-time, e.g. 2025-05-01 or 2025-05-01T12:00:00Z")


LICENSE = {"name": Value(filled, required=True), "path": Value(text), "title": Value(text)}
CONTRIBUTOR = {"title": Value(filled, required=True), "path": Value(text), "email": Value(text),
               "givenName": Value(text), "familyName": Value(text), "organization": Value(text),
               "roles": Value(texts), "orcid": Value(text)}  # orcid: checked by package.publishing
RELATED = {"identifier": Value(text, required=True), "relation": Value(text, required=True),
           "resource_type": Value(text)}
SPEC = {
    "package": Table({
        "name": Value(_name, required=True), "id": Value(text), "title": Value(filled, required=True),
        "description": Value(filled, required=True), "version": Value(_parsed(Version.parse), required=True),
        "keywords": Value(texts), "homepage": Value(text),
        "licenses": Tables(LICENSE, at_least=1, required=True), "contributors": Tables(CONTRIBUTOR),
        # what citation files, Zenodo and the Hub need (package.publishing checks their values)
        "languages": Value(texts), "publisher": Value(text), "task_categories": Value(texts),
        "related_identifiers": Tables(RELATED),
    }, required=True),
    "convert": Table({"format": Value(choice(*FORMATS)), "channel": Value(filled), "period": Value(_parsed(Period.parse)),
                      "tz": Value(_parsed(parse_zone)), "columns": Mapping(text), "max_rejects": Value(whole())}),
    "inputs": Tables({"path": Value(text, required=True), "title": Value(filled), "collected": Value(_moment)},
                     at_least=1, required=True),
    "validation": Table({"file": Value(text), **VALIDATION_SPEC}),
    "output": Table({"data": Value(text), "descriptor": Value(text), "reports": Value(text), "card": Value(text)}),
    "privacy": Table({"key_file": Value(text), "throwaway_key": Value(_boolean), "redact_text": Value(_boolean),
                      "signatures": Value(choice("keep", "drop")), "include_chats": Value(texts),
                      "archive_inputs": Value(_boolean), "fields": Mapping(choice(*ACTIONS), keys=_personal_field)}),
    # where build runs (core.engine): name = "local" | "spark", a Spark master URL, Spark conf
    "engine": Table({"name": Value(choice(*ENGINES)), "master": Value(filled), "conf": Mapping(text)}),
}
KEY_FILE = "pseudonym.key"  # the default key file, beside dataset.toml: never published, git-ignored by init


@dataclass(frozen=True)
class Input:
    """One ``[[inputs]]`` entry: where the file is on this machine, and what the package says of it."""

    path: Path
    title: str
    collected: datetime | None = None  # when it was collected, if the researcher says


@dataclass
class DatasetConfig:
    """dataset.toml, read and checked; paths resolved against the file's folder."""

    path: Path  # the config file itself
    root: Path
    package: dict[str, Any]
    inputs: list[Input]
    format: str = "auto"
    channel: str | None = None
    period: Period | None = None
    tz: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    max_rejects: int | None = None
    validation: dict[str, Any] = field(default_factory=dict)  # overrides of schemas/validation.toml
    validation_file: Path | None = None
    data_dir: Path = Path("data")
    descriptor_path: Path = Path("datapackage.json")
    reports_dir: Path = Path("reports")
    privacy_table: dict[str, Any] = field(default_factory=dict)  # [privacy], checked
    publishing: Publishing | None = None  # the card's place, citation and Hub metadata (package.publishing)
    engine_table: dict[str, Any] = field(default_factory=dict)  # [engine], checked (core.engine.Engine.choose)

    @classmethod
    def load(cls, path: Path) -> DatasetConfig:
        """Read and check ``path``; UsageError (exit 2) for the first problem, before any work."""
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UsageError(f"{path}: no such file (build reads the dataset's config from it)") from None
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise UsageError(f"{path}: unreadable dataset config ({error})") from None
        checked = check_table(raw, SPEC, file=path)
        root = path.resolve().parent
        package = {k: str(v) if k == "version" else v for k, v in checked["package"].items()}
        options, output = checked.get("convert", {}), checked.get("output", {})
        validation = dict(checked.get("validation", {}))
        validation_file = validation.pop("file", None)
        _check_severities(validation, path)
        return cls(
            path=path, root=root, package=package, inputs=_inputs(checked["inputs"], root, path),
            format=options.get("format", "auto"), channel=options.get("channel"), period=options.get("period"),
            tz=raw.get("convert", {}).get("tz"), columns=options.get("columns", {}),
            max_rejects=options.get("max_rejects"), validation=validation,
            validation_file=_existing(root, validation_file, path, "validation.file") if validation_file else None,
            data_dir=root / output.get("data", "data"),
            descriptor_path=root / output.get("descriptor", "datapackage.json"),
            reports_dir=root / output.get("reports", "reports"), privacy_table=checked.get("privacy", {}),
            publishing=read_publishing(package, output, root=root, where=path),
            engine_table=checked.get("engine", {}),
        )

    def relative(self, path: Path) -> str:
        """A path as the descriptor writes it: relative to the descriptor's folder, POSIX style."""
        folder = self.descriptor_path.parent.resolve()
        try:
            return path.resolve().relative_to(folder).as_posix()
        except ValueError:
            raise UsageError(f"{self.path}: {path} is outside the package folder {folder} (the descriptor "
                             "can only name files inside it)") from None

    @property
    def include_chats(self) -> tuple[str, ...]:
        return tuple(self.privacy_table.get("include_chats", ()))

    @property
    def archive_inputs(self) -> bool:
        return self.privacy_table.get("archive_inputs", False)

    def privacy(self) -> Privacy:
        """The privacy settings of this dataset, with its key: CORPUS_TOOLS_PSEUDONYM_KEY when set, else
        the key file (``[privacy] key_file``, default ``pseudonym.key`` beside dataset.toml), else a
        throwaway key when ``throwaway_key`` says so, else none (a build that meets persons stops)."""
        table = self.privacy_table
        options = {"policy": dict(table.get("fields", {})), "signatures": table.get("signatures", "keep"),
                   "redact_text": table.get("redact_text", False)}
        if table.get("throwaway_key"):
            return Privacy(key=secrets.token_bytes(32), throwaway=True, **options)
        if os.environ.get(KEY_VARIABLE):
            return Privacy.from_environment(**options)
        key_file = Path(table.get("key_file", KEY_FILE)).expanduser()
        key_file = key_file if key_file.is_absolute() else self.root / key_file
        if key_file.is_file():
            if self.inside(key_file) and any(key_file.resolve().is_relative_to(d.resolve())
                                             for d in (self.data_dir, self.reports_dir)):
                raise UsageError(f"{self.path}: privacy.key_file {key_file} is inside a published folder")
            return Privacy(key=key_file.read_bytes().strip(), **options)
        if "key_file" in table:
            raise UsageError(f"{self.path}: privacy.key_file = {table['key_file']!r}: no such file")
        return Privacy(**options)

    def inside(self, path: Path) -> bool:
        """Is ``path`` (symbolic links followed) inside the package folder?"""
        return path.resolve().is_relative_to(self.descriptor_path.parent.resolve())


def _check_severities(validation: dict[str, Any], config: Path) -> None:
    """Severities must name checks that exist (a misspelt id would otherwise change nothing)."""
    if not validation.get("severity"):
        return
    from ..validate.suites import check_ids

    known = check_ids()
    for check_id in validation["severity"]:
        if check_id not in known:
            close = difflib.get_close_matches(check_id, sorted(known), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise UsageError(f"{config}: unknown check {check_id!r} in [validation.severity]{hint}")


def _existing(root: Path, value: str, config: Path, key: str) -> Path:
    path = Path(value).expanduser()
    path = path if path.is_absolute() else root / path
    if not path.is_file():
        raise UsageError(f"{config}: {key} = {value!r}: no such file")
    return path


def _inputs(entries: list[dict[str, Any]], root: Path, config: Path) -> list[Input]:
    inputs = []
    for k, entry in enumerate(entries):
        path = _existing(root, entry["path"], config, f"inputs[{k}].path")
        inputs.append(Input(path=path, title=entry.get("title") or path.name, collected=entry.get("collected")))
    return inputs


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
