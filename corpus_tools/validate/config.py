"""The validation config: severities and thresholds, from ``schemas/validation.toml`` and an override file.

The defaults live beside the table schemas, so the suites saved in ``schemas/suites/`` are a function of
files in one folder. A ``--config`` file (or a dataset's ``[validation]``) has the same keys; what it sets replaces the
default, table by table (``[severity]`` entries are added to the defaults' entries). Unknown keys are
refused (``core.settings``), so a typo cannot silently leave a threshold at its default.

>>> config = load_config()
>>> config.near_duplicates["jaccard"], config.severity_of("posts.text.near_duplicates")
(0.8, 'warning')
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.schema import schema_dir
from ..core.settings import Mapping, Table, Value, check_table, choice, share, whole
from ..errors import UsageError

SEVERITIES = ("error", "warning")


def _ngram_thresholds(value: Any) -> dict[str, float]:
    if not isinstance(value, dict) or not all(isinstance(n, str) and n.isdigit() and int(n) > 0 for n in value):
        raise ValueError("expected a table mapping word counts to numbers in (0, 1]")
    return {n: share(v) for n, v in value.items()}


# Every key a validation config may set (schemas/validation.toml holds them all, with the defaults).
SPEC = {
    "examples": Value(whole(minimum=1)),
    "severity": Mapping(choice(*SEVERITIES)),
    "repetition": Table({name: Value(share) for name in ("duplicate_line_fraction", "duplicate_paragraph_fraction",
                                                         "duplicate_line_char_fraction",
                                                         "duplicate_paragraph_char_fraction")}
                        | {"duplicate_ngram_char_fraction": Value(_ngram_thresholds)}),
    "near_duplicates": Table({"jaccard": Value(share), "shingle_words": Value(whole(minimum=1)),
                              "bands": Value(whole(minimum=1)), "rows": Value(whole(minimum=1)),
                              "max_bucket": Value(whole(minimum=1)), "seed": Value(whole(minimum=0))}),
}


def defaults_path() -> Path:
    return schema_dir() / "validation.toml"


@dataclass(frozen=True)
class Config:
    """The effective config. ``severity`` maps expectation ids to the severity config gives them."""

    examples: int
    severity: dict[str, str]
    repetition: dict[str, Any]
    near_duplicates: dict[str, Any]

    def severity_of(self, check_id: str) -> str:
        return self.severity.get(check_id, "error")

    @property
    def ngram_thresholds(self) -> dict[int, float]:
        """The duplicate n-gram thresholds by n, in rising n."""
        return {int(n): float(v) for n, v in sorted(self.repetition["duplicate_ngram_char_fraction"].items(),
                                                    key=lambda item: int(item[0]))}

    def as_dict(self) -> dict[str, Any]:
        return {"examples": self.examples, "severity": dict(sorted(self.severity.items())),
                "repetition": self.repetition, "near_duplicates": self.near_duplicates}


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{path}: no such config file") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise UsageError(f"{path}: unreadable validation config ({error})") from None


def load_config(path: Path | None = None, *, overrides: dict[str, Any] | None = None) -> Config:
    """The defaults, overridden by the file ``path`` and then by ``overrides`` (a dataset's
    ``[validation]``, already checked by ``check_overrides``), table by table."""
    merged = check_table(_read(defaults_path()), SPEC, file=defaults_path())
    layers = [check_table(_read(path), SPEC, file=path)] if path is not None else []
    for layer in layers + ([overrides] if overrides else []):
        for key, value in layer.items():
            merged[key] = {**merged.get(key, {}), **value} if isinstance(value, dict) else value
    return Config(examples=merged["examples"], severity=merged["severity"], repetition=merged["repetition"],
                  near_duplicates=merged["near_duplicates"])


def check_overrides(table: dict[str, Any], *, file: Path, where: str) -> dict[str, Any]:
    """A validation override given inside another config (dataset.toml's ``[validation]``), checked."""
    return check_table(table, SPEC, file=file, where=where)
