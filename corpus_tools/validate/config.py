"""The validation config: severities and thresholds, from ``schemas/validation.toml`` and an override file.

The defaults live beside the table schemas, so the suites saved in ``schemas/suites/`` are a function of
files in one folder. A ``--config`` file has the same keys; what it sets replaces the default, table by
table (``[severity]`` entries are added to the defaults' entries). Unknown keys are refused, so a typo
cannot silently leave a threshold at its default.

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
from ..errors import UsageError

SEVERITIES = ("error", "warning")
_KEYS = {
    "examples": int,
    "severity": dict,
    "repetition": {"duplicate_line_fraction": float, "duplicate_paragraph_fraction": float,
                   "duplicate_line_char_fraction": float, "duplicate_paragraph_char_fraction": float,
                   "duplicate_ngram_char_fraction": dict},
    "near_duplicates": {"jaccard": float, "shingle_words": int, "bands": int, "rows": int, "max_bucket": int,
                        "seed": int},
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


def _check(raw: dict[str, Any], path: Path) -> None:
    """Refuse unknown keys and values of the wrong type or range."""
    for key, value in raw.items():
        expected = _KEYS.get(key)
        if expected is None:
            raise UsageError(f"{path}: unknown key {key!r} (known: {', '.join(_KEYS)})")
        if isinstance(expected, dict) and key != "severity":
            if not isinstance(value, dict):
                raise UsageError(f"{path}: [{key}] must be a table")
            for name, item in value.items():
                kind = expected.get(name)
                if kind is None:
                    raise UsageError(f"{path}: unknown key {key}.{name} (known: {', '.join(expected)})")
                if kind is float and not (isinstance(item, (int, float)) and 0 < item <= 1):
                    raise UsageError(f"{path}: {key}.{name} must be a number in (0, 1], not {item!r}")
                if kind is int and not (isinstance(item, int) and item >= (0 if name == "seed" else 1)):
                    raise UsageError(f"{path}: {key}.{name} must be a positive whole number, not {item!r}")
                if kind is dict and not all(n.isdigit() and int(n) > 0 and isinstance(v, (int, float)) and 0 < v <= 1
                                            for n, v in item.items()):
                    raise UsageError(f"{path}: {key}.{name} maps word counts to numbers in (0, 1]")
        elif not isinstance(value, expected):
            raise UsageError(f"{path}: {key} must be a {'table' if expected is dict else 'whole number'}")
    for check_id, severity in raw.get("severity", {}).items():
        if severity not in SEVERITIES:
            raise UsageError(f"{path}: severity of {check_id} must be one of {', '.join(SEVERITIES)}, not {severity!r}")


def load_config(path: Path | None = None) -> Config:
    """The defaults, overridden by ``path`` when given."""
    merged = _read(defaults_path())
    _check(merged, defaults_path())
    if path is not None:
        override = _read(path)
        _check(override, path)
        for key, value in override.items():
            merged[key] = {**merged.get(key, {}), **value} if isinstance(value, dict) else value
    return Config(examples=merged["examples"], severity=merged["severity"], repetition=merged["repetition"],
                  near_duplicates=merged["near_duplicates"])
