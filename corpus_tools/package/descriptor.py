"""The Data Package descriptor (``datapackage.json``), derived from the declared schemas.

Each table becomes a resource whose schema is the declared Table Schema, as written in ``schemas/``
(its CSV twin, from ``exports``, gets a schema derived from that). Sizes: text resources declare the
standard ``bytes``; Parquet resources declare theirs as the private property ``_bytes`` (the Private
Properties recipe), because frictionless-py 5.x reads Parquet through pandas, never counts its bytes
and reports any declared ``bytes`` as a byte-count error. It also skips their ``hash``, so
``package.verify`` checks both itself.
"""

from __future__ import annotations

import copy
import json
import os
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..core.datapackage import load_descriptor
from ..core.files import package_path, sha256_file
from ..core.schema import TableSchema

PACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"
PARQUET_SIZE = "_bytes"  # see the module docstring
# Descriptive package properties, copied from dataset.toml's [package] when present, in this order.
OPTIONAL_METADATA = ("homepage", "keywords", "licenses", "contributors")


def table_resource(name: str, path: Path, relative: str, schema: TableSchema) -> dict[str, Any]:
    """The resource of one Parquet table: ``path`` is where the file is now, ``relative`` where the
    descriptor will find it."""
    return {
        "name": name,
        "type": "table",
        "path": relative,
        "format": "parquet",
        "mediatype": PARQUET_MEDIATYPE,
        "hash": f"sha256:{sha256_file(path)}",
        PARQUET_SIZE: path.stat().st_size,
        "description": schema.descriptor.get("description", ""),
        "schema": copy.deepcopy(schema.descriptor),
    }


def declared_size(resource: dict[str, Any]) -> int | None:
    """The size a resource declares, under ``bytes`` or (Parquet) ``_bytes``."""
    return resource.get("bytes", resource.get(PARQUET_SIZE))


def package_id(metadata: dict[str, Any]) -> str:
    """The package's stable ``id``: dataset.toml's ``id`` (a UUID or DOI assigned once), else a UUID
    derived from the name, so it stays the same across versions as long as the name does.

    >>> package_id({"name": "my-corpus"}) == package_id({"name": "my-corpus", "version": "2.0.0"})
    True
    """
    return metadata.get("id") or str(uuid.uuid5(uuid.NAMESPACE_URL, f"corpus-tools:{metadata['name']}"))


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


def package_descriptor(*, metadata: dict[str, Any], version: str, created: str, sources: list[dict[str, Any]],
                       resources: list[dict[str, Any]], temporal_coverage: str | None = None,
                       channel_coverage: list[dict[str, Any]] | None = None,
                       validation: dict[str, Any] | None = None, image: str | None = None,
                       privacy: dict[str, Any] | None = None) -> dict[str, Any]:
    """Assemble the descriptor; ``metadata`` is the [package] table of dataset.toml.

    ``temporal_coverage`` is the collection period as an ISO 8601 interval ('2025-04-03/2025-04-05'),
    under schema.org's name for it (Data Package v2 has none); ``channel_coverage`` lists the channels
    the posts come from, with their post counts and first and last days, for catalogues and the data
    card to read. ``validation`` is the outcome of the validation suites (passed, allowInvalid, failed,
    warnings, report): a package published with ``--allow-invalid`` says so in itself. ``image`` is the
    path of the data card's figure (Data Package v2's ``image``), which the HTML validation report shows.
    ``privacy`` is what was done with personal data (``package.privacy``): the policy, never the key.
    """
    descriptor: dict[str, Any] = {"$schema": PACKAGE_PROFILE, "name": metadata["name"], "id": package_id(metadata)}
    descriptor.update(title=metadata["title"], description=metadata["description"], version=version, created=created)
    descriptor.update({key: metadata[key] for key in OPTIONAL_METADATA if key in metadata})
    if image:
        descriptor["image"] = image
    if temporal_coverage:
        descriptor["temporalCoverage"] = temporal_coverage
    if channel_coverage:
        descriptor["channelCoverage"] = channel_coverage
    if validation is not None:
        descriptor["validation"] = validation
    if privacy is not None:
        descriptor["privacy"] = privacy
    descriptor["sources"] = sources
    descriptor["resources"] = resources
    return descriptor


def with_validation(descriptor: dict[str, Any], validation: dict[str, Any] | None) -> dict[str, Any]:
    """``descriptor`` with its ``validation`` property set (in its place, before ``sources``), or unset for None.

    >>> list(with_validation({"name": "x", "sources": [], "resources": []}, {"passed": True}))
    ['name', 'validation', 'sources', 'resources']
    """
    out: dict[str, Any] = {}
    for key, value in descriptor.items():
        if key == "sources" and validation is not None:
            out["validation"] = validation
        if key != "validation":
            out[key] = value
    return out


def descriptor_bytes(descriptor: dict[str, Any]) -> bytes:
    """The descriptor as written: indented JSON, UTF-8, keys in assembly order, a final newline."""
    return (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


@dataclass
class PackageFiles:
    """A descriptor and where its resources' files are: ``root``/path, unless ``moved`` says
    otherwise (a new version's tables still in staging, before they are published).

    >>> PackageFiles({"resources": []}, Path("pkg"), {"data/a.parquet": Path("stage/a.parquet")}).locate("data/a.parquet")
    PosixPath('stage/a.parquet')
    """

    descriptor: dict[str, Any]
    root: Path
    moved: dict[str, Path] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> PackageFiles:
        """Read a descriptor, given as its file or the folder that holds ``datapackage.json``, its
        shape checked (``core.datapackage``)."""
        descriptor, file = load_descriptor(path)
        return cls(descriptor, file.resolve().parent)

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        return {r["name"]: r for r in self.descriptor["resources"]}

    def locate(self, relative: str, *, what: str = "a path in the descriptor") -> Path:
        """The file a descriptor's path names: in staging for a new version's files, else inside the
        package folder (a path that leaves it is an InputError, and is never opened)."""
        return self.moved.get(relative) or package_path(self.root, relative, what=what)
