"""The Data Package descriptor (``datapackage.json``), derived from the declared schemas.

Each table becomes a resource whose schema is the declared Table Schema, as written in ``schemas/``.
"""

from __future__ import annotations

import copy
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..convert import sha256_file
from ..schema import TableSchema

PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"


def table_resource(name: str, path: Path, relative: str, schema: TableSchema) -> dict[str, Any]:
    return {
        "name": name,
        "type": "table",
        "path": relative,
        "format": "parquet",
        "mediatype": PARQUET_MEDIATYPE,
        "hash": f"sha256:{sha256_file(path)}",
        "description": schema.descriptor.get("description", ""),
        "schema": copy.deepcopy(schema.descriptor),
    }


def created_timestamp(previous: dict[str, Any] | None, version: str) -> str:
    """When this version was created (RFC 3339, UTC): SOURCE_DATE_EPOCH when set (reproducible
    builds), else the previous descriptor's value if it describes the same version (a rebuild of a
    version does not re-create it), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        moment = datetime.fromtimestamp(int(epoch), tz=UTC)
    elif previous and previous.get("version") == version and previous.get("created"):
        return previous["created"]
    else:
        moment = datetime.now(UTC)
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def package_descriptor(*, metadata: dict[str, Any], created: str, sources: list[dict[str, Any]],
                       resources: list[dict[str, Any]], temporal_coverage: str | None = None,
                       validation: dict[str, Any] | None = None) -> dict[str, Any]:
    """Assemble the descriptor; ``metadata`` is the [package] table of dataset.toml.

    ``temporal_coverage`` is the collection period as an ISO 8601 interval ('2025-04-03/2025-04-05'),
    under schema.org's name for it (Data Package v2 has none), for checks and catalogues to read.
    ``validation`` is the outcome of the validation suites (passed, allowInvalid, failed, warnings,
    report): a package published with ``--allow-invalid`` says so in itself.
    """
    descriptor: dict[str, Any] = {"$schema": PACKAGE_PROFILE}
    for key in ("name", "title", "description", "version"):
        descriptor[key] = metadata[key]
    descriptor["created"] = created
    for key in ("homepage", "keywords", "licenses", "contributors"):
        if key in metadata:
            descriptor[key] = metadata[key]
    if temporal_coverage:
        descriptor["temporalCoverage"] = temporal_coverage
    if validation is not None:
        descriptor["validation"] = validation
    descriptor["sources"] = sources
    descriptor["resources"] = resources
    return descriptor
