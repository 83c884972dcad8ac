"""Reading a Data Package descriptor someone else may have written: its shape checked before any of it
is used, so a malformed or hostile descriptor is one InputError (exit 2) naming what is wrong, never
a crash and never a read outside the package folder.

What every command relies on: a JSON object, at most ``MAX_BYTES`` and nested at most as deep as
Python's parser allows, whose ``resources`` is a list of objects, each with a string ``name`` and
either inline ``data`` or a string ``path`` inside the package folder (``files.package_path``); a
``hash`` is a string, a size (``bytes``, or the Parquet resources' ``_bytes``) a whole number.

>>> check_descriptor({"resources": [{"name": "posts", "path": "data/posts.parquet", "hash": 5}]}, Path("dp.json"))
Traceback (most recent call last):
...
corpus_tools.errors.InputError: dp.json: resource 'posts': hash 5 is not a string
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import InputError
from .files import package_path

DESCRIPTOR = "datapackage.json"
MAX_BYTES = 64 << 20  # a descriptor lists resources; one this large is not a descriptor


def read_json(path: Path, *, what: str) -> Any:
    """A JSON file read whole, every way it can fail an InputError naming it."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{path}: {size} bytes, too large for a {what}")
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file (expected a {what})") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read the {what} ({error})") from None
    except json.JSONDecodeError as error:
        raise InputError(f"{path}: the {what} is not JSON ({error})") from None
    except RecursionError:
        raise InputError(f"{path}: the {what} is nested too deeply to be read") from None


def check_descriptor(descriptor: Any, file: Path) -> dict[str, Any]:
    """``descriptor`` if it has the shape described above; else an InputError naming the first problem."""
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise InputError(f"{file}: not a Data Package descriptor (no list of resources)")
    for index, resource in enumerate(descriptor["resources"]):
        if not isinstance(resource, dict):
            raise InputError(f"{file}: resources[{index}] is a {type(resource).__name__}, not an object")
        name = resource.get("name")
        where = f"resource {name!r}" if isinstance(name, str) else f"resources[{index}]"
        if not isinstance(name, str):
            raise InputError(f"{file}: {where} has no name")
        if "data" not in resource and not isinstance(resource.get("path"), str):
            raise InputError(f"{file}: {where} has no path (a string)")
        if "hash" in resource and not isinstance(resource["hash"], str):
            raise InputError(f"{file}: {where}: hash {resource['hash']!r} is not a string")
        for key in ("bytes", "_bytes"):
            if key in resource and (not isinstance(resource[key], int) or isinstance(resource[key], bool)):
                raise InputError(f"{file}: {where}: {key} {resource[key]!r} is not a whole number")
    return descriptor


def load_descriptor(path: Path) -> tuple[dict[str, Any], Path]:
    """The checked descriptor at ``path`` (its file, or the folder holding ``datapackage.json``) and
    the file it was read from. Every resource's path is checked here, before any command opens one."""
    file = path / DESCRIPTOR if path.is_dir() else path
    descriptor = check_descriptor(read_json(file, what="data package descriptor"), file)
    for resource in descriptor["resources"]:
        if "data" not in resource:
            resource_path(file.parent, resource)
    return descriptor, file


def resource_path(root: Path, resource: dict[str, Any]) -> Path:
    """Where a (checked) resource's file is: its path inside the package folder ``root``, or InputError."""
    return package_path(root, resource.get("path"), what=f"resource {resource.get('name')!r}")
