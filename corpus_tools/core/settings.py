"""Checking a TOML config against a declared spec: every key is read or refused, before any work.

A spec maps each key a table may hold to what its value must be: a ``Value`` (a check that returns
the value, parsed, or raises ValueError saying what is wrong), a ``Table`` (a nested table with a
spec of its own), ``Tables`` (an array of such tables, ``[[inputs]]``) or ``Mapping`` (a table of
free keys, each value checked). An unknown key is refused naming the closest known one; a wrong value
is refused naming the key and what it should be. Both are one UsageError (exit 2).

>>> spec = {"convert": Table({"channel": Value(text), "workers": Value(whole(minimum=1))})}
>>> check_table({"convert": {"chanel": "x"}}, spec, file=Path("dataset.toml"))
Traceback (most recent call last):
...
corpus_tools.errors.UsageError: dataset.toml: unknown key 'chanel' in [convert]; did you mean 'channel'?
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import UsageError

Check = Callable[[Any], Any]


@dataclass(frozen=True)
class Value:
    """A scalar or list value, checked (and parsed) by ``check``; ``required`` keys must be there."""

    check: Check
    required: bool = False


@dataclass(frozen=True)
class Table:
    spec: dict[str, Any]
    required: bool = False


@dataclass(frozen=True)
class Tables:
    """An array of tables, each checked against ``spec``; ``at_least`` entries."""

    spec: dict[str, Any]
    at_least: int = 0
    required: bool = False


@dataclass(frozen=True)
class Mapping:
    """A table whose keys are free (ids, field names); each value checked by ``check``."""

    check: Check
    required: bool = False
    keys: Check | None = field(default=None)  # a check of each key, when keys are not free text


def check_table(table: dict[str, Any], spec: dict[str, Any], *, file: Path, where: str = "") -> dict[str, Any]:
    """``table`` with every value checked and parsed; UsageError for the first unknown key, missing
    required key or bad value."""
    checked = {}
    for key, value in table.items():
        if key not in spec:
            raise UsageError(f"{file}: unknown {'key' if where else 'section'} {key!r}{_in(where)}{_hint(key, spec)}")
        checked[key] = _check(value, spec[key], file=file, where=f"{where}.{key}" if where else key)
    missing = [key for key, item in spec.items() if item.required and key not in table]
    for key in missing:
        if isinstance(spec[key], Tables):
            raise UsageError(f"{file}: needs at least one [[{key}]] entry")
    if missing:
        raise UsageError(f"{file}: {_label(where)} lacks {', '.join(repr(k) for k in missing)}")
    return checked


def _check(value: Any, item: Any, *, file: Path, where: str) -> Any:
    if isinstance(item, Value):
        try:
            return item.check(value)
        except (ValueError, TypeError) as error:
            raise UsageError(f"{file}: {where} = {value!r}: {error}") from None
    if isinstance(item, Table):
        return check_table(_as_table(value, file, where), item.spec, file=file, where=where)
    if isinstance(item, Tables):
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise UsageError(f"{file}: {where} must be an array of tables ([[{where}]])")
        if len(value) < item.at_least:
            raise UsageError(f"{file}: needs at least {item.at_least} [[{where}]] entr{'y' if item.at_least == 1 else 'ies'}")
        return [check_table(v, item.spec, file=file, where=f"{where}[{k}]") for k, v in enumerate(value)]
    return _check_mapping(_as_table(value, file, where), item, file=file, where=where)


def _check_mapping(value: dict[str, Any], item: Mapping, *, file: Path, where: str) -> dict[str, Any]:
    checked = {}
    for key, entry in value.items():
        try:
            checked[item.keys(key) if item.keys else key] = item.check(entry)
        except (ValueError, TypeError) as error:
            raise UsageError(f"{file}: {where}.{key} = {entry!r}: {error}") from None
    return checked


def _as_table(value: Any, file: Path, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise UsageError(f"{file}: {where} must be a table ([{where}])")
    return value


def _in(where: str) -> str:
    return f" in [{where}]" if where else ""


def _label(where: str) -> str:
    return f"[{where}]" if where else "the config"


def _hint(key: str, spec: dict[str, Any]) -> str:
    close = difflib.get_close_matches(key, list(spec), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(spec)})"


# Checks for the usual kinds of value.

def text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("expected a non-empty string")
    return value


def texts(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("expected a list of strings")
    return value


def whole(*, minimum: int = 0) -> Check:
    def check(value: Any) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            raise ValueError(f"expected a whole number of at least {minimum}")
        return value

    return check


def share(value: Any) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 < value <= 1:
        raise ValueError("expected a number in (0, 1]")
    return float(value)


def choice(*options: str) -> Check:
    def check(value: Any) -> str:
        if value not in options:
            raise ValueError(f"expected one of {', '.join(options)}")
        return value

    return check
