"""The release archive, ``dist/NAME-VERSION.zip``: one file to upload to Zenodo (or anywhere),
holding the descriptor, every resource, the raw sources when ``[privacy] archive_inputs`` says so
(never a full-account export: it is the exporter's whole account, their own personal information and
contacts included), and everything else the version's publication wrote: the data card and its figure, the manifest, the validation reports (JSON, JUnit,
HTML; not GX's Data Docs, which carry run times), CHANGELOG.md, croissant.json, CITATION.cff,
.zenodo.json and the Hub's YAML, under a folder ``NAME-VERSION/`` with the package's own layout, so
``corpus-tools verify`` works on it once unpacked.

Reproducible: entries in sorted order, each dated from the version's ``created`` time (not the
files' mtimes), with fixed permissions, so the same package gives the same zip.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

from ..core.datapackage import DESCRIPTOR, read_json
from ..core.files import MANIFEST
from .descriptor import PackageFiles

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold


def archive_members(files: PackageFiles, *, published: list[str], inputs: bool = False) -> list[str]:
    """What goes into the archive, as paths relative to the package root: the descriptor, every
    resource, the files of ``published`` (what ``build`` published) that exist, and with ``inputs``
    the raw inputs inside the package folder that are not full-account exports."""
    paths = [DESCRIPTOR] + [r["path"] for r in files.descriptor["resources"] if "path" in r]
    if inputs:
        accounts = _full_accounts(files, published)
        paths += [s["path"] for s in files.descriptor.get("sources", [])
                  if "path" in s and "://" not in s["path"] and s.get("hash") not in accounts]
    paths += [p for p in published if (files.root / p).is_file()]
    return sorted(set(paths))


def _full_accounts(files: PackageFiles, published: list[str]) -> set[str]:
    """The hashes ('sha256:HEX') of the inputs the manifest says are full-account exports."""
    found: dict = {}
    for manifest in (p for p in published if Path(p).name == MANIFEST and (files.root / p).is_file()):
        found = read_json(files.root / manifest, what="convert manifest")
    return {f"sha256:{i.get('sha256')}" for i in found.get("inputs", []) if i.get("export") == "full-account"}


def write_archive(files: PackageFiles, out: Path, *, published: list[str], inputs: bool = False) -> Path:
    """Write the zip of the package at ``files`` to ``out`` (a file path), atomically: streamed into a
    temporary file beside it, then renamed.

    Example: ``write_archive(PackageFiles.load(Path(".")), Path("dist/x-1.0.0.zip"), published=result.published)``
    """
    created = files.descriptor.get("created", "")
    try:
        stamp = max(datetime.fromisoformat(created).timetuple()[:6], ZIP_EPOCH)
    except ValueError:
        stamp = ZIP_EPOCH
    folder = f"{files.descriptor['name']}-{files.descriptor['version']}"
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(handle, "wb") as raw, zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED,
                                                             compresslevel=9) as archive:
            for relative in archive_members(files, published=published, inputs=inputs):
                info = zipfile.ZipInfo(f"{folder}/{relative}", date_time=stamp)
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                path = files.locate(relative)
                large = path.stat().st_size >= zipfile.ZIP64_LIMIT
                with path.open("rb") as source, archive.open(info, "w", force_zip64=large) as target:
                    shutil.copyfileobj(source, target, 1 << 20)
        os.chmod(temp, 0o644)
        os.replace(temp, out)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return out
