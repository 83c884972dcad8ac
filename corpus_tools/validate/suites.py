"""The GX expectation suites: generated from the table schemas and the validation config, saved as GX
suite JSON in ``schemas/suites/`` beside the schemas they come from and versioned with the data.

One suite per table (``corpus_tools.TABLE``), each expectation carrying its stable id, family and
description in ``meta`` and its severity as GX's (error -> critical, warning -> warning). Suite
parameters (``$PARAMETER``) stand for what changes from run to run, so a saved suite equals the
generated one; ``tests/validate/test_suites.py`` checks that it does. After changing a schema or
``schemas/validation.toml``, regenerate them:

    .venv/bin/python -m corpus_tools.validate.suites    # or: make suites

The file checks (``TABLE.file.hash``, ``TABLE.file.schema``) run before GX and are not in the suites.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from ..core.schema import TableSchema, load_schemas, schema_dir
from .base import Family, Spec
from .config import Config, load_config
from .families.dates import Dates
from .families.duplicates import Duplicates
from .families.integrity import Integrity
from .families.near_duplicates import NearDuplicates
from .families.privacy import Privacy
from .families.repetition import Repetition
from .families.required import Required

# In the order they run; the text families read the posts' text in one pass.
FAMILIES: tuple[type[Family], ...] = (Required, Duplicates, Repetition, NearDuplicates, Dates, Integrity, Privacy)
GX_SEVERITY = {"error": "critical", "warning": "warning"}
SUITE_PREFIX = "corpus_tools."


def suites_dir() -> Path:
    return schema_dir() / "suites"


def families(schemas: dict[str, TableSchema], config: Config) -> list[Family]:
    return [family(schemas, config) for family in FAMILIES]


def suite_dict(table: str, specs: list[Spec]) -> dict[str, Any]:
    """The GX suite of one table as GX writes it (``ExpectationSuite.to_json_dict()``), without GX."""
    expectations = []
    for spec in specs:
        meta = {"id": spec.id, "family": spec.family, **spec.meta}
        expectations.append({"type": _snake(spec.expectation), "kwargs": spec.kwargs, "meta": meta,
                             "description": spec.description, "severity": GX_SEVERITY[spec.severity]})
    return {"name": SUITE_PREFIX + table, "expectations": expectations,
            "meta": {"generated_by": "corpus_tools.validate.suites", "table": table}}


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


def generate(schemas: dict[str, TableSchema] | None = None, config: Config | None = None) -> dict[str, dict[str, Any]]:
    """Every table's suite dict, from the schemas and config (the defaults when not given)."""
    schemas = schemas or load_schemas()
    config = config or load_config()
    specs = [s for family in families(schemas, config) for s in family.specs()]
    return {table: suite_dict(table, [s for s in specs if s.table == table]) for table in schemas}


def check_ids(schemas: dict[str, TableSchema] | None = None) -> set[str]:
    """The id of every check a validation runs: the suites' expectations and the file checks."""
    from .source import file_specs

    schemas = schemas or load_schemas()
    return {e["meta"]["id"] for suite in generate(schemas).values() for e in suite["expectations"]} | \
        {spec.id for spec in file_specs(schemas)}


def suite_json(suite: dict[str, Any]) -> str:
    """The saved form: GX's own JSON of the suite, keys sorted, so the file depends only on the suite."""
    from .gx_worker import gx_suite

    data = gx_suite(suite).to_json_dict()
    data.pop("id", None)
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def save(directory: Path | None = None) -> list[Path]:
    """Write ``TABLE.suite.json`` for every table; return the paths written."""
    from ..core.files import write_atomic

    directory = directory or suites_dir()
    written = []
    for table, suite in generate().items():
        path = directory / f"{table}.suite.json"
        write_atomic(path, suite_json(suite).encode("utf-8"))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in save(Path(sys.argv[1]) if len(sys.argv) > 1 else None):
        print(path)
